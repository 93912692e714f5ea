#!/usr/bin/env node
// Validates xAPI statements for the tests (tests/xapi/validation.py).
//
// Usage: node validate.js --version 1.0.3|2.0.0 < statements.json
// Reads a JSON list of statements on stdin and prints a JSON list with one entry per
// statement, in order: {"id": <the statement's id or null>, "errors": ["path: problem", ...]}.
// Exits 0 when it could judge every statement (valid or not), 2 on bad input.
//
// Who decides what:
// - xAPI 1.0.3: every rule is Learning Locker's validator (@learninglocker/xapi-validation,
//   conformance-tested against the 1.0.x specification). Nothing here is ours.
// - xAPI 2.0.0 (IEEE 9274.1.1): Learning Locker's 1.0.x rules judge everything the two
//   versions share. The rules below marked OURS are the 2.0.0 differences our statements
//   touch, written here from IEEE 9274.1.1 and therefore not an independent opinion:
//     * version (Part Two 2.4.10): "2.0.x";
//     * timestamp and stored (2.4.7, 2.4.8, 4.5): a date-time with a time zone (Z or an
//       offset), as RFC 3339 writes it;
//     * context.contextAgents / context.contextGroups (2.4.6): lists of objects with only
//       objectType ("contextAgent" / "contextGroup"), agent (an Agent) or group (a Group),
//       and optional relevantTypes (a non-empty list of IRIs); the agent, group and IRIs
//       are judged by Learning Locker's rules for an actor and a verb id.
//   The statement is then judged by Learning Locker with those keys removed and its version
//   read as 1.0.3.
'use strict';

const fs = require('fs');
const validate = require('@learninglocker/xapi-validation').default;

const VERSIONS = ['1.0.3', '2.0.0'];

function describe(warnings, prefix = '') {
  return warnings.map((w) => `${prefix}${w.path.join('.')}: ${w.constructor.name}`);
}

// Learning Locker's opinion of one part, inside an otherwise valid statement.
function judgePart(patch) {
  const statement = {
    actor: { mbox: 'mailto:probe@example.org' },
    verb: { id: 'http://example.org/verb' },
    object: { id: 'http://example.org/activity' },
    ...patch,
  };
  return validate(statement);
}

// OURS (IEEE 9274.1.1, 4.5): an RFC 3339 date-time with a time zone.
const TIMESTAMP_200 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function checkTimestamps200(statement, errors) {
  for (const key of ['timestamp', 'stored']) {
    if (key in statement && !TIMESTAMP_200.test(String(statement[key]))) {
      errors.push(`statement.${key}: must be a date-time with a time zone (xAPI 2.0.0)`);
    }
  }
}

// OURS (IEEE 9274.1.1, 2.4.6): contextAgents and contextGroups; removes them once judged.
function checkContextActors200(context, path, errors) {
  if (!context || typeof context !== 'object') return;
  const kinds = [
    ['contextAgents', 'agent', 'contextAgent'],
    ['contextGroups', 'group', 'contextGroup'],
  ];
  for (const [key, inner, objectType] of kinds) {
    if (!(key in context)) continue;
    const list = context[key];
    delete context[key];
    if (!Array.isArray(list)) {
      errors.push(`${path}.${key}: must be a list`);
      continue;
    }
    list.forEach((entry, index) => {
      const at = `${path}.${key}.${index}`;
      if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
        errors.push(`${at}: must be an object`);
        return;
      }
      for (const name of Object.keys(entry)) {
        if (!['objectType', inner, 'relevantTypes'].includes(name)) {
          errors.push(`${at}.${name}: not allowed`);
        }
      }
      if (entry.objectType !== objectType) errors.push(`${at}.objectType: must be "${objectType}"`);
      const actor = entry[inner];
      if (actor === undefined) {
        errors.push(`${at}.${inner}: required`);
      } else {
        const expected = inner === 'group' ? 'Group' : 'Agent';
        if (inner === 'group' ? actor.objectType !== 'Group' : actor.objectType !== undefined && actor.objectType !== 'Agent') {
          errors.push(`${at}.${inner}.objectType: must be "${expected}"`);
        }
        errors.push(...describe(judgePart({ actor }), `${at}.`).map((e) => e.replace('statement.actor', inner)));
      }
      if ('relevantTypes' in entry) {
        const types = entry.relevantTypes;
        if (!Array.isArray(types) || types.length === 0) {
          errors.push(`${at}.relevantTypes: must be a non-empty list`);
        } else {
          types.forEach((type, j) => {
            if (judgePart({ verb: { id: type } }).length) errors.push(`${at}.relevantTypes.${j}: not an IRI`);
          });
        }
      }
    });
  }
}

function errors200(original) {
  const statement = JSON.parse(JSON.stringify(original));
  const errors = [];
  if ('version' in statement) {
    if (!/^2\.0\.\d+$/.test(String(statement.version))) errors.push('statement.version: must be 2.0.x');
    statement.version = '1.0.3';
  }
  checkTimestamps200(statement, errors);
  checkContextActors200(statement.context, 'statement.context', errors);
  if (statement.object && statement.object.objectType === 'SubStatement') {
    checkContextActors200(statement.object.context, 'statement.object.context', errors);
  }
  return errors.concat(describe(validate(statement)));
}

function errorsFor(statement, version) {
  if (!statement || typeof statement !== 'object' || Array.isArray(statement)) {
    return ['statement: must be an object'];
  }
  return version === '2.0.0' ? errors200(statement) : describe(validate(statement));
}

function main() {
  const args = process.argv.slice(2);
  const at = args.indexOf('--version');
  const version = at >= 0 ? args[at + 1] : '1.0.3';
  if (!VERSIONS.includes(version)) {
    process.stderr.write(`--version must be one of ${VERSIONS.join(', ')}\n`);
    process.exit(2);
  }
  let statements;
  try {
    statements = JSON.parse(fs.readFileSync(0, 'utf8'));
  } catch (error) {
    process.stderr.write(`stdin is not JSON: ${error.message}\n`);
    process.exit(2);
  }
  if (!Array.isArray(statements)) {
    process.stderr.write('stdin must hold a JSON list of statements\n');
    process.exit(2);
  }
  const report = statements.map((statement) => ({
    id: statement && typeof statement === 'object' ? statement.id ?? null : null,
    errors: errorsFor(statement, version),
  }));
  process.stdout.write(JSON.stringify(report));
}

main();

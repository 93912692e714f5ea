// A real OpenID Provider for the tests (node oidc-provider), one client, no UI. Started by
// tests/oidc/provider.py; by hand:
//   PORT=4011 CLIENT_ID=met CLIENT_SECRET=s3cret \
//   REDIRECT_URIS=http://127.0.0.1:8000/accounts/oidc/force-met/login/callback/ node op.mjs
// Authorization code with PKCE (S256) required. /interaction/:uid signs in the "next user"
// (POST /__test/user) at once; consent is granted for openid email profile.
// Test control (loopback, tests only):
//   POST /__test/user  {"sub": "...", "email": "...", "name": "...", ...}: the next sign-in's
//                      claims (a different sub than the OP session's signs in again)
//   POST /__test/mode  {"mode": "ok|wrong_aud|wrong_iss|expired|future_iat|bad_sig|unknown_kid|
//                      wrong_nonce|no_id_token|token_error|deny"}
//   POST /__test/hold  {"hold": true}: show the way back to the app as a link (id "callback")
//                      instead of redirecting, so that a test can carry the callback elsewhere
//   GET  /__test/last  the last authorization request, token response (as sent) and sign-out
import http from 'node:http';
import Provider, { interactionPolicy } from 'oidc-provider';
import { generateKeyPair, exportJWK, SignJWT, decodeJwt } from 'jose';

const PORT = Number(process.env.PORT || 4011);
const HOST = process.env.HOST || '127.0.0.1';
const ISSUER = process.env.ISSUER || `http://${HOST}:${PORT}`;
const CLIENT_ID = process.env.CLIENT_ID || 'met';
const CLIENT_SECRET = process.env.CLIENT_SECRET || 'met-secret';
const REDIRECT_URIS = (process.env.REDIRECT_URIS
  || `http://127.0.0.1:8000/accounts/oidc/force-${CLIENT_ID}/login/callback/`).split(',');
const POST_LOGOUT = (process.env.POST_LOGOUT_REDIRECT_URIS || 'http://127.0.0.1:8000/').split(',');
// Cookies ignore ports: each OP on the same host needs cookie names of its own.
const PFX = process.env.COOKIE_PREFIX || `op${PORT}`;
const MODES = ['ok', 'wrong_aud', 'wrong_iss', 'expired', 'future_iat', 'bad_sig', 'unknown_kid',
  'wrong_nonce', 'no_id_token', 'token_error', 'deny'];

// The published RS256 key, and an unpublished one for "unknown_kid".
const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: `k-${PFX}`, alg: 'RS256', use: 'sig' };
const rogue = await generateKeyPair('RS256', { extractable: true });

let nextUser = { sub: 'test-sub-1', email: 'alice@met.demo.example', name: 'Alice Example' };
const users = new Map(); // sub -> claims
let mode = 'ok';
let hold = false;
let last = {};

// Sign in again (no silent reuse of the OP session) when the test chose another person, or
// when it wants the sign-in refused.
const policy = interactionPolicy.base();
policy.get('login').checks.add(new interactionPolicy.Check(
  'test_user_changed',
  'the tests chose another person, or a refusal',
  (ctx) => mode === 'deny' || ctx.oidc.session.accountId !== nextUser.sub,
));

const provider = new Provider(ISSUER, {
  clients: [{
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    redirect_uris: REDIRECT_URIS,
    post_logout_redirect_uris: POST_LOGOUT,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: process.env.TOKEN_AUTH || 'client_secret_post',
  }],
  jwks: { keys: [jwk] },
  cookies: {
    keys: ['test-only-cookie-key'],
    names: { session: `${PFX}_session`, interaction: `${PFX}_interaction`, resume: `${PFX}_resume` },
  },
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username', 'jobTitle', 'roles',
      'groups', 'is_staff'], // the last two: claims that must grant nothing here
  },
  conformIdTokenClaims: false, // email and names in the ID token too, as Entra ID does
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      // Confirm the sign-out at once, so that the browser need not click.
      logoutSource: async (ctx, form) => {
        ctx.body = `<!doctype html><html lang="en"><head><title>Signing out</title></head><body>${form}<script>document.forms[0].insertAdjacentHTML('beforeend','<input type="hidden" name="logout" value="yes">');document.forms[0].submit()</script></body></html>`;
      },
    },
  },
  interactions: { policy, url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  findAccount: async (ctx, id) => ({
    accountId: id,
    claims: async () => ({ ...(users.get(id) || {}), sub: id }),
  }),
  ttl: { Session: 600, Interaction: 600, Grant: 600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
});
provider.proxy = false;

// ---- faulty ID tokens: rewrite the token response's id_token after the provider built it
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const resign = (claims, key = privateKey, kid = jwk.kid) => new SignJWT(claims)
  .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);
async function mangle(idt) {
  const c = decodeJwt(idt);
  const now = Math.floor(Date.now() / 1000);
  switch (mode) {
    case 'wrong_aud': return resign({ ...c, aud: 'someone-else' });
    case 'wrong_iss': return resign({ ...c, iss: 'http://127.0.0.1:9/not-this-issuer' });
    case 'expired': return resign({ ...c, iat: now - 7200, exp: now - 3600 });
    case 'future_iat': return resign({ ...c, iat: now + 3600, exp: now + 7200 });
    case 'wrong_nonce': return resign({ ...c, nonce: 'not-the-nonce-sent' });
    case 'unknown_kid': return resign(c, rogue.privateKey, 'rogue-kid');
    case 'bad_sig': { // the same header and signature over a changed payload
      const [h, , s] = idt.split('.');
      return `${h}.${b64({ ...c, email: 'mallory@evil.example' })}.${s}`;
    }
    default: return idt;
  }
}
provider.use(async (ctx, next) => {
  if (ctx.path === '/token' && mode === 'token_error') {
    ctx.status = 400;
    ctx.body = { error: 'invalid_grant', error_description: 'test mode' };
    last.token = { ...ctx.body, mode };
    return;
  }
  await next();
  const route = ctx.oidc?.route;
  if (route === 'token' && ctx.body && typeof ctx.body === 'object') {
    if (mode === 'no_id_token') delete ctx.body.id_token;
    else if (ctx.body.id_token && mode !== 'ok') ctx.body.id_token = await mangle(ctx.body.id_token);
    last.token = { ...ctx.body, mode };
  }
  if (route === 'authorization') last.auth = { ...ctx.query };
  if (route === 'end_session') last.logout = { ...ctx.query };
  if (route === 'end_session_confirm' && last.logout) last.logout.confirmed = true;
  const location = ctx.response.get('location');
  if (hold && ctx.status >= 300 && ctx.status < 400
      && REDIRECT_URIS.some((uri) => location?.startsWith(`${uri}?`))) {
    const href = location.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
    ctx.status = 200;
    ctx.type = 'html';
    ctx.body = `<!doctype html><html lang="en"><head><title>Held</title></head><body><a id="callback" href="${href}">Back to the app</a></body></html>`;
  }
});

// ---- test control and UI-less interactions; everything else is the provider's
const callback = provider.callback();
const readJson = (req) => new Promise((resolve, reject) => {
  let data = '';
  req.on('data', (chunk) => { data += chunk; });
  req.on('end', () => { try { resolve(data ? JSON.parse(data) : {}); } catch (e) { reject(e); } });
});
const send = (res, status, body) => {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
};
const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, ISSUER);
    if (url.pathname === '/__test/user' && req.method === 'POST') {
      const claims = await readJson(req);
      if (!claims.sub) { send(res, 400, { error: 'sub is required' }); return; }
      nextUser = claims;
      users.set(claims.sub, claims);
      send(res, 200, { ok: true });
      return;
    }
    if (url.pathname === '/__test/mode' && req.method === 'POST') {
      const wanted = (await readJson(req)).mode;
      if (!MODES.includes(wanted)) { send(res, 400, { error: `unknown mode ${wanted}` }); return; }
      mode = wanted;
      send(res, 200, { ok: true });
      return;
    }
    if (url.pathname === '/__test/hold' && req.method === 'POST') {
      hold = Boolean((await readJson(req)).hold);
      send(res, 200, { ok: true });
      return;
    }
    if (url.pathname === '/__test/last') { send(res, 200, last); return; }
    const match = url.pathname.match(/^\/interaction\/([^/]+)$/);
    if (match) {
      const details = await provider.interactionDetails(req, res);
      if (mode === 'deny') {
        await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'refused by the test' });
        return;
      }
      users.set(nextUser.sub, { ...nextUser });
      const result = details.prompt.name === 'login' ? { login: { accountId: nextUser.sub } } : { consent: {} };
      await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
      return;
    }
    callback(req, res);
  } catch (e) {
    res.statusCode = 500;
    res.end(String(e?.stack || e));
  }
});
server.listen(PORT, HOST, () => console.log(`OP ${ISSUER} client=${CLIENT_ID} ready`));

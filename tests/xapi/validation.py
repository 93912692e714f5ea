"""Independent opinions on our xAPI statements, for the tests.

- `xapi_errors(statements, version)`: tests/xapi/validator/validate.js under node. For 1.0.3
  every rule is Learning Locker's validator (@learninglocker/xapi-validation 4.0.0,
  conformance-tested against xAPI 1.0.x): fully independent of this project. For 2.0.0 the
  rules the two versions share are Learning Locker's (independent); the 2.0.0 differences our
  statements touch (version "2.0.x", timestamps with a time zone, the shape of contextAgents
  and contextGroups) are rules written in validate.js from IEEE 9274.1.1, so that part is
  ours, not a second opinion. No validator of 2.0.0 is published on npm or PyPI.
- `ralph_errors(statements)`: Ralph's pydantic statement model (`ralph.models.xapi.base.
  statements.BaseXapiStatement`), run by .lrs-venv's python: a second 1.0.x opinion.

Each call judges many statements in one process. Both return {statement id: [problems]}
with an entry for every statement, an empty list when it is valid.
"""

import json
import shutil
import subprocess

import pytest

from tests.xapi.lrs import LRS_APP_DIR, LRS_BIN, VALIDATOR_DIR, require, require_ralph

NODE = shutil.which("node")


def xapi_errors(statements: list[dict], version: str) -> dict[str, list[str]]:
    """What Learning Locker's rules (and, for 2.0.0, ours) find wrong with each statement."""
    require(VALIDATOR_DIR / "node_modules" / ".installed", "The xAPI statement validator")
    if NODE is None:
        pytest.fail("node is not on the PATH: the xAPI statement validator needs it")
    return _run([NODE, str(VALIDATOR_DIR / "validate.js"), "--version", version], statements)


def ralph_errors(statements: list[dict]) -> dict[str, list[str]]:
    """What Ralph's statement model (xAPI 1.0.x) finds wrong with each statement."""
    require_ralph()
    return _run([str(LRS_BIN / "python"), str(LRS_APP_DIR / "ralph_validate.py")], statements)


def _run(command: list[str], statements: list[dict]) -> dict[str, list[str]]:
    done = subprocess.run(  # noqa: S603 - fixed arguments
        command, input=json.dumps(statements), capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        raise RuntimeError(f"{command[1]} failed ({done.returncode}): {done.stderr}")
    report = json.loads(done.stdout)
    ids = [entry["id"] for entry in report]
    if len(report) != len(statements) or len(set(ids)) != len(ids):
        raise RuntimeError(f"{command[1]} must judge each statement once (ids: {ids})")
    return {entry["id"]: entry["errors"] for entry in report}

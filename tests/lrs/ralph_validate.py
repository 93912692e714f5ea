"""Ralph's own statement model as a second opinion on xAPI 1.0.x statements.

Run by tests/xapi/validation.py with .lrs-venv's python (Ralph's pins stay out of the
project's venv): reads a JSON list of statements on stdin and prints a JSON list with one
entry per statement, in order: {"id": ..., "errors": ["path: message", ...]}. The model
(`ralph.models.xapi.base.statements.BaseXapiStatement`, pydantic) knows xAPI 1.0.x only.
"""

import json
import sys

from pydantic import ValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement


def errors(statement) -> list[str]:
    try:
        BaseXapiStatement.model_validate(statement)
    except ValidationError as error:
        return [
            ".".join(str(part) for part in problem["loc"]) + ": " + problem["msg"]
            for problem in error.errors()
        ]
    return []


def main() -> None:
    statements = json.load(sys.stdin)
    report = [
        {
            "id": statement.get("id") if isinstance(statement, dict) else None,
            "errors": errors(statement),
        }
        for statement in statements
    ]
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()

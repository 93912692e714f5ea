"""Ralph's LRS app with its file-system backend made usable by the tests (tests/xapi/lrs.py).

Ralph (ralph-malph 5.1.0, the same code in 4.2 and 5.0) is the real LRS the tests deliver
statements to. With its `fs` backend, the only one that needs no database server, it has two
bugs that this module corrects before the app is imported:

1. Only the first write works: the backend writes its JSON-lines file with the CREATE
   operation, so once the file exists every later POST or PUT of a statement answers
   500 "Statements bulk indexation failed". APPEND is what an LRS needs.
2. The `verb` and `activity` filters of GET /statements never match: the router hands the
   backend Ralph's IRI model, which never equals the string stored in the statement. The
   filters get the string back.

This patches a third-party LRS used only by the tests; none of the project's code is
patched. Served by uvicorn: `uvicorn ralph_app:app --app-dir tests/lrs` from .lrs-venv.
"""

from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

_filter_by_verb = FSLRSBackend._add_filter_by_verb
_filter_by_activity = FSLRSBackend._add_filter_by_activity


def _by_verb(filters, verb_id):
    return _filter_by_verb(filters, None if verb_id is None else str(verb_id))


def _by_activity(filters, object_id, related):
    return _filter_by_activity(filters, None if object_id is None else str(object_id), related)


FSLRSBackend._add_filter_by_verb = staticmethod(_by_verb)
FSLRSBackend._add_filter_by_activity = staticmethod(_by_activity)

from ralph.api import app  # noqa: E402 - imported once the backend is corrected

__all__ = ["app"]

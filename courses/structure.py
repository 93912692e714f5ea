"""Where each lesson sits in the published course, read once per process per content version.

Recording progress needs to know, for a lesson: whether it may take progress (it and every
ancestor published, no password or group restriction), its module (id, pass mark, live
revision), the module's live lessons and every knowledge check in them, and the lesson's own
checks for scoring. Reading that costs four queries and parsing lesson bodies, and it changes
only when an editor saves, publishes, unpublishes, moves, deletes or restricts a page.

So each process keeps what it has read, keyed by `ContentVersion.token`, which every change to
the published content replaces in the same transaction (the receivers at the end of this
module). A request reads the token (one small query) and reuses the process's copy while it
matches: a change made in one process reaches every other on its next request. The same token
keys the page fragments kept in the shared cache (courses.context_processors).
"""

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from courses.models import ContentVersion, LessonPage, ModulePage
from courses.rawsql import prepared_cursor

KNOWLEDGE_CHECK = "knowledge_check"
# Restrictions a learner may not pass: a page behind one (on itself or an ancestor) takes no
# progress, and a lesson behind its own is not one of its module's lessons for completion.
LEARNER_BARRED = (PageViewRestriction.PASSWORD, PageViewRestriction.GROUPS)


@dataclass(frozen=True)
class LessonStructure:
    lesson_id: int
    # False when the lesson or an ancestor is unpublished or behind a password or group
    # restriction (a sign-in restriction is fine: learners are signed in). The module fields
    # are then empty.
    available: bool
    # This lesson's knowledge checks, by block id: (block, value) for KnowledgeCheckBlock.score.
    # Known even when the lesson is unavailable, so that a replayed answer can be re-scored.
    checks_by_id: Mapping[str, tuple] = field(default_factory=dict)
    module_id: int | None = None
    pass_mark: int = 0
    module_revision_id: int | None = None
    live_lesson_ids: frozenset[int] = frozenset()
    # (lesson id, block id) of every knowledge check in the module's live lessons.
    checks: tuple[tuple[int, str], ...] = ()

    @cached_property
    def module_arrays(self) -> tuple[str, str, str]:
        """The module's live lesson ids, and its checks' lesson and block ids, as PostgreSQL
        array literals, for courses_progress_record() (courses.services): made once per
        structure, where psycopg would adapt each list element by element on every event."""
        return (
            _array_literal(sorted(self.live_lesson_ids)),
            _array_literal([lesson_id for lesson_id, _ in self.checks]),
            _array_literal([block_id for _, block_id in self.checks]),
        )


def _array_literal(values) -> str:
    """A one-dimensional PostgreSQL array literal, every element quoted: {"1","2"}."""
    quoted = ('"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return "{" + ",".join(quoted) + "}"


# lesson id -> (content token it was read at, structure). Only lessons that exist are kept, so
# the size is bounded by the number of lessons, whatever ids clients send.
_known: dict[int, tuple[str | None, LessonStructure]] = {}


_READ = object()  # lessons()'s token: read it


def lessons(ids: Iterable[int], token: str | None | object = _READ) -> dict[int, LessonStructure]:
    """The structure of each id that is a lesson page; ids that are not are left out.

    One query for the content token (none when the caller read it in this request and gives
    it), plus four for each module this process has not read at that token (all of a
    module's live lessons are read together).
    """
    if token is _READ:
        token = current_token()
    found: dict[int, LessonStructure] = {}
    for lesson_id in ids:
        cached = _known.get(lesson_id)
        if cached is None or cached[0] != token:
            for read in _read(lesson_id):
                _known[read.lesson_id] = (token, read)
            cached = _known.get(lesson_id)
        if cached is not None and cached[0] == token:
            found[lesson_id] = cached[1]
    return found


def kept(ids: Iterable[int]) -> list[tuple[LessonStructure, str | None]] | None:
    """This process's copy of each lesson's structure, with the token it was read at, without
    asking whether that token is current: for a caller that checks it in the same statement
    as its write (services' courses_progress_record()). None unless every id is kept."""
    found = [_known.get(lesson_id) for lesson_id in ids]
    if not found or any(cached is None for cached in found):
        return None
    return [(read, token) for token, read in found]


@dataclass(frozen=True)
class Outline:
    """The live course as My learning lists it: every live module in tree order, and each
    one's lessons that count towards it (counted_lessons), without their bodies. One copy per
    process and content token, shared by every request: read only (the instances too)."""

    token: str | None  # the content token it was read at
    modules: tuple[ModulePage, ...]
    lessons: Mapping[str, tuple[LessonPage, ...]]  # by the module's path


_outline: list[tuple[str | None, Outline]] = []


def outline() -> Outline:
    """The process's copy of the live course outline, read again when the content changes:
    the two queries My learning made, and the ninety-odd page instances it built, on every
    view."""
    token = current_token()
    if not _outline or _outline[0][0] != token:
        modules = tuple(ModulePage.objects.live().order_by("path"))
        lessons: dict[str, list[LessonPage]] = {}
        for lesson in counted_lessons(LessonPage.objects.order_by("path")).defer("body"):
            lessons.setdefault(lesson.path[: -Page.steplen], []).append(lesson)
        by_module = {path: tuple(found) for path, found in lessons.items()}
        kept = Outline(token, modules, by_module)
        _outline[:] = [(token, kept)]
    return _outline[0][1]


# Fields of the sibling lessons a lesson page shows (numbering, previous and next links).
SIBLING_FIELDS = ("id", "title", "slug", "url_path", "path", "depth")


def current_token() -> str | None:
    with prepared_cursor(connection.alias) as cursor:
        cursor.execute(
            f"SELECT token FROM {ContentVersion._meta.db_table} WHERE id = %s",  # noqa: S608
            [ContentVersion.SINGLETON_ID],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def content_changed() -> None:
    """Give the content a new token: every process re-reads lesson structure on next use."""
    ContentVersion.objects.bulk_create(
        [ContentVersion(id=ContentVersion.SINGLETON_ID, token=uuid.uuid4().hex)],
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=["token"],
    )


def _read(lesson_id: int) -> list[LessonStructure]:
    """Read a lesson and, when it is available, every live lesson of its module."""
    lesson = LessonPage.objects.filter(pk=lesson_id).only("id", "path", "depth", "live", "body")
    lesson = lesson.first()
    if lesson is None:
        return []
    unavailable = [LessonStructure(lesson.pk, False, _checks_by_id(lesson.body))]
    if not lesson.live:
        return unavailable
    blocked = (
        Page.objects.ancestor_of(lesson, inclusive=True)
        .filter(depth__gt=1)
        .filter(Q(live=False) | Q(view_restrictions__restriction_type__in=LEARNER_BARRED))
        .exists()
    )
    module = (
        ModulePage.objects.filter(path=lesson.path[: -Page.steplen])
        .only("id", "path", "depth", "pass_mark", "live_revision_id")
        .first()
    )
    if blocked or module is None:
        return unavailable
    # The lessons that count: live, and not behind a restriction of their own. A lesson behind
    # one takes no progress, so counting it would leave the module impossible to complete.
    live_lessons = list(
        counted_lessons(LessonPage.objects.child_of(module)).values_list("id", "body")
    )
    checks_by_lesson = {lesson_id: _checks_by_id(body) for lesson_id, body in live_lessons}
    live_ids = frozenset(checks_by_lesson)
    checks = tuple(
        (lesson_id, block_id) for lesson_id, by_id in checks_by_lesson.items() for block_id in by_id
    )
    return [
        LessonStructure(
            lesson_id=lesson_id,
            available=True,
            checks_by_id=by_id,
            module_id=module.pk,
            pass_mark=module.pass_mark,
            module_revision_id=module.live_revision_id,
            live_lesson_ids=live_ids,
            checks=checks,
        )
        for lesson_id, by_id in checks_by_lesson.items()
    ]


def counted_lessons(lessons):
    """The live lessons of `lessons` (a LessonPage queryset) that count towards their module:
    not behind a password or group restriction of their own (on an ancestor, the whole module
    takes no progress). Progress, My learning and the managers' lesson counts agree on these."""
    return lessons.live().exclude(view_restrictions__restriction_type__in=LEARNER_BARRED)


def _checks_by_id(body) -> dict[str, tuple]:
    """The knowledge checks of a lesson body. Indexing the stream converts only the checks,
    not the lesson's rich text and media blocks."""
    checks = (body[i] for i, raw in enumerate(body.raw_data) if raw["type"] == KNOWLEDGE_CHECK)
    return {child.id: (child.block, child.value) for child in checks}


# --- Invalidation -----------------------------------------------------------------------------
# Every change to what pages show replaces the token: saving or deleting any page (publishing
# and unpublishing save it too), moving one, any view restriction, site, snippet (testimony,
# support services and any snippet added later), image or document; a rendition only when it is
# deleted (renditions are made while pages render). No model needs registering by hand.
# Receivers run inside the change's transaction, so a rollback restores the old token with the
# old content.


def _is_content(model, *, saved: bool) -> bool:
    if issubclass(model, Page) or model in (PageViewRestriction, Site):
        return True
    if model in (get_image_model(), get_document_model()) or model in get_snippet_models():
        return True
    return not saved and model is get_image_model().get_rendition_model()


def _saved(sender, **kwargs) -> None:
    if _is_content(sender, saved=True):
        content_changed()


def _deleted(sender, **kwargs) -> None:
    if _is_content(sender, saved=False):
        content_changed()


def _moved(**kwargs) -> None:
    content_changed()


_RECEIVER_UID = "courses.structure.content_changed"


def connect_receivers() -> None:
    post_save.connect(_saved, dispatch_uid=_RECEIVER_UID)
    post_delete.connect(_deleted, dispatch_uid=_RECEIVER_UID)
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_moved, dispatch_uid=_RECEIVER_UID)

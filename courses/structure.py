"""Where each lesson sits in the published course, read once per process per content version.

Recording progress needs to know, for a lesson: whether it may take progress (it and every
ancestor published, no password or group restriction), its module (id, pass mark, live
revision), the module's live lessons and every knowledge check in them, and the lesson's own
checks for scoring. Reading that costs four queries and parsing lesson bodies, and it changes
only when an editor saves, publishes, unpublishes, moves, deletes or restricts a page.

So each process keeps what it has read, keyed by `ContentVersion.token`, which every such
change replaces in the same transaction (the receivers at the end of this module). A request
reads the token (one small query) and reuses the process's copy while it matches: no shared
cache is needed, and a change made in one process reaches every other on its next request.

The same token keeps each process's copy of the site, which every page Wagtail serves looks
up (`site_for_request`; a change to a site replaces the token too).
"""

import copy
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.models.sites import get_site_for_hostname
from wagtail.signals import page_published, page_unpublished, post_page_move

from courses.models import ContentVersion, LessonPage, ModulePage

KNOWLEDGE_CHECK = "knowledge_check"


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


# lesson id -> (content token it was read at, structure). Only lessons that exist are kept, so
# the size is bounded by the number of lessons, whatever ids clients send.
_known: dict[int, tuple[str | None, LessonStructure]] = {}


def lessons(ids: Iterable[int]) -> dict[int, LessonStructure]:
    """The structure of each id that is a lesson page; ids that are not are left out.

    One query for the content token, plus four for each module this process has not read at
    the current token (all of a module's live lessons are read together).
    """
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


# (hostname, port) -> (content token it was read at, the site with its root page's specific
# page). Hosts reach views only when ALLOWED_HOSTS lets them; the bound is a second guard.
_sites: dict[tuple[str, int | str], tuple[str | None, Site | None]] = {}
SITES_KEPT = 64


def site_for_request(request) -> Site | None:
    """Wagtail's `Site.find_for_request()`, kept per process under the content token.

    Wagtail builds and compiles its site query (a CASE over hostname, port and default) on
    every page, then reads the root page's specific page to route: about a fifth of a lesson
    page's CPU. Here a page reads the token instead, and gets its own copy of the site, so
    that nothing one request sets on it reaches another.
    """
    # As Wagtail does: the raw host (ALLOWED_HOSTS was checked before the view) and the port.
    key = (split_domain_port(request._get_raw_host())[0], request.get_port())
    token = current_token()
    cached = _sites.get(key)
    if cached is None or cached[0] != token:
        try:
            site = get_site_for_hostname(*key)
        except Site.DoesNotExist:
            site = None
        if site is not None:
            site.root_page.localized.specific  # noqa: B018 - read now, kept with the site
        if len(_sites) >= SITES_KEPT:
            _sites.clear()
        cached = _sites[key] = (token, site)
    return copy.deepcopy(cached[1])


def current_token() -> str | None:
    with connection.cursor() as cursor:
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
        .filter(
            Q(live=False)
            | Q(
                view_restrictions__restriction_type__in=[
                    PageViewRestriction.PASSWORD,
                    PageViewRestriction.GROUPS,
                ]
            )
        )
        .exists()
    )
    module = (
        ModulePage.objects.filter(path=lesson.path[: -Page.steplen])
        .only("id", "path", "depth", "pass_mark", "live_revision_id")
        .first()
    )
    if blocked or module is None:
        return unavailable
    live_lessons = list(LessonPage.objects.live().child_of(module).values_list("id", "body"))
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


def _checks_by_id(body) -> dict[str, tuple]:
    """The knowledge checks of a lesson body. Indexing the stream converts only the checks,
    not the lesson's rich text and media blocks."""
    checks = (body[i] for i, raw in enumerate(body.raw_data) if raw["type"] == KNOWLEDGE_CHECK)
    return {child.id: (child.block, child.value) for child in checks}


# --- Invalidation -----------------------------------------------------------------------------
# Saving any page (publishing and unpublishing save it too), deleting one, moving one, any
# change to a view restriction, and any change to a site (site_for_request). Receivers run
# inside the change's transaction, so a rollback restores the old token with the old content.


def _content_changed_receiver(**kwargs) -> None:
    content_changed()


def connect_receivers() -> None:
    uid = "courses.structure.content_changed"
    for model in [*get_page_models(), PageViewRestriction, Site]:
        post_save.connect(_content_changed_receiver, sender=model, dispatch_uid=uid)
        post_delete.connect(_content_changed_receiver, sender=model, dispatch_uid=uid)
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_content_changed_receiver, dispatch_uid=uid)

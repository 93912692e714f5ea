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
up (`site_for_request`; a change to a site replaces the token too), and of what serving a
programme, module or lesson page reads about its place in the tree (`served_page`): the page
by its URL, the view restrictions on it and its ancestors, and for a lesson its module and
sibling lessons. Those are kept as the rows the database returned, so that each request builds
instances of its own, as a query would.
"""

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection, connections
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.models.sites import get_site_for_hostname
from wagtail.signals import page_published, page_unpublished, post_page_move

from courses.models import ContentVersion, LessonPage, ModulePage
from courses.rawsql import RowLoader, prepared_cursor, row_loader

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


# (hostname, port) -> (content token it was read at, the rows of the site and of its root page,
# as its specific type, or None). Hosts reach views only when ALLOWED_HOSTS lets them; the
# bound is a second guard.
_sites: dict[tuple[str, int | str], tuple[str | None, tuple | None]] = {}
SITES_KEPT = 64


def site_for_request(request) -> Site | None:
    """Wagtail's `Site.find_for_request()`, kept per process under the content token.

    Wagtail builds and compiles its site query (a CASE over hostname, port and default) on
    every page, then reads the root page's specific page to route: about a fifth of a lesson
    page's CPU. Here a page reads the token instead, and gets a site and root page of its own,
    built from the rows kept, so that nothing one request sets on them reaches another.
    """
    # As Wagtail does: the raw host (ALLOWED_HOSTS was checked before the view) and the port.
    key = (split_domain_port(request._get_raw_host())[0], request.get_port())
    token = request_token(request)
    cached = _sites.get(key)
    if cached is None or cached[0] != token:
        if len(_sites) >= SITES_KEPT:
            _sites.clear()
        cached = _sites[key] = (token, _read_site(*key))
    if cached[1] is None:
        return None
    site_row, root_model, root_row = cached[1]
    site = _loader(Site).load(site_row)
    Site._meta.get_field("root_page").set_cached_value(site, _loader(root_model).load(root_row))
    return site


def _read_site(hostname: str, port) -> tuple | None:
    try:
        site = get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        return None
    root = site.root_page.localized  # as Wagtail routes: the site's root in the language
    root_model = root.specific_class or type(root)
    [site_row] = _raw(Site.objects.filter(pk=site.pk))
    [root_row] = _raw(root_model.objects.filter(pk=root.pk))
    return site_row, root_model, root_row


def use_kept_site(request) -> None:
    """Give a request that shows pages or their URLs the site and the site root paths from this
    process's copies (one query for the content token, if the request has not read it), where
    Wagtail would look both up. For Wagtail's page view (CachedSiteMiddleware) and views that
    list pages."""
    if not hasattr(request, "_wagtail_site"):
        request._wagtail_site = site_for_request(request)
        request._wagtail_cached_site_root_paths = site_root_paths(request)


@dataclass(frozen=True)
class Outline:
    """The live course as My learning lists it: every live module in tree order, and each
    one's lessons that count towards it (counted_lessons), without their bodies. One copy per
    process and content token, shared by every request: read only (the instances too)."""

    token: str | None  # the content token it was read at
    modules: tuple[ModulePage, ...]
    lessons: Mapping[str, tuple[LessonPage, ...]]  # by the module's path


_outline: list[tuple[str | None, Outline]] = []


def outline(request=None) -> Outline:
    """The process's copy of the live course outline, read again when the content changes:
    the two queries My learning made, and the ninety-odd page instances it built, on every
    view."""
    token = request_token(request)
    if not _outline or _outline[0][0] != token:
        modules = tuple(ModulePage.objects.live().order_by("path"))
        lessons: dict[str, list[LessonPage]] = {}
        for lesson in counted_lessons(LessonPage.objects.order_by("path")).defer("body"):
            lessons.setdefault(lesson.path[: -Page.steplen], []).append(lesson)
        by_module = {path: tuple(found) for path, found in lessons.items()}
        kept = Outline(token, modules, by_module)
        _outline[:] = [(token, kept)]
    return _outline[0][1]


# (content token, every site's root path): what page URLs are built from.
_root_paths: list[tuple[str | None, tuple]] = []


def site_root_paths(request) -> list:
    """Wagtail's `Site.get_site_root_paths()`, kept per process under the content token.

    Every page URL a template builds needs them; Wagtail keeps them in the shared cache, a
    round trip per page. A change to a site or to a page's URL replaces the token.
    """
    token = request_token(request)
    if not _root_paths or _root_paths[0][0] != token:
        _root_paths[:] = [(token, tuple(Site.get_site_root_paths()))]
    return list(_root_paths[0][1])


def request_token(request) -> str | None:
    """The content token, read once per request that serves a page (the site, the page and
    its place are all kept under it).

    A signed-in request reads it with the user (courses.auth), in the statement the session
    makes anyway, so it loads the user here if nothing has yet: every page does later, for its
    header. Anyone else's request reads it on its own.
    """
    if request is None:  # Page.route() called without one
        return current_token()
    try:
        return request._content_token
    except AttributeError:
        pass
    user = getattr(request, "user", None)
    read_with_user = getattr(user, "content_token_at_load", None) if user is not None else None
    if read_with_user is not None and read_with_user[0] == connection.alias:
        request._content_token = read_with_user[1]
    else:
        request._content_token = current_token()
    return request._content_token


@dataclass(frozen=True)
class ServedRows:
    """What serving one programme, module or lesson page reads about it, as the database
    returned it at one content token (before Django's converters)."""

    model: type[Page]
    page: tuple
    restrictions: tuple[tuple, ...]  # on the page or an ancestor, aliases resolved
    module: tuple | None = None  # a lesson's module
    siblings: tuple[tuple, ...] = ()  # a lesson's live sibling lessons, in tree order


# Fields of the sibling lessons a lesson page shows (numbering, previous and next links).
SIBLING_FIELDS = ("id", "title", "slug", "url_path", "path", "depth")

# url_path -> (content token it was read at, rows). Only pages that exist are kept, so the size
# is bounded by the number of pages, whatever paths clients ask for; the bound is a second guard.
_served: dict[str, tuple[str | None, ServedRows]] = {}
SERVED_KEPT = 4096


def served_page(request, model: type[Page], url_path: str) -> Page | None:
    """The page of this type at this url_path, built from this process's copy of its rows, or
    None when there is not exactly one.

    Replaces, for the pages HomePage.route finds: the page query, Wagtail's two
    view-restriction queries and, for a lesson, its module and siblings (four queries, whose
    compiling cost more than the rest of the page). The page gets `_served`, which
    `ServedPageMixin` and `LessonPage.get_context` read instead of querying.
    """
    token = request_token(request)
    cached = _served.get(url_path)
    if cached is None or cached[0] != token or cached[1].model is not model:
        rows = _read_served(model, url_path)
        if rows is None:
            return None
        if len(_served) >= SERVED_KEPT:
            _served.clear()
        cached = _served[url_path] = (token, rows)
    rows = cached[1]
    page = _loader(model).load(rows.page)
    page._served = rows
    return page


def served_restrictions(rows: ServedRows) -> list[PageViewRestriction]:
    loader = _loader(PageViewRestriction)
    return [loader.load(row) for row in rows.restrictions]


def served_place(rows: ServedRows, lesson_id: int) -> dict | None:
    """A lesson's place in its module, as LessonPage.get_context gives it: `module`,
    `lesson_number`, `lesson_count`, `previous_lesson`, `next_lesson` (the neighbours only are
    built, with SIBLING_FIELDS). None when the rows hold no module, or the lesson is not among
    its live lessons."""
    siblings = _loader(Page, SIBLING_FIELDS)
    ids = [row[siblings.pk_index] for row in rows.siblings]
    if rows.module is None or lesson_id not in ids:
        return None
    position = ids.index(lesson_id)
    before = rows.siblings[position - 1] if position > 0 else None
    after = rows.siblings[position + 1] if position + 1 < len(ids) else None
    return {
        "module": _loader(ModulePage).load(rows.module),
        "lesson_number": position + 1,
        "lesson_count": len(ids),
        "previous_lesson": siblings.load(before) if before else None,
        "next_lesson": siblings.load(after) if after else None,
    }


def _loader(model, fields=None) -> RowLoader:
    return row_loader(model, connection.alias, fields=fields)


def _read_served(model: type[Page], url_path: str) -> ServedRows | None:
    """Read a page's rows with the queries serving it made before (the ORM's own SQL, run
    without its converters, which each request's instances apply)."""
    found = _raw(
        model.objects.filter(slug=url_path.rstrip("/").rsplit("/", 1)[-1], url_path=url_path)[:2]
    )
    if len(found) != 1:
        return None
    page = _loader(model).load(found[0])
    # Wagtail's own: the restrictions on the page and its ancestors, aliases resolved.
    restrictions = tuple(_raw(Page.get_view_restrictions(page)))
    if model is not LessonPage:
        return ServedRows(model, found[0], restrictions)
    [module] = _raw(ModulePage.objects.filter(path=page.path[: -Page.steplen])) or [None]
    siblings = _raw(
        page.get_siblings(inclusive=True).live().order_by("path").values_list(*_sibling_attnames())
    )
    return ServedRows(model, found[0], restrictions, module, tuple(siblings))


def _sibling_attnames() -> list[str]:
    """SIBLING_FIELDS in the model's field order, which the loader expects."""
    return list(_loader(Page, SIBLING_FIELDS).attnames)


def _raw(queryset) -> list[tuple]:
    """A queryset's rows as the database returns them: its SQL, without converters."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


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
# Saving any page (publishing and unpublishing save it too), deleting one, moving one, any
# change to a view restriction, and any change to a site (site_for_request); courses.rendered
# adds what lesson pages show from outside their page (testimony, support services, images,
# documents). Receivers run inside the change's transaction, so a rollback restores the old
# token with the old content.


def _content_changed_receiver(**kwargs) -> None:
    content_changed()


_RECEIVER_UID = "courses.structure.content_changed"


def replace_token_on_change(model, *, on_save: bool = True) -> None:
    """Replace the content token whenever a row of `model` is saved (unless `on_save` is
    False) or deleted, in the change's transaction."""
    if on_save:
        post_save.connect(_content_changed_receiver, sender=model, dispatch_uid=_RECEIVER_UID)
    post_delete.connect(_content_changed_receiver, sender=model, dispatch_uid=_RECEIVER_UID)


def connect_receivers() -> None:
    for model in [*get_page_models(), PageViewRestriction, Site]:
        replace_token_on_change(model)
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_content_changed_receiver, dispatch_uid=_RECEIVER_UID)

"""Per-process copies of what serving a page reads, keyed by the content token.

The site every page Wagtail serves looks up (`site_for_request`), the site root paths, and
what serving a programme, module or lesson page reads about its place in the tree
(`served_page`): kept as the rows the database returned, so that each request builds instances
of its own. Lesson structure for progress lives in courses.progress.lessons; the content token
and its receivers in courses.models.content and courses.signals.
"""

from dataclasses import dataclass

from django.db import connection, connections
from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname

from courses.models import ContentVersion, LessonPage, ModulePage
from courses.progress.lessons import LEARNER_BARRED, counted_lessons  # noqa: F401 - re-exported
from courses.rawsql import RowLoader, row_loader
from courses.signals import replace_token_on_change  # noqa: F401 - re-exported for rendered

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
        return ContentVersion.current_token()
    try:
        return request._content_token
    except AttributeError:
        pass
    user = getattr(request, "user", None)
    read_with_user = getattr(user, "content_token_at_load", None) if user is not None else None
    if read_with_user is not None and read_with_user[0] == connection.alias:
        request._content_token = read_with_user[1]
    else:
        request._content_token = ContentVersion.current_token()
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
    return ContentVersion.current_token()


def content_changed() -> None:
    ContentVersion.replace_token()

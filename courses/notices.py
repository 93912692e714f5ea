"""Content notices on a learner's pages. A module's notice shows once per module visit: on the
module's page, on "Before you start", or above its first lesson if neither showed it in this
session. Content warnings list the learner's own force's support services as well as the
national ones, and never a list that is already on the screen (LessonPage.content_warnings)."""

from courses.models import LessonPage, ModulePage, SupportService

SEEN_SESSION_KEY = "content_notices_seen"


def _seen_key(module: ModulePage) -> str:
    """A module is seen in every language once seen in one: kept by its translation key."""
    return str(module.translation_key)


def notice_seen(request, module: ModulePage) -> bool:
    return _seen_key(module) in request.session.get(SEEN_SESSION_KEY, [])


def mark_notice_seen(request, module: ModulePage) -> None:
    """Remember, for this session, that the learner was shown the module's notice (a session
    write the first time only)."""
    seen = request.session.get(SEEN_SESSION_KEY, [])
    if _seen_key(module) not in seen:
        request.session[SEEN_SESSION_KEY] = [*seen, _seen_key(module)]


def lesson_notices(request, lesson: LessonPage, context: dict) -> dict:
    """For a learner's lesson page (`context` is the page's own): whether the module's notice
    shows above it, and what each content warning lists. No query for a lesson without either;
    one for the notice's services, or for the learner's force's services, when one shows (plus
    the warnings' chosen services, as rendering them would)."""
    module, notice = context.get("module"), context.get("module_notice")
    show = bool(
        context.get("show_module_notice")
        and notice is not None
        and not notice_seen(request, module)
        and notice.shown
    )
    if show:
        mark_notice_seen(request, module)
    found = {"show_module_notice": show}
    if lesson.has_block("content_warning"):
        if show:  # the notice's query already read the learner's force's services
            own_force = [service for service in notice.services if service.force_id]
        else:
            own_force = list(
                SupportService.objects.for_learner(request.user).filter(force__isnull=False)
            )
        found["content_warnings"] = lesson.content_warnings(
            own_force=own_force, notice=notice if show else None
        )
    return found

import contextlib
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from courses import learner_journey, notices, selectors, services
from courses.context_processors import fragment_version
from courses.forms import AnswerForm, EventForm, ReflectionForm
from courses.models import (
    LEARNER_BARRED,
    ContentNotice,
    ContentVersion,
    LessonPage,
    ModulePage,
    ProgressStatus,
    SupportAudience,
    SupportService,
    Verb,
    localized_all,
)
from courses.progress.lessons import LessonStructure, lesson_structures
from courses.session_views import lesson_form, wants_json


def support(request):
    """National support services, plus the learner's own force's, grouped by who they are for.

    Public: no sign-in needed, so anyone affected can reach it. One query for the services
    (and one for their translations, in Welsh).
    """
    visible = Q(force__isnull=True)
    if request.user.is_authenticated:
        visible |= Q(force__learner_profiles__user_id=request.user.pk)
    services = localized_all(SupportService.objects.sources().filter(visible))
    groups = [
        {"label": label, "services": [s for s in services if s.audience == value]}
        for value, label in SupportAudience.choices
    ]
    return render(request, "courses/support.html", {"groups": [g for g in groups if g["services"]]})


# --- Learner journey ---------------------------------------------------------------------------

REFLECTION_SAVED_SESSION_KEY = "reflection_saved"
REFLECTION_SAVED = gettext_lazy("Your reflection is saved. Only you can see it.")
REFLECTION_CLEARED = gettext_lazy("Your reflection has been cleared.")


@login_required
def dashboard(request):
    """My learning: the modules the learner's role requires, in order and with due dates, then
    every other live module; each with progress, time left and where to carry on; and, for a
    trained learner, the invitation to be a Champion or their Champion status (one query)."""
    cards = selectors.learner_dashboard(request.user)
    return render(
        request,
        "courses/dashboard.html",
        {
            "cards": cards,
            "required_cards": [card for card in cards if card.required],
            "other_cards": [card for card in cards if not card.required],
            "champion": selectors.learner_champion(request.user),
            "post_survey": selectors.post_survey_offer(user=request.user),
        },
    )


def serve_lesson_on_journey(serve):
    """An `on_serve_page` hook (courses.wagtail_hooks): Wagtail serves a lesson or a module to
    a signed-in user through lesson_page() or module_page(), so that the learner's journey is
    added above the page model. Registered after Wagtail's view-restriction check, which
    therefore still runs first."""

    def inner(page, request, serve_args, serve_kwargs):
        if isinstance(page, LessonPage) and request.user.is_authenticated:
            return lesson_page(request, page, *serve_args, **serve_kwargs)
        if isinstance(page, ModulePage) and request.user.is_authenticated:
            notices.mark_notice_seen(request, page)  # the module's page shows its notice
            return module_page(request, page, *serve_args, **serve_kwargs)
        return serve(page, request, serve_args, serve_kwargs)

    return inner


def module_page(request, module: ModulePage, *args, **kwargs) -> TemplateResponse:
    """Wagtail's serve of the module, with the learner's state in each lesson and where to go
    next (selectors.learner_module, as My learning reads it): two queries more."""
    response = module.serve(request, *args, **kwargs)
    lessons = response.context_data["lessons"]
    card = selectors.learner_module(request.user, module, lessons)
    response.context_data["card"] = card
    response.context_data["lesson_rows"] = [
        {
            "lesson": lesson,
            "status": card.lesson_statuses.get(lesson.pk, ProgressStatus.NOT_STARTED),
        }
        for lesson in lessons
    ]
    return response


def lesson_page(request, lesson: LessonPage, *args, **kwargs) -> TemplateResponse:
    """Wagtail's serve of the lesson, with the learner's journey added to its context."""
    response = lesson.serve(request, *args, **kwargs)
    token = ContentVersion.current_token()  # read once, for the journey and the fragments' keys
    siblings = response.context_data.get("lessons")  # the module's live lessons (position())
    journey = lesson_journey_context(request, lesson, token=token, siblings=siblings)
    if journey.get("pre_survey") is not None:
        # Before the programme's first lesson: the voluntary survey's offer, then this lesson.
        offer = reverse("courses:survey_offer", args=[journey["pre_survey"].pk])
        return redirect(f"{offer}?{urlencode({'next': request.get_full_path()})}")
    response.context_data.update(journey)
    response.context_data.update(notices.lesson_notices(request, lesson, response.context_data))
    response.context_data["content_version"] = fragment_version(token)
    return response


def lesson_journey_context(
    request, lesson: LessonPage, *, token: str | None, siblings: list | None = None
) -> dict:
    """What the lesson template needs for the learner journey, beside the page's own context.

    Records `experienced` the first time a learner opens a live lesson (later views add nothing
    to the ledger; previews, and users without a learner profile, record nothing). Returns the
    learner's status, a fresh event id for "Mark complete", per-option feedback for a
    just-submitted knowledge check, and the learner's own reflections. On a learner's first
    lesson of a programme whose survey they have not answered or skipped, only `pre_survey`
    (selectors.pre_survey_offer), and nothing is recorded. One query, a second for
    the reflections when the lesson has a reflection prompt, plus the recording on a first view.

    A lesson that takes no progress (behind a password or group restriction the viewer has
    passed: courses.progress.lessons) says so instead of offering "Mark complete", and records
    nothing; its knowledge checks still give feedback.

    On the module's last lesson, what else the module needs once this lesson is finished
    (`left_lessons`, `left_check`: learner_journey.steps_left), for progress.js to say.
    """
    user = request.user
    if not user.is_authenticated or not lesson.live or getattr(request, "is_preview", False):
        return {}  # editors' previews and drafts: nothing to record or resume
    structure = _structure(lesson, token)
    if structure is None:
        return {
            "progress_not_recorded": True,
            **learner_journey.feedback_pop(request, lesson),
            **_reflection_context(request, lesson),
        }
    # The learner's status in every lesson of the module, in one query, by the source
    # lessons' ids (a translation's record is its source's: structure.lesson_id).
    statuses = selectors.learner_lesson_statuses(
        user, structure.live_lesson_ids | {structure.lesson_id}
    )
    status = statuses.get(structure.lesson_id, ProgressStatus.NOT_STARTED)
    left_lessons = left_check = None
    if siblings and siblings[-1].pk == lesson.pk:
        left_lessons, left_check = learner_journey.steps_left(
            request, lesson=lesson, lessons=siblings, structure=structure, statuses=statuses
        )
    if status == ProgressStatus.NOT_STARTED:
        # A learner's first lesson of a programme with a survey: offered first (one query, on
        # a lesson's first view only). Returned alone: lesson_page() redirects to the offer.
        pre_survey = selectors.pre_survey_offer(user=user, lesson=lesson)
        if pre_survey is not None:
            return {"pre_survey": pre_survey}
        # Nothing is recorded for users without a learner profile.
        with contextlib.suppress(services.NotALearner, services.ProgressRejected):
            services.progress_record(
                learner=user, event_id=uuid.uuid4(), lesson=lesson, verb=Verb.EXPERIENCED
            )
            status = ProgressStatus.IN_PROGRESS
    return {
        "lesson_status": status,
        "lesson_completed": status == ProgressStatus.COMPLETED,
        "complete_event_id": uuid.uuid4(),
        **learner_journey.feedback_pop(request, lesson),
        **_reflection_context(request, lesson),
        "left_lessons": left_lessons,
        "left_check": left_check,
    }


def _structure(lesson: LessonPage, token: str | None) -> LessonStructure | None:
    """The lesson's place in the course when progress can be recorded on it, as
    progress_record() decides; else None."""
    found = lesson_structures(lesson_ids=[lesson.pk], token=token).get(lesson.pk)
    return found if found is not None and found.available else None


def _reflection_context(request, lesson: LessonPage) -> dict:
    """The learner's reflections by block id, and the confirmation to show beside a prompt
    just saved without JavaScript (POST/redirect/GET, shown once). Only reflection prompts
    show reflections (by block id): without one, nothing is read."""
    if not lesson.has_block("reflection_prompt"):
        return {}
    saved = learner_journey.lesson_note_pop(request, REFLECTION_SAVED_SESSION_KEY, lesson)
    return {
        "has_reflection_prompt": True,
        "reflections": selectors.learner_reflections(request.user, lesson),
        "reflection_notices": saved or {},
    }


def _live_lesson(request, page_id: int) -> tuple[LessonPage, list]:
    """The live lesson a form posts to, with the view restrictions on it and its ancestors.

    A viewer who has not passed them gets a 403, as the lesson's own URL would refuse them:
    these views answer bad input by showing the lesson (_rejected), and must not show its
    content to someone outside its group or without its password.
    """
    lesson = get_object_or_404(LessonPage.objects.live(), pk=page_id)
    restrictions = lesson.get_view_restrictions()
    if not all(restriction.accept_request(request) for restriction in restrictions):
        raise PermissionDenied(
            gettext("This lesson is restricted. Open it from its page to see it.")
        )
    return lesson, restrictions


def _block(lesson: LessonPage, block_id: str, block_type: str):
    return next((c for c in lesson.body if c.id == block_id and c.block_type == block_type), None)


@lesson_form
def lesson_answer(request, page_id: int):
    """Score a knowledge-check answer on the server, keep the best score, show feedback."""
    lesson, restrictions = _live_lesson(request, page_id)
    check = _block(lesson, request.POST.get("block_id", ""), "knowledge_check")
    if check is None:
        return _rejected(
            request, lesson, gettext("That question is no longer part of this lesson.")
        )
    form = AnswerForm(request.POST, option_count=len(check.value["options"]))
    if not form.is_valid():
        return _rejected(request, lesson, _first_error(form))
    answers = form.cleaned_data["answer"]
    if any(r.restriction_type in LEARNER_BARRED for r in restrictions):
        # Feedback only: behind a password or group restriction (which this viewer passed),
        # the lesson takes no progress. Otherwise progress_record() decides, and explains.
        attempts = learner_journey.unrecorded_attempt(request, lesson, check.id)
        return _show_feedback(request, lesson, check, answers, attempts=attempts)
    result, refused = _record(
        request,
        lesson,
        event_id=form.cleaned_data["event_id"] or uuid.uuid4(),
        verb=Verb.ANSWERED,
        result={"block_id": check.id, "answers": answers},
    )
    if refused is not None:
        return refused
    certificate_url = None
    if result.finished_module:  # this answer reached the pass mark with every lesson done
        certificate_url = reverse("courses:certificate", args=[result.module_progress.module_id])
    attempts = result.outcome.attempts if result.outcome is not None else 0
    return _show_feedback(
        request, lesson, check, answers, attempts=attempts, certificate_url=certificate_url
    )


def _show_feedback(request, lesson: LessonPage, check, answers, **kept):
    """POST/redirect/GET: the lesson re-scores these answers once to show per-option feedback
    (and, when the answer completed the module, that the certificate is ready)."""
    learner_journey.feedback_keep(request, lesson, check.id, answers, **kept)
    return redirect(f"{lesson.get_url(request)}#check-{check.id}")


@lesson_form
def lesson_reflect(request, page_id: int):
    """Save the learner's private reflection. A form post returns to the prompt, where the
    confirmation shows beside it; the lesson script (Accept: application/json) gets JSON and
    stays on the page."""
    lesson, _ = _live_lesson(request, page_id)
    answer_json = wants_json(request)
    form = ReflectionForm(request.POST)
    error = None if form.is_valid() else _first_error(form)
    if error is None:
        block_id = form.cleaned_data["block_id"]
        try:
            saved = services.reflection_save(
                learner=request.user,
                lesson=lesson,
                block_id=block_id,
                text=form.cleaned_data["text"],
            )
        except ValueError as refused:
            error = str(refused)
    if error is not None:
        if answer_json:
            return JsonResponse({"detail": error}, status=400)
        return _rejected(request, lesson, error)
    notice = str(REFLECTION_CLEARED if saved is None else REFLECTION_SAVED)
    if answer_json:
        return JsonResponse({"saved": saved is not None, "detail": notice})
    learner_journey.lesson_note_keep(
        request, REFLECTION_SAVED_SESSION_KEY, lesson, {block_id: notice}
    )
    return redirect(f"{lesson.get_url(request)}#reflection-{block_id}")


@lesson_form
def lesson_complete(request, page_id: int):
    """Record `completed` once per rendered form, then go on: next lesson, or certificate."""
    lesson, _ = _live_lesson(request, page_id)
    form = EventForm(request.POST)
    if not form.is_valid():
        return _rejected(request, lesson, _first_error(form))
    outcome, refused = _record(
        request, lesson, event_id=form.cleaned_data["event_id"], verb=Verb.COMPLETED
    )
    if refused is not None:
        return refused
    progress = outcome.module_progress
    completed = progress.completed_at is not None and progress.certificate_code
    if outcome.finished_module:  # this press finished the module
        messages.success(request, gettext("Module complete. Well done: your certificate is ready."))
        return redirect("courses:certificate", module_id=progress.module_id)
    position = lesson.position()
    if position["next_lesson"] is not None:
        return redirect(position["next_lesson"].get_url(request))
    if completed:  # going through a completed module again
        return redirect("courses:certificate", module_id=progress.module_id)
    # The module's last lesson, and the module is not complete: say what is left, with a link.
    messages.info(
        request, learner_journey.left_message(request, lesson, position["lessons"], progress)
    )
    return redirect("courses:dashboard")


def _first_error(form) -> str:
    return next(error for errors in form.errors.values() for error in errors)


def _rejected(request, lesson: LessonPage, message: str, status: int = 400):
    """Bad input: show the lesson again, with the problem at the top, as a 4xx."""
    messages.error(request, message)
    response = lesson_page(request, lesson)
    response.render()
    response.status_code = status
    return response


def _record(request, lesson, **event) -> tuple[services.ProgressResult | None, HttpResponse | None]:
    """progress_record() for a form post: (result, None), or (None, the page explaining why
    nothing was recorded: 409 for a reused event id, 403 for a non-learner, 400 otherwise)."""
    try:
        return services.progress_record(learner=request.user, lesson=lesson, **event), None
    except services.ProgressConflict:
        return None, _conflict(request, lesson)
    except services.NotALearner as error:
        return None, _rejected(request, lesson, str(error), status=403)
    except ValidationError as error:  # ProgressRejected
        return None, _rejected(request, lesson, " ".join(error.messages))


def _conflict(request, lesson: LessonPage):
    return render(
        request,
        "courses/lesson_conflict.html",
        {"lesson": lesson, "lesson_url": lesson.get_url(request)},
        status=409,
    )


@login_required
def content_notice(request, page_id: int):
    """What a module covers that may be distressing, before its first lesson, with a way out."""
    module = get_object_or_404(ModulePage.objects.live(), pk=page_id)
    first = LessonPage.objects.live().child_of(module).order_by("path").first()
    notice = ContentNotice(module, request.user)
    if not notice.shown and first is not None:
        return redirect(first.get_url(request))
    notices.mark_notice_seen(request, module)
    return render(
        request,
        "courses/content_notice.html",
        {"module": module, "first_lesson": first, "notice": notice},
    )

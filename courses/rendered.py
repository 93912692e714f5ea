"""A lesson page's HTML, and My learning's module cards, rendered once per process per content
version, and reused.

Rendering the templates was about half of a lesson page's CPU (the lesson's blocks, the header
and footer, a dozen `{% url %}` and `{% static %}` tags), and nearly all of it is the same for
every learner: what differs is the CSRF token (masked afresh for each response), the event id
of "Mark complete", and a few states. So each process keeps a lesson's rendering per
*variant* (whether the learner has completed it, whether it takes progress), made with
placeholders where the CSRF token and the event id go, and each request gets a copy with its
own values put in. The journey without JavaScript is unchanged: every response is the whole
page, as before.

A kept rendering is used only while everything it shows is unchanged:
- the content token (`courses.structure`) is replaced by any change to a page, a view
  restriction or a site, and also to what a lesson shows from outside its page: testimony
  (consent withdrawn), support services, images and documents (`connect_receivers` below);
- the date: testimony disappears when its consent review date passes;
- the host and scheme, which page URLs are built for, and the language.

Anything particular to one learner renders as before, without the kept copy: feedback on a
knowledge check just answered, saved reflections, messages, and the editors' user bar.
"""

import secrets

from django.contrib.messages import get_messages
from django.template.loader import get_template
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from courses import structure
from courses.csrf import fresh_token
from courses.templatetags.editor_userbar import userbar_hidden

# Where each response's own values go: random per process, so no content can contain them.
CSRF_PLACEHOLDER = f"csrf{secrets.token_hex(16)}"
EVENT_PLACEHOLDER = f"event{secrets.token_hex(16)}"

# (lesson id, variant, host, scheme, language, date) -> (content token, HTML with placeholders).
# Two or three variants a lesson in practice: a few hundred renderings of 4-20 KB. The bound
# (at most 20 MB of 20 KB pages) guards against a flood of hosts, not a working limit; when it
# is reached, everything kept is dropped and renders again on its next view.
_kept: dict[tuple, tuple[str | None, str]] = {}
KEPT_RENDERINGS = 1024


class LessonResponse(TemplateResponse):
    """A lesson page's response: rendered from this process's kept copy when it may be.

    `key` is None for a response that must render on its own (lesson_key() says when);
    `more_context()` gives what only rendering needs (the lesson's place in its module), which
    the response adds when it renders with placeholders.
    """

    def __init__(self, request, template, context, *, key, more_context=dict):
        super().__init__(request, template, context)
        self.key, self.more_context = key, more_context

    @property
    def rendered_content(self):
        if self.key is None:
            return super().rendered_content
        token = structure.request_token(self._request)
        html = _kept_or_rendered(
            _kept, KEPT_RENDERINGS, self.key, token, self._render_with_placeholders
        )
        html = html.replace(CSRF_PLACEHOLDER, fresh_token(self._request))
        event_id = self.context_data.get("complete_event_id")
        return html.replace(EVENT_PLACEHOLDER, str(event_id)) if event_id else html

    def _render_with_placeholders(self) -> str:
        context = {**self.context_data, **self.more_context(), "csrf_token": CSRF_PLACEHOLDER}
        if context.get("complete_event_id"):
            context["complete_event_id"] = EVENT_PLACEHOLDER
        template = self.resolve_template(self.template_name)
        return str(template.render(context, self._request))


def lesson_key(request, lesson, context: dict) -> tuple | None:
    """The kept rendering's key for this lesson page's response, or None when the response
    shows something of this learner's beyond the variants (or the editors' user bar)."""
    if (
        context.get("check_feedback")
        or context.get("reflections")
        or not userbar_hidden(request.user)
        or len(get_messages(request))
    ):
        return None
    variant = (
        bool(context.get("lesson_completed")),
        bool(context.get("complete_event_id")),
        bool(context.get("progress_not_recorded")),
    )
    return (
        lesson.pk,
        variant,
        request.get_host(),
        request.scheme,
        get_language(),
        timezone.localdate(),
    )


# --- My learning's module cards --------------------------------------------------------------
# Rendering 30 module cards was most of My learning's CPU (about 3.6 of 4.2 ms), and a card
# shows only the module's content and a few numbers of the learner's (ModuleCard.state): every
# learner who has not started a module sees the same card for it, and so do those who have
# finished the same lessons of it. Each process keeps a card's rendering per state, for as long
# as the content token, the host and scheme (lesson URLs), the language and the time zone (the
# completion date) are unchanged.

# (card state, host, scheme, language, time zone) -> (content token, HTML). A module has a few
# dozen states in practice (the lessons done, the completion date); the bound guards against a
# flood, and when it is reached everything kept is dropped and renders again when next shown.
_kept_cards: dict[tuple, tuple[str | None, str]] = {}
KEPT_CARDS = 4096
CARD_TEMPLATE = "courses/includes/module_card.html"


def module_cards(request, cards) -> list[str]:
    """Each card's HTML (safe strings), from this process's kept renderings where they are
    current; the others render and are kept."""
    token = structure.request_token(request)
    place = (
        request.get_host(),
        request.scheme,
        get_language(),
        timezone.get_current_timezone_name(),
    )
    return [
        _kept_or_rendered(
            _kept_cards,
            KEPT_CARDS,
            (card.state, *place),
            token,
            lambda card=card: get_template(CARD_TEMPLATE).render({"card": card}, request),
        )
        for card in cards
    ]


def _kept_or_rendered(kept: dict, bound: int, key: tuple, token, render) -> str:
    """The HTML kept under `key` if it was rendered at this content token; otherwise `render()`'s,
    kept for the next time. At `bound` entries everything kept is dropped first."""
    found = kept.get(key)
    if found is not None and found[0] == token:
        return found[1]
    html = render()
    if len(kept) >= bound:
        kept.clear()
    kept[key] = (token, html)
    return html


# --- Invalidation -----------------------------------------------------------------------------
# What a lesson shows from outside its page. Pages, view restrictions and sites replace the
# token already (courses.structure); these do too, in the change's transaction.


def connect_receivers() -> None:
    from courses.models import SupportService, Testimony

    image_model = get_image_model()
    for model in (Testimony, SupportService, image_model, get_document_model()):
        structure.replace_token_on_change(model)
    # A rendition is made while a page renders (no change then); deleting one changes its URL.
    structure.replace_token_on_change(image_model.get_rendition_model(), on_save=False)

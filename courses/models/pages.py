from dataclasses import dataclass

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from courses.blocks import LessonStreamBlock

from .snippets import SupportService
from .translations import localized_all

# Fields of a lesson's sibling lessons that its page shows (numbering, previous and next links).
SIBLING_FIELDS = ("id", "title", "slug", "url_path", "path", "depth")


# Restrictions a learner may not pass: a page behind one (on itself or an ancestor) takes no
# progress, and a lesson behind its own is not one of its module's lessons for completion.
LEARNER_BARRED = (PageViewRestriction.PASSWORD, PageViewRestriction.GROUPS)


def counted_lessons(lessons: QuerySet) -> QuerySet:
    """The live lessons of `lessons` that count towards their module: not behind a password
    or group restriction of their own (on an ancestor, the whole module takes no progress).
    Progress, the module page, My learning and the managers' lesson counts agree on these."""
    return lessons.live().exclude(view_restrictions__restriction_type__in=LEARNER_BARRED)


def lessons_minutes(lessons) -> int:
    """How long these lessons take: the sum of each lesson's own estimate. The one source of
    a module's time, wherever it is shown (the programme and module pages, My learning's time
    left, the managers' API)."""
    return sum(lesson.estimated_minutes for lesson in lessons)


def with_minutes(modules: list, *, within: Page) -> list:
    """Sets `minutes` (lessons_minutes of its counted lessons) on each of these module pages,
    all under `within`, in one query for their lessons however many there are; returns them."""
    by_module: dict[str, list] = {}
    lessons = counted_lessons(LessonPage.objects.descendant_of(within))
    for lesson in lessons.only("path", "estimated_minutes") if modules else ():
        by_module.setdefault(lesson.path[: -Page.steplen], []).append(lesson)
    for module in modules:
        module.minutes = lessons_minutes(by_module.get(module.path, ()))
    return modules


# Blocks that show something of the learner's (a form with its CSRF token, their answers or
# reflection) or of their force (a content warning lists their own force's support services):
# rendered for each request, never kept in a shared fragment.
PERSONAL_BLOCKS = frozenset({"knowledge_check", "reflection_prompt", "content_warning"})


class ModuleTheme(models.TextChoices):
    LEADERSHIP = "leadership", _("Leadership")
    MENS_ROLE = "mens-role", _("Men's role")
    SURVIVOR_VOICES = "survivor-voices", _("Survivor voices")
    PERPETRATOR_FOCUS = "perpetrator-focus", _("Perpetrator focus")
    OTHER = "other", _("Other")


class SignInRequiredMixin:
    """Learner pages need a signed-in user; anonymous visitors go to the sign-in page.

    Only `serve` is guarded: Wagtail's preview renders through `serve_preview`, which the admin
    already restricts to editors.
    """

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("account_login"))
        return super().serve(request, *args, **kwargs)


class ProgrammePage(Page):
    """A programme (e.g. DA Matters): a set of modules taken in any order."""

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("Introduces the programme to learners."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.ModulePage"]

    def get_context(self, request, *args, **kwargs):
        """The live modules, each with `minutes` (lessons_minutes of its counted lessons):
        two queries, whatever the number of modules and lessons."""
        context = super().get_context(request, *args, **kwargs)
        modules = list(ModulePage.objects.child_of(self).live())
        context["modules"] = with_minutes(modules, within=self)
        return context


class ModulePageForm(WagtailAdminPageForm):
    """The module's admin form: support services are listed with the content notice, so a
    module that lists services needs the notice's words too."""

    def clean(self):
        cleaned_data = super().clean()
        notice = strip_tags(cleaned_data.get("content_notice") or "").strip()
        if cleaned_data.get("notice_support_services") and not notice:
            self.add_error(
                "content_notice",
                "Write the content notice: say what the module covers that may be distressing. "
                "The support services you chose are listed under it.",
            )
        return cleaned_data


class ModulePage(SignInRequiredMixin, Page):
    """A module: lessons taken in order, with a knowledge-check pass mark."""

    theme = models.CharField(
        max_length=30, choices=ModuleTheme.choices, help_text=_("The module's theme.")
    )
    summary = models.TextField(help_text=_("One or two sentences shown on the dashboard."))
    learning_outcomes = RichTextField(
        blank=True,
        features=["bold", "italic", "ul", "ol"],
        help_text=_("What a learner will be able to do afterwards, as a list."),
    )
    content_notice = RichTextField(
        blank=True,
        features=["bold", "italic", "link", "ul"],
        help_text=_(
            "Shown before the first lesson: what the module covers that may be distressing."
        ),
    )
    notice_support_services = ParentalManyToManyField(
        "courses.SupportService",
        blank=True,
        related_name="+",
        help_text=_("Support services listed with the content notice."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Knowledge-check score (percent) needed to complete the module."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("theme"),
        FieldPanel("summary"),
        FieldPanel("learning_outcomes"),
        MultiFieldPanel(
            [
                FieldPanel("content_notice"),
                FieldPanel("notice_support_services", widget=forms.CheckboxSelectMultiple),
            ],
            heading="Content notice",
        ),
        FieldPanel("pass_mark"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("learning_outcomes"),
        index.FilterField("theme"),
    ]
    parent_page_types = ["courses.ProgrammePage"]
    subpage_types = ["courses.LessonPage"]
    base_form_class = ModulePageForm

    def get_context(self, request, *args, **kwargs):
        """The lessons that count towards the module (counted_lessons), without their bodies,
        and their time (lessons_minutes). What the signed-in learner has done is added by
        courses.views.module_page (an `on_serve_page` hook, as for lessons)."""
        context = super().get_context(request, *args, **kwargs)
        lessons = list(counted_lessons(LessonPage.objects.child_of(self)).defer_streamfields())
        context["lessons"] = lessons
        context["minutes"] = lessons_minutes(lessons)
        context["module_notice"] = ContentNotice(self, request.user)
        return context


class LessonPage(SignInRequiredMixin, Page):
    """One lesson of a module, built from StreamField blocks."""

    body = StreamField(LessonStreamBlock(), help_text=_("The lesson's content, block by block."))
    estimated_minutes = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("How long this lesson takes, in minutes."),
    )

    content_panels = [*Page.content_panels, FieldPanel("body"), FieldPanel("estimated_minutes")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []

    def get_context(self, request, *args, **kwargs):
        """Wagtail's context and the lesson's place in its module (`module`, `lesson_number`,
        `lesson_count`, `previous_lesson`, `next_lesson`): two queries whatever the module's size.
        The first lesson shows the module's content notice (`module_notice`, read only if it
        renders); a learner's journey shows it once per module visit instead.

        What the learner's journey adds (progress, the "Mark complete" form, check feedback,
        reflections) comes from courses.views.lesson_page, which Wagtail's page serving
        delegates to for signed-in learners (an `on_serve_page` hook, courses.wagtail_hooks).
        """
        context = super().get_context(request, *args, **kwargs)
        context.update(self.place())
        module = context["module"]
        notice = ContentNotice(module, request.user) if module else None
        context["module_notice"] = notice
        context["show_module_notice"] = context["lesson_number"] == 1
        if getattr(request, "is_preview", False):  # editors: national services only
            shown = notice if notice and context["show_module_notice"] else None
            context["content_warnings"] = self.content_warnings(own_force=[], notice=shown)
        return context

    def has_block(self, block_type: str) -> bool:
        """Whether the body has a block of this type, from the stored JSON (without building
        the blocks, which may query snippets)."""
        return any(raw["type"] == block_type for raw in self.body.raw_data)

    def content_warnings(
        self, *, own_force: list, notice: "ContentNotice | None"
    ) -> dict[str, "WarningSupport"]:
        """The support services each content warning block lists, by block id: the national
        ones its editor chose, and the learner's own force's (`own_force`; a service of another
        force is left out). A warning whose services are all listed above it (by `notice`, the
        module's notice shown on this page, or an earlier warning) points there instead of
        listing them again. Builds the content warning blocks only (one query for their
        services)."""
        # Services are compared by translation key: the same service in any language.
        own_keys = {service.translation_key for service in own_force}
        above = [("content-notice", {s.translation_key for s in notice.services})] if notice else []
        plans = {}
        for position, raw in enumerate(self.body.raw_data):
            if raw["type"] != "content_warning":
                continue
            child = self.body[position]
            chosen = [
                service
                for service in child.value["support_services"]
                if service and (service.force_id is None or service.translation_key in own_keys)
            ]
            chosen_keys = {service.translation_key for service in chosen}
            services = chosen + [s for s in own_force if s.translation_key not in chosen_keys]
            keys = {service.translation_key for service in services}
            anchor = next((anchor for anchor, listed in above if keys <= listed), "")
            if not anchor:
                above.append((f"warning-{child.id}", keys))
            plans[child.id] = WarningSupport(services=tuple(services), listed_above=anchor)
        return self._localized_warnings(plans)

    @staticmethod
    def _localized_warnings(plans: dict) -> dict:
        """The warnings' services in the learner's language (one query, none in English)."""
        every = [service for plan in plans.values() for service in plan.services]
        shown = iter(localized_all(every))
        return {
            key: WarningSupport(
                services=tuple(next(shown) for _ in plan.services), listed_above=plan.listed_above
            )
            for key, plan in plans.items()
        }

    def body_parts(self) -> list["BodyPart"]:
        """The body as runs of consecutive blocks, each either the same for every learner (the
        template keeps it as a fragment in the shared cache) or personal (PERSONAL_BLOCKS).
        Worked out from the stored JSON: a part's blocks are built only when it renders, so a
        part served from the cache costs no snippet or image query."""
        parts: list[BodyPart] = []
        for position, raw in enumerate(self.body.raw_data):
            shared = raw["type"] not in PERSONAL_BLOCKS
            if not parts or parts[-1].shared is not shared:
                parts.append(BodyPart(self, len(parts) + 1, shared, []))
            parts[-1].indexes.append(position)
        return parts

    def place(self) -> dict:
        """The parent module (one query) and the lesson's position among its live siblings
        (position())."""
        return {"module": ModulePage.objects.parent_of(self).first(), **self.position()}

    def position(self) -> dict:
        """`lesson_number`, `lesson_count`, `previous_lesson`, `next_lesson` and `lessons` (the
        module's live lessons in order), from one query: their ids, titles and paths (enough to
        build URLs). A draft being previewed is placed by its position in the tree."""
        siblings = list(self.get_siblings(inclusive=True).live().only(*SIBLING_FIELDS))
        if self.pk not in {page.pk for page in siblings}:
            siblings = sorted([*siblings, self], key=lambda page: page.path)
        i = [page.pk for page in siblings].index(self.pk)
        return {
            "lesson_number": i + 1,
            "lesson_count": len(siblings),
            "previous_lesson": siblings[i - 1] if i > 0 else None,
            "next_lesson": siblings[i + 1] if i + 1 < len(siblings) else None,
            "lessons": siblings,
        }


@dataclass
class BodyPart:
    """Consecutive blocks of a lesson body that are all shared, or all personal."""

    page: LessonPage
    number: int  # from 1, in the body's order: part of a shared part's fragment key
    shared: bool
    indexes: list[int]

    @property
    def blocks(self) -> list:
        return [self.page.body[position] for position in self.indexes]


@dataclass(frozen=True)
class WarningSupport:
    """What one content warning block lists: its services, or where above they already are."""

    services: tuple
    listed_above: str  # the id of the element above that lists all of them, or ""


class ContentNotice:
    """A module's content notice as one user sees it: its words, and the support services it
    lists for them (SupportService.objects.for_notice: one query, made only when read)."""

    def __init__(self, module: ModulePage, user):
        self.module, self.user = module, user

    @property
    def text(self) -> str:
        return self.module.content_notice

    @cached_property
    def services(self) -> list:
        """The services in the learner's language (a translation when there is one), each
        with `chosen_for_notice`."""
        sources = list(SupportService.objects.for_notice(self.module, self.user))
        shown = localized_all(sources)
        for source, service in zip(sources, shown, strict=True):
            service.chosen_for_notice = source.chosen_for_notice
        return shown

    @cached_property
    def shown(self) -> bool:
        """Whether there is a notice to show: its words, or services the editor chose for it (a
        module saved before the words were required still lists its services)."""
        has_text = bool(strip_tags(self.text or "").strip())
        return has_text or any(service.chosen_for_notice for service in self.services)

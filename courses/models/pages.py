from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.blocks import LessonStreamBlock


class ModuleTheme(models.TextChoices):
    LEADERSHIP = "leadership", "Leadership"
    MENS_ROLE = "mens-role", "Men's role"
    SURVIVOR_VOICES = "survivor-voices", "Survivor voices"
    PERPETRATOR_FOCUS = "perpetrator-focus", "Perpetrator focus"
    OTHER = "other", "Other"


class SignInRequiredMixin:
    """Learner pages need a signed-in user; anonymous visitors go to the sign-in page.

    Only `serve` is guarded: Wagtail's preview renders through `serve_preview`, which the admin
    already restricts to editors.
    """

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("account_login"))
        return super().serve(request, *args, **kwargs)


class ServedPageMixin:
    """For the page types HomePage.route finds through courses.structure.served_page: a page
    built there answers Wagtail's view-restriction check (a `before_serve_page` hook) from the
    rows kept with it, instead of two queries. Other instances (the admin's, previews) ask
    the database as Wagtail does."""

    def get_view_restrictions(self):
        served = getattr(self, "_served", None)
        if served is None:
            return super().get_view_restrictions()
        from courses import structure  # imported here: courses.structure imports the models

        return structure.served_restrictions(served)


class ProgrammePage(ServedPageMixin, Page):
    """A programme (e.g. DA Matters): a set of modules taken in any order."""

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="Introduces the programme to learners.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.ModulePage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["modules"] = list(ModulePage.objects.child_of(self).live())
        return context


class ModulePage(SignInRequiredMixin, ServedPageMixin, Page):
    """A module: lessons taken in order, with a knowledge-check pass mark."""

    theme = models.CharField(
        max_length=30, choices=ModuleTheme.choices, help_text="The module's theme."
    )
    summary = models.TextField(help_text="One or two sentences shown on the dashboard.")
    learning_outcomes = RichTextField(
        blank=True,
        features=["bold", "italic", "ul", "ol"],
        help_text="What a learner will be able to do afterwards, as a list.",
    )
    estimated_minutes = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text="How long the whole module takes, in minutes.",
    )
    content_notice = RichTextField(
        blank=True,
        features=["bold", "italic", "link", "ul"],
        help_text="Shown before the first lesson: what the module covers that may be distressing.",
    )
    notice_support_services = ParentalManyToManyField(
        "courses.SupportService",
        blank=True,
        related_name="+",
        help_text="Support services listed with the content notice.",
    )
    pass_mark = models.PositiveSmallIntegerField(
        default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Knowledge-check score (percent) needed to complete the module.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("theme"),
        FieldPanel("summary"),
        FieldPanel("learning_outcomes"),
        FieldPanel("estimated_minutes"),
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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = list(LessonPage.objects.child_of(self).live().defer_streamfields())
        context["notice_services"] = list(self.notice_support_services.all())
        return context


class LessonPage(SignInRequiredMixin, ServedPageMixin, Page):
    """One lesson of a module, built from StreamField blocks."""

    body = StreamField(LessonStreamBlock(), help_text="The lesson's content, block by block.")
    estimated_minutes = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text="How long this lesson takes, in minutes.",
    )

    content_panels = [*Page.content_panels, FieldPanel("body"), FieldPanel("estimated_minutes")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []

    def serve(self, request, *args, **kwargs):
        """Wagtail's serve, with a response that renders from this process's kept copy of the
        lesson's HTML when nothing in it is particular to this learner (courses.rendered). Such
        a response builds the lesson's place in its module only if it has to render."""
        if not request.user.is_authenticated:
            return super().serve(request, *args, **kwargs)  # to the sign-in page
        from courses import rendered  # imported here: it imports courses.structure

        request.is_preview = False
        context = self.get_journey_context(request, *args, **kwargs)
        key = rendered.lesson_key(request, self, context)
        if key is None:
            context.update(self.get_place())
        return rendered.LessonResponse(
            request,
            self.get_template(request, *args, **kwargs),
            context,
            key=key,
            more_context=self.get_place,
        )

    def get_context(self, request, *args, **kwargs):
        """Wagtail's context, the learner's journey (get_journey_context) and the lesson's place
        in its module (get_place)."""
        context = self.get_journey_context(request, *args, **kwargs)
        context.update(self.get_place())
        return context

    def get_journey_context(self, request, *args, **kwargs):
        """Wagtail's context, and what the learner journey adds: records `experienced`, adds
        progress, check feedback and the learner's reflections (courses.views)."""
        from courses.views import lesson_journey_context  # imported here: it imports the models

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_journey_context(request, self))
        return context

    def get_place(self) -> dict:
        """`module`, `lesson_number`, `lesson_count`, `previous_lesson`, `next_lesson`.

        No query for a lesson HomePage.route found: its module and siblings were kept with it
        (courses.structure.served_page), and only the two neighbours are built. Otherwise
        (previews) two, whatever the module's size: the parent module, and its live lessons'
        ids, titles and paths (enough to build URLs).
        """
        from courses import structure  # imported here: it imports the models

        served = getattr(self, "_served", None)
        place = structure.served_place(served, self.pk) if served is not None else None
        return place or self._place_by_query()

    def _place_by_query(self) -> dict:
        """served_place()'s answer, asked of the database: for previews and drafts."""
        from courses.selectors import lesson_position  # imported here: it imports the models

        position = lesson_position(self)
        return {
            "module": ModulePage.objects.parent_of(self).first(),
            "lesson_number": position.number,
            "lesson_count": position.total,
            "previous_lesson": position.previous,
            "next_lesson": position.next,
        }

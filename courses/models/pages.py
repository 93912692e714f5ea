from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
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


class ProgrammePage(Page):
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


class ModulePage(Page):
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
            [FieldPanel("content_notice"), FieldPanel("notice_support_services")],
            heading="Content notice",
        ),
        FieldPanel("pass_mark"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.FilterField("theme"),
    ]
    parent_page_types = ["courses.ProgrammePage"]
    subpage_types = ["courses.LessonPage"]


class LessonPage(Page):
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

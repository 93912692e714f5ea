from django.db import models
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from courses.models import ModulePage, with_minutes
from home import content

HOME_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class HomePage(Page):
    """The site root. Signed out: what the training is, who it is for, how long it takes, how
    to register and what happens to the learner's data. Signed in: My learning."""

    intro = RichTextField(
        features=HOME_FEATURES,
        default=content.INTRO,
        help_text=_("What the training is: the first thing a visitor reads."),
    )
    audience = RichTextField(
        _("who it is for"),
        features=HOME_FEATURES,
        default=content.AUDIENCE,
        help_text=_("Who the training is for, and what to expect from its content."),
    )
    registration = RichTextField(
        _("how to register"),
        features=HOME_FEATURES,
        default=content.REGISTRATION,
        help_text=_("How to register with a force email address."),
    )
    your_data = RichTextField(
        "what happens to your data",
        features=HOME_FEATURES,
        default=content.YOUR_DATA,
        help_text=_("A short summary; the page links to the full privacy notice."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("audience"),
        FieldPanel("registration"),
        FieldPanel("your_data"),
    ]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def serve(self, request, *args, **kwargs):
        # Signed in, the home page is My learning. Editors previewing it still see the page.
        if request.user.is_authenticated and not getattr(request, "is_preview", False):
            return redirect("courses:dashboard")
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The live modules a visitor may see, each with its time (the sum of its lessons', as
        # everywhere): 3 queries (the pages, the view restrictions `.public()` reads, the
        # lessons), however many modules and lessons there are.
        modules = list(ModulePage.objects.descendant_of(self).live().public().order_by("path"))
        context["modules"] = with_minutes(modules, within=self)
        context["total_time"] = minutes_in_words(sum(m.minutes for m in modules))
        return context


def minutes_in_words(minutes: int) -> str:
    """45 -> "45 minutes", 60 -> "1 hour", 125 -> "2 hours 5 minutes"."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


STATEMENT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


class StatementPage(Page):
    """A page the footer of every page links to at a fixed address (templates/includes/
    footer_links.html), so the links cost no query: its slug is set by its type, not by the
    editor, and it can only sit directly under the home page."""

    fixed_slug = ""

    body = RichTextField(features=STATEMENT_FEATURES)
    last_updated = models.DateField(
        help_text=_("When the content last changed in substance. Shown at the end of the page.")
    )

    content_panels = [*Page.content_panels, FieldPanel("body"), FieldPanel("last_updated")]
    # No slug field: the address is fixed. Search engines still get a title and description.
    promote_panels = [FieldPanel("seo_title"), FieldPanel("search_description")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        abstract = True

    def full_clean(self, *args, **kwargs):
        self.slug = self.fixed_slug
        super().full_clean(*args, **kwargs)


class PrivacyNoticePage(StatementPage):
    """The privacy notice, at /privacy/ under each language's prefix (/en-gb/privacy/)."""

    fixed_slug = "privacy"
    template = "home/statement_page.html"

    class Meta:
        verbose_name = _("privacy notice")


class AccessibilityStatementPage(StatementPage):
    """The accessibility statement, at /accessibility/ under each language's prefix."""

    fixed_slug = "accessibility"
    template = "home/statement_page.html"

    class Meta:
        verbose_name = _("accessibility statement")

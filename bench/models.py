"""What the benchmark's reference rows write and serve: nothing here is part of the site."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class BareWrite(models.Model):
    """One row per request to /bench/bare-write/: the floor for any view that records."""

    at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"bare write {self.pk}"


class SignedInWrite(models.Model):
    """One row per POST to /bench/signed-in-write/: the floor for recording a learner's event."""

    # The id alone, not a foreign key: no learner's data lives here, and the floor is one INSERT.
    learner_id = models.IntegerField()
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"signed-in write {self.pk}"


class PlainPage(Page):
    """A stock Wagtail page: a rich text body, Wagtail's own `serve` and a plain template.

    What a user would get from a stock Wagtail site; the lesson page is compared with it.
    """

    body = RichTextField()

    content_panels = [*Page.content_panels, FieldPanel("body")]
    template = "bench/plain_page.html"

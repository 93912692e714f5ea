"""Testimony in the admin: the snippet listing, and a chooser that shows each testimony's
consent status and never offers a withdrawn one (TestimonyBlock also refuses it on save)."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.models import Testimony

NOT_SET = _("Not set")


class DateOnlyColumn(Column):
    """A date written out ("4 December 2027"). Wagtail's DateColumn says how long ago a
    moment was, which reads "Just now" for every date in the future, such as a review date."""

    def __init__(self, name, *, empty=NOT_SET, **kwargs):
        super().__init__(name, **kwargs)
        self.empty = empty

    def get_value(self, instance):
        value = super().get_value(instance)
        return date_format(value, "j F Y") if value else self.empty


CONSENT = _("Consent")


def consent_column(label: str = CONSENT) -> Column:
    return Column("consent_status", label=label, accessor=lambda item: item.consent_status())


def fictional_column() -> Column:
    return Column(
        "is_fictional_composite",
        label=_("Fictional composite"),
        accessor=lambda item: gettext("Yes") if item.is_fictional_composite else gettext("No"),
    )


class ConsentColumnsMixin:
    @property
    def columns(self):
        return [*super().columns, fictional_column(), consent_column()]


class TestimonyChooseView(ConsentColumnsMixin, ChooseView):
    pass


class TestimonyChooseResultsView(ConsentColumnsMixin, ChooseResultsView):
    pass


class TestimonyChosenView(SnippetChosenView):
    def get_object(self, pk):
        return Testimony.objects.not_withdrawn(timezone.localdate()).get(pk=pk)  # else a 404

    def get_display_title(self, instance):
        return instance.editor_title()


class TestimonyChooserViewSet(SnippetChooserViewSet):
    choose_view_class = TestimonyChooseView
    choose_results_view_class = TestimonyChooseResultsView
    chosen_view_class = TestimonyChosenView

    def get_object_list(self):
        return Testimony.objects.not_withdrawn(timezone.localdate())


class TestimonyViewSet(SnippetViewSet):
    model = Testimony
    icon = "openquote"
    menu_label = _("Testimony")
    list_display = [
        "attribution",
        fictional_column(),
        consent_column(),
        DateOnlyColumn("consent_review_by", label=_("Review by")),
    ]
    list_filter = ["is_fictional_composite"]
    search_fields = ["attribution", "text"]
    chooser_viewset_class = TestimonyChooserViewSet

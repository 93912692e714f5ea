from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable
from wagtail.search import index

domain_validator = RegexValidator(
    r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
    "Enter a lower-case domain such as met.police.uk, without @ or https://.",
)


class Country(models.TextChoices):
    ENGLAND = "england", _("England")
    WALES = "wales", _("Wales")
    SCOTLAND = "scotland", _("Scotland")
    NORTHERN_IRELAND = "northern-ireland", _("Northern Ireland")
    UK = "uk", _("United Kingdom (national force)")


class Force(index.Indexed, ClusterableModel):
    """A UK police force: the unit that learners belong to and managers report on."""

    code = models.SlugField(
        max_length=40,
        unique=True,
        help_text=_(
            "Short stable identifier used in URLs and the API, e.g. met, gmp, south-wales."
        ),
    )
    name = models.CharField(max_length=120, unique=True, help_text=_("The force's full name."))
    country = models.CharField(
        max_length=20, choices=Country.choices, help_text=_("Where the force operates.")
    )
    is_active = models.BooleanField(
        default=True, help_text=_("Inactive forces cannot take new registrations.")
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("country"),
        FieldPanel("is_active"),
        InlinePanel(
            "email_domains",
            label="Email domains",
            help_text=_("Officers with an email at these domains may register for this force."),
        ),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("code"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ForceEmailDomain(Orderable):
    """An email domain whose owners may self-register as learners of the force."""

    force = ParentalKey(Force, on_delete=models.CASCADE, related_name="email_domains")
    domain = models.CharField(
        max_length=253,
        unique=True,
        validators=[domain_validator],
        help_text=_("Lower-case domain, e.g. met.police.uk."),
    )

    panels = [FieldPanel("domain")]

    class Meta(Orderable.Meta):
        verbose_name = _("email domain")

    def __str__(self) -> str:
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower()
        super().save(*args, **kwargs)

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from .learners import LearnerProfile
from .translations import active_language_code, default_language_code, localized_all


class SupportAudience(models.TextChoices):
    ANYONE = "anyone", _("Anyone affected by domestic abuse")
    OFFICERS = "officers", _("Officers' and staff wellbeing")
    OWN_BEHAVIOUR = "own-behaviour", _("People worried about their own behaviour")


class SupportServiceQuerySet(models.QuerySet):
    def sources(self):
        """Services in the default locale, one row per service: lists are made of these and
        shown in the learner's language with `translations.localized_all`."""
        return self.filter(locale__language_code=default_language_code())

    def for_learner(self, user):
        """National services, and those of the user's own force (none for a user without a
        learner profile, such as an editor): a force's local service is for its learners only.
        Sources only (see `sources`)."""
        own_force = Q(force__in=LearnerProfile.objects.filter(user_id=user.pk).values("force_id"))
        return (
            self.sources().filter(Q(force__isnull=True) | own_force) if user.pk else self.national()
        )

    def national(self):
        return self.sources().filter(force__isnull=True)

    def for_notice(self, module, user):
        """What `module`'s content notice lists for `user`: the national services the editor
        chose (on `module` in any language: matched by translation key), then every service of
        the user's own force, each marked `chosen_for_notice`. Sources only. One query."""
        chosen = module.notice_support_services.through.objects.filter(
            modulepage_id=module.pk, supportservice__translation_key=OuterRef("translation_key")
        )
        return (
            self.for_learner(user)
            .annotate(chosen_for_notice=Exists(chosen))
            .filter(Q(chosen_for_notice=True) | Q(force__isnull=False))
            .order_by(F("force_id").asc(nulls_first=True), "sort_order", "name")  # national first
        )


class SupportService(TranslatableMixin, index.Indexed, models.Model):
    """A support service signposted in content warnings and on the Support page. Translatable
    (wagtail-localize): learners see the translation in their language when there is one
    (`localized`), else the English."""

    name = models.CharField(max_length=120, help_text=_("The service's public name."))
    description = models.TextField(help_text=_("What the service helps with, in one or two lines."))
    phone = models.CharField(
        max_length=40, blank=True, help_text=_("Public phone number, written as people dial it.")
    )
    url = models.URLField(blank=True, help_text=_("The service's public web address."))
    hours = models.CharField(
        max_length=120, blank=True, help_text=_("Opening hours, e.g. '24 hours, every day'.")
    )
    audience = models.CharField(
        max_length=20,
        choices=SupportAudience.choices,
        default=SupportAudience.ANYONE,
        help_text=_("Who the service is for."),
    )
    force = models.ForeignKey(
        "courses.Force",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_services",
        help_text=_("Only for a force-specific service (e.g. the force's wellbeing team)."),
    )
    sort_order = models.PositiveSmallIntegerField(
        default=100, help_text=_("Lower numbers are listed first.")
    )

    objects = SupportServiceQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("url"), FieldPanel("hours")], heading="Contact"
        ),
        FieldPanel("audience"),
        FieldPanel("force"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("description")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


def _consent_holds(on: datetime.date) -> Q:
    return Q(
        consent_recorded_on__isnull=False,
        consent_recorded_on__lte=on,
        consent_review_by__gte=on,
    ) & (Q(consent_withdrawn_on__isnull=True) | Q(consent_withdrawn_on__gt=on))


class TestimonyQuerySet(models.QuerySet):
    def shareable(self, on: datetime.date | None = None):
        """Testimony that may be shown today: consent recorded, not withdrawn, not past review,
        both on the row and on its source (the default-locale testimony a translation was
        made from), so that withdrawing the English withdraws every translation at once."""
        on = on or timezone.localdate()
        sources = Testimony.objects.filter(
            _consent_holds(on), locale__language_code=default_language_code()
        )
        return self.filter(_consent_holds(on)).filter(
            translation_key__in=sources.values("translation_key")
        )

    def sources(self):
        """Testimony in the default locale: where consent is recorded and reviewed."""
        return self.filter(locale__language_code=default_language_code())

    def not_withdrawn(self, on: datetime.date | None = None):
        """Testimony an editor may still choose for a lesson (consent not withdrawn)."""
        on = on or timezone.localdate()
        return self.filter(Q(consent_withdrawn_on__isnull=True) | Q(consent_withdrawn_on__gt=on))

    def needing_review(self, within_days: int = 30, on: datetime.date | None = None):
        """Testimony not withdrawn whose consent review is due within `within_days` or overdue,
        or that has no review date at all; soonest first. Sources only: a translation's consent
        is its source's."""
        on = on or timezone.localdate()
        return (
            self.sources()
            .filter(
                Q(consent_review_by__lte=on + datetime.timedelta(days=within_days))
                | Q(consent_review_by__isnull=True),
                consent_withdrawn_on__isnull=True,
            )
            .order_by(models.F("consent_review_by").asc(nulls_first=True), "attribution")
        )


class Testimony(TranslatableMixin, index.Indexed, models.Model):
    """A survivor's (or a fictional composite's) account, shown only while consent holds.
    Translatable (wagtail-localize); consent is the source testimony's and applies to its
    translations too (`shareable`, `save`)."""

    attribution = models.CharField(
        max_length=120,
        help_text=_("How the speaker is credited, a pseudonym, e.g. 'Tina, Pioneer-survivor'."),
    )
    text = models.TextField(help_text=_("The testimony as it should be read."))
    media = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional audio or video recording (kept in a private collection)."),
    )
    transcript = models.TextField(
        blank=True, help_text=_("Full transcript of the recording. Required when there is media.")
    )
    captions = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "A WebVTT (.vtt) captions file, in the same private collection. Required for a video."
        ),
    )
    is_fictional_composite = models.BooleanField(
        _("fictional composite"),
        default=False,
        help_text=_(
            "Tick when this is a fictional composite written for training, not one person."
        ),
    )
    consent_recorded_on = models.DateField(
        null=True, blank=True, help_text=_("When the speaker's consent to share was recorded.")
    )
    consent_review_by = models.DateField(
        null=True, blank=True, help_text=_("Consent must be reconfirmed by this date.")
    )
    consent_withdrawn_on = models.DateField(
        null=True,
        blank=True,
        help_text=_("Set when consent is withdrawn: the testimony disappears everywhere at once."),
    )

    objects = TestimonyQuerySet.as_manager()
    __test__ = False  # its name starts with "Test": stop pytest trying to collect it

    # Consent, the recording and the "fictional" label belong to the testimony, not to one
    # language: a translation copies them from the source and cannot change them.
    CONSENT_FIELDS = ("consent_recorded_on", "consent_review_by", "consent_withdrawn_on")
    override_translatable_fields = [
        SynchronizedField(name, overridable=False)
        for name in ("is_fictional_composite", "media", "captions", *CONSENT_FIELDS)
    ]

    panels = [
        FieldPanel("attribution"),
        FieldPanel("is_fictional_composite"),
        FieldPanel("text"),
        MultiFieldPanel(
            [FieldPanel("media"), FieldPanel("transcript"), FieldPanel("captions")],
            heading="Recording",
        ),
        MultiFieldPanel(
            [
                FieldPanel("consent_recorded_on"),
                FieldPanel("consent_review_by"),
                FieldPanel("consent_withdrawn_on"),
            ],
            heading="Consent",
        ),
    ]
    search_fields = [
        index.SearchField("attribution"),
        index.AutocompleteField("attribution"),
        index.SearchField("text"),
        index.FilterField("consent_withdrawn_on"),  # the chooser leaves withdrawn ones out
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name_plural = _("testimonies")
        ordering = ["attribution"]

    def __str__(self) -> str:
        return self.attribution

    def save(self, *args, **kwargs):
        """Saving a (source) testimony gives its translations its consent dates at once (they would
        otherwise wait for an editor's sync): a withdrawal applies in every language."""
        super().save(*args, **kwargs)
        if self.locale.language_code != default_language_code():
            return
        consent = {name: getattr(self, name) for name in self.CONSENT_FIELDS}
        Testimony.objects.filter(translation_key=self.translation_key).exclude(pk=self.pk).exclude(
            **consent
        ).update(**consent)

    def clean(self):
        errors = {}
        if self.media_id and not self.transcript.strip():
            errors["transcript"] = "Add a transcript: every recording needs one."
        if self.media_id and not self.media.collection.get_view_restrictions().exists():
            # Public collections are reachable by anyone with the link.
            errors["media"] = (
                "Put recordings in a private collection, such as 'Testimony media (private)'."
            )
        if error := self._captions_error():
            errors["captions"] = error
        if self.consent_recorded_on and not self.consent_review_by:
            errors["consent_review_by"] = "Set the date by which consent must be reconfirmed."
        if (
            self.consent_recorded_on
            and self.consent_review_by
            and self.consent_review_by < self.consent_recorded_on
        ):
            errors["consent_review_by"] = "The review date must be after consent was recorded."
        if (
            self.consent_withdrawn_on
            and self.consent_recorded_on
            and self.consent_withdrawn_on < self.consent_recorded_on
        ):
            errors["consent_withdrawn_on"] = "Consent cannot be withdrawn before it was recorded."
        if errors:
            raise ValidationError(errors)

    def _captions_error(self) -> str:
        if not self.captions_id:
            if self.media_kind == "video":
                return "Add a captions file (.vtt): every video of a survivor needs captions."
            return ""
        if not self.media_id:
            return "Add the recording these captions are for, or remove the captions."
        if not self.captions.file.name.lower().endswith(".vtt"):
            return "Choose a captions file (vtt file)."
        if not self.captions.collection.get_view_restrictions().exists():
            # The captions are the speaker's words: as private as the recording.
            return "Put captions in a private collection, such as 'Testimony media (private)'."
        return ""

    @property
    def media_kind(self) -> str:
        """'video' for an mp4 recording, 'audio' for any other, '' without media."""
        if not self.media_id:
            return ""
        return "video" if self.media.file.name.lower().endswith(".mp4") else "audio"

    def is_withdrawn(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.consent_withdrawn_on is not None and self.consent_withdrawn_on <= on

    def consent_status(self, on: datetime.date | None = None) -> str:
        """Whether learners see this testimony, and if not why, in the admin's words."""
        on = on or timezone.localdate()
        if self.is_withdrawn(on):
            return "Withdrawn: hidden from learners"
        if self.is_shareable(on):
            return "Shown to learners"
        return "Consent lapsed or not recorded: hidden from learners"

    def editor_title(self) -> str:
        """Its name in the chooser and the lesson editor, saying why learners don't see it when
        they don't."""
        return str(self) if self.is_shareable() else f"{self} ({self.consent_status()})"

    def as_shown(self) -> tuple["Testimony", bool]:
        """This testimony as a learner sees it: the active language's translation when there is
        one (else itself), and whether it may be shown today (`shareable`: consent holds on the
        source too). No query in the default language; two in another."""
        if active_language_code() == default_language_code():
            return self, self.is_shareable()
        shown = localized_all([self])[0]
        return shown, Testimony.objects.filter(pk=shown.pk).shareable().exists()

    def is_shareable(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return (
            self.consent_recorded_on is not None
            and self.consent_recorded_on <= on
            and self.consent_review_by is not None
            and self.consent_review_by >= on
            and (self.consent_withdrawn_on is None or self.consent_withdrawn_on > on)
        )

"""Learner-facing forms: registration, and the small forms behind lesson actions."""

from allauth.account.forms import AddEmailForm, ResetPasswordKeyForm, SignupForm
from allauth.account.models import EmailAddress
from allauth.socialaccount.forms import SignupForm as SocialSignupForm
from django import forms
from django.db import transaction
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from courses import privacy
from courses.models import JOB_ROLES
from courses.selectors import force_for_email
from courses.selectors.sso import password_sign_in_refused

FORCE_DOMAIN_ERROR = _(
    "Use your force email address. This address is not at an email domain of a force taking "
    "part in DA Matters; if you think your force should be, ask your training team."
)


def clean_force_email(email: str) -> str:
    if force_for_email(email) is None:
        raise forms.ValidationError(FORCE_DOMAIN_ERROR, code="force_domain")
    return email


class LearnerSignupForm(SignupForm):
    """allauth's signup plus the name on certificates, role and optional staff number."""

    first_name = forms.CharField(
        max_length=150,
        label=_("First name"),
        widget=forms.TextInput({"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        max_length=150,
        label=_("Last name"),
        widget=forms.TextInput({"autocomplete": "family-name"}),
    )
    role = forms.ChoiceField(choices=JOB_ROLES, label=_("Your role"))
    staff_number = forms.CharField(
        max_length=30,
        required=False,
        label=_("Staff or collar number (optional)"),
        help_text=_("Only used by your force's training team to match records."),
    )

    field_order = [
        "first_name",
        "last_name",
        "email",
        "role",
        "staff_number",
        "password1",
        "password2",
    ]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Force email address")
        self.fields["email"].help_text = _("You can only register with your force email address.")
        # allauth sets placeholders as labels; we show real labels, so placeholders only repeat.
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)

    def clean_email(self):
        """Accept only an address at an email domain of an active force."""
        return clean_force_email(super().clean_email())

    def validate_unique_email(self, value):
        """An erased learner's address is treated as an address that already has an account:
        with ACCOUNT_PREVENT_ENUMERATION the visitor is told a verification email was sent,
        no account is made, and nothing says the address's owner was erased."""
        email = super().validate_unique_email(value)
        if privacy.email_is_erased(email):
            self.account_already_exists = True
        return email

    def save(self, request):
        # User, email address and learner profile are created together or not at all.
        with transaction.atomic():
            return super().save(request)


class ForceAddEmailForm(AddEmailForm):
    """Extra addresses on an account must also be force addresses (they can be used to sign
    in), and never an erased learner's (it cannot be registered again)."""

    def clean_email(self):
        email = clean_force_email(super().clean_email())
        if privacy.email_is_erased(email):
            raise forms.ValidationError(privacy.ERASED_EMAIL_MESSAGE, code="erased")
        return email


class ForceSocialSignupForm(SocialSignupForm):
    """First sign-in through a force's identity provider, when the force maps no role: the
    learner chooses their role once. The email comes from the provider's verified ID token and
    is shown, not edited (a disabled field keeps its initial value whatever is posted)."""

    role = forms.ChoiceField(choices=JOB_ROLES, label=_("Your role"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["email"].disabled = True
        self.fields["email"].label = _("Force email address")
        self.fields["email"].help_text = _("From your force's sign-in; it cannot be changed here.")
        for name in [n for n in self.fields if n not in ("email", "role")]:
            del self.fields[name]
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)

    def clean_email(self):
        """The address is the provider's, checked again: at the force's domain, not erased."""
        email = (
            self.sociallogin.email_addresses[0].email if self.sociallogin.email_addresses else ""
        )
        if force_for_email(email) is None or privacy.email_is_erased(email):
            raise forms.ValidationError(FORCE_DOMAIN_ERROR, code="force_domain")
        return self.validate_unique_email(email)

    def save(self, request):
        with transaction.atomic():
            return super().save(request)


class EventForm(forms.Form):
    """Every lesson action carries the event UUID generated when the page was rendered,
    so a double-click or a resubmitted form records once."""

    event_id = forms.UUIDField(
        error_messages={
            "required": _("This form has expired. Reload the page and try again."),
            "invalid": _("This form has expired. Reload the page and try again."),
        }
    )


class AnswerForm(forms.Form):
    # Optional: each check attempt is its own event; a posted id only guards double submits.
    event_id = forms.UUIDField(required=False)
    block_id = forms.CharField(max_length=64)
    answer = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={"required": _("Choose an answer before checking it.")},
    )

    def __init__(self, *args, option_count: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].choices = [(str(i), str(i)) for i in range(option_count)]
        self.fields["answer"].error_messages["invalid_choice"] = _(
            "That answer is not one of this question's options. Reload the page and try again."
        )


class ReflectionForm(forms.Form):
    block_id = forms.CharField(
        max_length=64,
        error_messages={"required": _("This form is incomplete. Reload the page and try again.")},
    )
    text = forms.CharField(
        max_length=10_000,
        required=False,
        strip=True,
        error_messages={"max_length": _("Keep your reflection under 10,000 characters.")},
    )


class ForceResetPasswordKeyForm(ResetPasswordKeyForm):
    """A password reset link (ACCOUNT_FORMS "reset_password_from_key") sets no password for an
    account with an address at a force that signs its people in only through its own provider:
    a link mailed before the force turned password sign-in off would otherwise give the account
    a password. The page shows `sso_refused` (pointing to "Sign in with <force>") instead of the
    form, and a posted password is refused with it; the link is left unused."""

    @cached_property
    def sso_refused(self) -> str:
        if self.user is None:
            return ""
        emails = {
            self.user.email,
            *EmailAddress.objects.filter(user=self.user).values_list("email", flat=True),
        }
        return next(
            (m for m in map(password_sign_in_refused, sorted(e for e in emails if e)) if m), ""
        )

    def clean(self):
        cleaned = super().clean()
        if self.sso_refused:
            raise forms.ValidationError(self.sso_refused, code="sso_only")
        return cleaned

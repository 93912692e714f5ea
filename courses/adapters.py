"""allauth adapter: a self-registered learner belongs to the force their email address is at.

The signup form only accepts addresses at an active force's email domain (LearnerSignupForm);
password reset and sign-in deliberately do not check domains, so editors and learners whose force
later leaves the programme can still get into their accounts.

A force that signs its people in through its own identity provider and has turned password
sign-in off: an address at its domains (learners, leads and editors alike) is refused a password
sign-in, with a pointer to "Sign in with <force>", and is sent no password reset link."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from courses import audit, privacy, services, sessions
from courses.models import AuditAction, LearnerProfile
from courses.selectors import force_for_email
from courses.selectors.languages import address_language
from courses.selectors.sso import password_sign_in_refused


class ForceAccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every account email names the service (templates/account/email/base_message.txt)
        rather than allauth's current site, which without django.contrib.sites is the host the
        request came to. A learner's email is in their own language (their choice, else Welsh
        for a force in Wales); anyone else's in the language of the request."""
        context = {"service_name": settings.SERVICE_NAME, **context}
        language = address_language(email) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)

    def pre_authenticate(self, request, **credentials) -> None:
        """allauth's failed sign-in limit; an attempt it refuses is audited as a failed
        sign-in too (a wrong password is audited through Django's signal)."""
        try:
            refused = password_sign_in_refused(credentials.get("email"))
            if refused:
                raise forms.ValidationError(refused, code="sso_only")
            super().pre_authenticate(request, **credentials)
        except forms.ValidationError:
            audit.sign_in_failed(credentials=credentials, request=request)
            raise

    def send_account_already_exists_mail(self, email: str) -> None:
        """The mail for a registration with an address that is taken. An erased learner's
        address is answered on screen as any taken address is (LearnerSignupForm), and its
        mailbox is told why it cannot register, rather than to reset a password it no longer
        has."""
        if privacy.email_is_erased(email):
            self.send_mail("account/email/erased_address", email, {})
            return
        super().send_account_already_exists_mail(email)

    def send_password_reset_mail(self, user, email, context) -> None:
        """No reset link for an address whose force signs in only through its provider: the
        mail says how to sign in instead (the page says a mail was sent, as for any address)."""
        if password_sign_in_refused(email):
            self.send_mail(
                "account/email/sso_only", email, {"message": password_sign_in_refused(email)}
            )
            return
        super().send_password_reset_mail(user, email, context)

    def post_login(self, request, user, **kwargs):
        """A sign-in through a force's provider is audited (SSO_SIGN_IN, with the force's
        code), and its raw ID token kept in the session for the provider's sign-out."""
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        if sociallogin is not None:
            provider_id = sociallogin.account.provider
            audit.audit_record(
                action=AuditAction.SSO_SIGN_IN,
                user_id=user.pk,
                force_code=provider_id.removeprefix("force-"),
                path=request.path,
            )
            request.session[sessions.SSO_PROVIDER] = provider_id
            raw = getattr(request, "sso_id_token", None)
            if raw:
                request.session[sessions.SSO_ID_TOKEN] = raw
        return super().post_login(request, user, **kwargs)

    def logout(self, request) -> None:
        """After signing out here, the signed-out page offers the provider's sign-out too."""
        provider_id = request.session.get(sessions.SSO_PROVIDER)
        id_token = request.session.get(sessions.SSO_ID_TOKEN, "")
        super().logout(request)
        if provider_id:
            request.session[sessions.SSO_SIGNED_OUT] = {
                "provider_id": provider_id,
                "id_token": id_token,
            }

    def get_logout_redirect_url(self, request) -> str:
        # allauth asks before signing out (the provider is still in the session), and may ask
        # again after.
        if {sessions.SSO_PROVIDER, sessions.SSO_SIGNED_OUT} & set(request.session.keys()):
            return reverse("sso_signed_out")
        return super().get_logout_redirect_url(request)

    def save_user(self, request, user, form, commit=True):
        """Save the user and, with it, a learner profile in the force their email belongs to.

        The signup form wraps this in a transaction, so there is never a user without a profile.
        The learner is enrolled on their role's pathway at once (services.enrolments_sync), so
        My learning shows their required modules and due dates from the first visit.
        """
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            data = form.cleaned_data
            profile = LearnerProfile.objects.create(
                user=user,
                force=force_for_email(user.email),
                role=data["role"],
                staff_number=data.get("staff_number", ""),
            )
            services.enrolments_sync(profiles=LearnerProfile.objects.filter(pk=profile.pk))
        return user

"""allauth adapter: a self-registered learner belongs to the force their email address is at.

The signup form only accepts addresses at an active force's email domain (LearnerSignupForm);
password reset and sign-in deliberately do not check domains, so editors and learners whose force
later leaves the programme can still get into their accounts."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings

from courses import audit, privacy, services
from courses.models import LearnerProfile
from courses.selectors import force_for_email


class ForceAccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every account email names the service (templates/account/email/base_message.txt)
        rather than allauth's current site, which without django.contrib.sites is the host the
        request came to."""
        context = {"service_name": settings.SERVICE_NAME, **context}
        super().send_mail(template_prefix, email, context)

    def pre_authenticate(self, request, **credentials) -> None:
        """allauth's failed sign-in limit; an attempt it refuses is audited as a failed
        sign-in too (a wrong password is audited through Django's signal)."""
        try:
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

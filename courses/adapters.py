"""allauth adapter: a self-registered learner belongs to the force their email address is at.

The signup form only accepts addresses at an active force's email domain (LearnerSignupForm);
password reset and sign-in deliberately do not check domains, so editors and learners whose force
later leaves the programme can still get into their accounts."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms

from courses import privacy
from courses.models import LearnerProfile
from courses.selectors import force_for_email


class ForceAccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        """Refuse the address of an erased learner (registration and added addresses alike)."""
        email = super().clean_email(email)
        if privacy.email_is_erased(email):
            raise forms.ValidationError(privacy.ERASED_EMAIL_MESSAGE, code="erased")
        return email

    def save_user(self, request, user, form, commit=True):
        """Save the user and, with it, a learner profile in the force their email belongs to.

        The signup form wraps this in a transaction, so there is never a user without a profile.
        """
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            data = form.cleaned_data
            LearnerProfile.objects.create(
                user=user,
                force=force_for_email(user.email),
                role=data["role"],
                staff_number=data.get("staff_number", ""),
            )
        return user

"""Authentication backends that load the learner profile with the user.

Every signed-in request loads its user from the session; nearly every learner request then
needs the learner's force (`user.learner_profile`). Loading both in one query saves a query on
every request. The two backends are Django's and allauth's, unchanged otherwise; the session
remembers which one signed the user in, so both are needed.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend


class LearnerProfileMixin:
    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("learner_profile")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackend(LearnerProfileMixin, DjangoModelBackend):
    pass


class AuthenticationBackend(LearnerProfileMixin, AllauthBackend):
    pass

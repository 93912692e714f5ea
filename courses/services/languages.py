"""Remembering the language a learner chose (issue 30)."""

from django.conf import settings

from courses.models import LearnerProfile


def learner_language_save(*, user, language: str) -> bool:
    """Save `language` as the learner's choice; False when `user` has no learner profile or
    the language is not one of the site's. One UPDATE."""
    if language not in dict(settings.LANGUAGES):
        return False
    return bool(LearnerProfile.objects.filter(user_id=user.pk).update(language=language))

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class UserSession(AbstractBaseSession):
    """A browser's session, with the signed-in user's id as a column of its own.

    Django's documented way to extend the database session backend: courses.sessions reads the
    session and its user (with what courses.auth loads alongside) in one statement, so a
    signed-in request makes one round trip before its view instead of two. The column is
    written from the session's data on every save; the data stays the authority (Django's
    get_user() reads the user's id from it, and checks the password hash as before).
    """

    # No database constraint: a session row must never stop a user's deletion or fail a save
    # when its user has just been deleted. Deleting a user through the ORM still deletes their
    # sessions (CASCADE is applied by Django), and erasure deletes them (courses.privacy).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="sessions",
    )

    class Meta:
        verbose_name = "session"

    @classmethod
    def get_session_store_class(cls):
        from courses.sessions import SessionStore

        return SessionStore

from django.db import models


class ContentVersion(models.Model):
    """One row whose token changes with every change to pages that could alter the course.

    `courses.structure` keeps each process's copy of lesson structure keyed by this token, so a
    publish in any process reaches every other on its next request. A random token rather than
    a counter: a rolled-back change (or a restored backup) can never bring an old value back
    for different content.
    """

    SINGLETON_ID = 1

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"Content version {self.token}"

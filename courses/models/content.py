from django.db import models


class ContentVersion(models.Model):
    """One row whose token changes with every change to the published content: pages, view
    restrictions, sites, snippets (testimony, support services), images and documents.

    It keys what is kept of the content outside the database: each process's copy of lesson
    structure (`courses.structure`) and the page fragments in the shared cache
    (`courses.context_processors`), so a change made through one app server is served by every
    other on its next request. A random token rather than a counter: a rolled-back change (or a
    restored backup) can never bring an old value back for different content.
    """

    SINGLETON_ID = 1

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"Content version {self.token}"

    @classmethod
    def current_token(cls) -> str:
        """The current token (one query); "none" before the first change is recorded."""
        token = cls.objects.filter(pk=cls.SINGLETON_ID).values_list("token", flat=True).first()
        return token or "none"

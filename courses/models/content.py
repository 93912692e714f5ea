import uuid

from django.db import models


class ContentVersion(models.Model):
    """One row whose token changes with every change to the published content: pages, view
    restrictions, sites, snippets (testimony, support services), images and documents.

    Whatever is derived from the course (lesson structure for progress, cached fragments) is
    keyed by this token in the shared cache, so a publish through any app server is seen by
    every other on its next request. A random token rather than a counter: a rolled-back change
    (or a restored backup) can never bring an old value back for different content.
    The receivers in courses.signals replace it inside each change's transaction.
    """

    SINGLETON_ID = 1

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"Content version {self.token}"

    @classmethod
    def current_token(cls) -> str | None:
        """The current token, or None before the first change (one query)."""
        return cls.objects.filter(pk=cls.SINGLETON_ID).values_list("token", flat=True).first()

    @classmethod
    def replace_token(cls) -> str:
        """Give the content a new token (one upsert, in the caller's transaction)."""
        token = uuid.uuid4().hex
        cls.objects.bulk_create(
            [cls(id=cls.SINGLETON_ID, token=token)],
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["token"],
        )
        return token

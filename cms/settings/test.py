"""Tests: fast hashing, in-memory cache and mail; the database still comes from DATABASE_URL."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# The benchmark's reference views and stock Wagtail page, for tests/bench (never in the site).
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
# Uploaded HR files of the tests stay out of the working tree.
PRIVATE_MEDIA_ROOT = Path(tempfile.gettempdir()) / "da-matters-test-private"  # noqa: F405
# Left out of the copy that serialized_rollback restores: wagtail-localize's post_save receiver
# for LocaleSynchronization reads its Locale even for a raw save, and the apps are restored in
# INSTALLED_APPS order, before Wagtail's own (the Locale). Its rows are the Welsh tree's sync
# (migration courses 0031), which no test with serialized_rollback relies on.
TEST_NON_SERIALIZED_APPS = ["wagtail_localize"]

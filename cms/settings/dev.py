"""Local development: debug on, a fixed non-secret key, mails to the console."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")  # noqa: S105
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="optional")
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Serve static files from the app folders through whitenoise even with DEBUG off (e2e runs).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "media" / "mail"))  # noqa: F405
# runserver serves each request in a thread of its own: a kept connection per thread would
# hold PostgreSQL's connections until it refuses new ones. One connection per request here.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # noqa: F405 - nothing is kept to check

"""Settings shared by every environment; everything that varies comes from the environment."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from cms.csp import SITE_POLICY

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env is convenient for development; production injects real variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# "production" only in cms.settings.production; demo seeding refuses to run there.
ENVIRONMENT = "development"
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SUPPORTED_DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql", "pgsql", "postgis")


def database_from_env(default_url: str) -> dict:
    """Parse DATABASE_URL, refusing schemes we do not support with one clear line."""
    url = env("DATABASE_URL", default=default_url)
    scheme = url.split(":", 1)[0].lower()
    if scheme not in SUPPORTED_DATABASE_SCHEMES:
        raise ImproperlyConfigured(
            f"DATABASE_URL scheme {scheme!r} is not supported; "
            "use sqlite:///path/to/db.sqlite3 or postgres://user@host:5432/name"
        )
    config = environ.Env.db_url_config(url)
    config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    # A kept connection is checked before a request reuses it, so a database restart costs a
    # reconnect instead of a 500 (one round trip per request; CONN_HEALTH_CHECKS=false skips it).
    config["CONN_HEALTH_CHECKS"] = env.bool(
        "CONN_HEALTH_CHECKS", default=config["CONN_MAX_AGE"] != 0
    )
    config["ATOMIC_REQUESTS"] = False
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        # WAL and a busy timeout let the dev server and a seed run share the file.
        config.setdefault("OPTIONS", {}).update(
            {
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
            }
        )
    else:
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    return config


DATABASES = {"default": database_from_env(f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "home",
    "courses",
    # Welsh translations of pages and snippets (issue 30): translation screens, sync, aliases.
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    # Sign-in through a force's own identity provider (courses.sso_adapter).
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # django-csp's, with the admin's and the API docs' own policies (cms.csp).
    "cms.csp.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A session cookie no engine could have issued is dropped before it reaches the database.
    "courses.middleware.MalformedSessionCookieMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the URL's prefix, else the language cookie, else the browser's choice; an
    # old link without a prefix is redirected to the prefixed address (cms.locale).
    "cms.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The learner's language: a switch remembered, their own language when the cookie is absent.
    "courses.learner_language.LearnerLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After authentication: signs out sessions older than SESSION_ABSOLUTE_SECONDS.
    "courses.middleware.AbsoluteSessionLifetimeMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Innermost, so it sees the final status and the user: records every 401 and 403.
    "courses.audit.AuditDeniedMiddleware",
    # Consulted first for a view's exception: the database unreachable -> 503 (cms.errors).
    "cms.errors.DatabaseUnavailableMiddleware",
]

CONTENT_SECURITY_POLICY = {"DIRECTIVES": SITE_POLICY}

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "courses.context_processors.content_version",
                "courses.context_processors.session_timeout",
                "courses.context_processors.translation_notice",
            ],
        },
    },
]

# Django's and allauth's backends, as allauth documents them.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
# English and Welsh (issue 30): the interface from locale/, the pages in a Wagtail locale each.
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language cookie (a year, Django's default) is sent on same-site requests only, like the
# session's; production.py marks it Secure with the others.
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Files that no URL serves (HR files between preview and import): outside MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# A shared cache (Redis: CACHE_URL=redis://host:6379/0) when more than one process serves the
# site, so that rate limits count across processes; each process's own memory otherwise. While
# Redis cannot be reached the site keeps serving: rate limits count per process, other caching
# is bypassed, /healthz says "cache": "unavailable" (cms.cache, README "Faults").
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "cms.cache.DegradingRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {
            # Redis answers in well under a millisecond; a request must not hang on a dead one.
            "socket_connect_timeout": env.float("CACHE_CONNECT_TIMEOUT", default=0.5),
            "socket_timeout": env.float("CACHE_TIMEOUT", default=1.0),
            "RETRY_SECONDS": env.float("CACHE_RETRY_SECONDS", default=5.0),
        }
    )
# Django's database sessions; production reads them through the shared cache (`cached_db`).
SESSION_ENGINE = env("SESSION_ENGINE", default="django.contrib.sessions.backends.db")

# Sessions: an idle timeout (cookie age, refreshed on each request) and an explicit
# absolute lifetime enforced by courses.middleware when it exists.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=60 * 60)
# The idle timeout is refreshed by courses.middleware at most once a minute, rather than by
# SESSION_SAVE_EVERY_REQUEST, which cost every signed-in request a session write and a commit.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False  # the progress script reads it to post to the API

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "courses:dashboard"

# django-allauth: email is the login; only officers of an active force may register.
ACCOUNT_ADAPTER = "courses.adapters.ForceAccountAdapter"
ACCOUNT_FORMS = {
    "signup": "courses.forms.LearnerSignupForm",
    "add_email": "courses.forms.ForceAddEmailForm",
    "reset_password_from_key": "courses.forms.ForceResetPasswordKeyForm",
}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a link scanner must not confirm on the officer's behalf
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_GET = False  # sign out is a POST
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False  # shared and force-issued devices: no "remember me"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
# A whole force often signs in from one NAT address, so limits that count by IP alone would let
# one officer's typos (or one attacker) lock out everyone there. Failed sign-ins are limited per
# account; the per-IP ceilings are high enough for a force's shift change and only stop sprays.
ACCOUNT_RATE_LIMITS = {
    "login": "600/m/ip",
    "login_failed": "300/m/ip,5/5m/key",
    "signup": "120/m/ip",
    "reset_password": "120/m/ip,3/5m/key",
    "reset_password_from_key": "120/m/ip",
    "confirm_email": "1/3m/key",
}

# Forces' own identity providers (OpenID Connect, courses.sso_adapter and courses.sso_views):
# apps come from IdentityProvider rows, never SocialApp rows; signing in starts with a POST.
SOCIALACCOUNT_ADAPTER = "courses.sso_adapter.ForceSocialAccountAdapter"
SOCIALACCOUNT_FORMS = {"signup": "courses.forms.ForceSocialSignupForm"}
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}
# How far the identity provider's clock may be from ours for an ID token's exp and iat.
SSO_CLOCK_SKEW_SECONDS = 120

# The service's name in page titles, the admin and every email (subject, greeting, sign-off).
SERVICE_NAME = "DA Matters"
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# Production settings require a real address (cms.settings.production).
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default=f"{SERVICE_NAME} <no-reply@localhost>")
# allauth would prefix subjects with the request's host ("[127.0.0.1:8000] ...").
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"{SERVICE_NAME}: "
# Messages and emails name people by the name they registered with, not their username (which
# allauth makes from the part of the email address before the @).
ACCOUNT_USER_DISPLAY = "courses.models.display_name"
# A form whose CSRF token expired or is missing gets a page that says what to do.
CSRF_FAILURE_VIEW = "cms.errors.csrf_failure"

WAGTAIL_SITE_NAME = SERVICE_NAME
# No calls from editors' browsers to third parties: no Gravatar (it would send a hash of each
# user's email address to gravatar.com) and no update check (releases.wagtail.org).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# One sign-in rule for everybody: editors sign in through allauth's view on a staff page
# (/admin/login/), pages with a login restriction through allauth's own page, and everyone
# resets a password through allauth's (cms/urls.py redirects Wagtail's).
WAGTAILADMIN_LOGIN_URL = "/admin/login/"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Documents are always streamed by Django's serve view (which checks collection privacy) and
# always as attachments with `default-src 'none'`: never opened inline, never a public URL.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
WAGTAILDOCS_DOCUMENT_FORM_BASE = "courses.uploads.SniffedDocumentForm"
# An allow-list: no HTML, SVG, XML or executables. Contents are checked too (courses.uploads).
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "odt",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "xlsx",
    "mp3",
    "mp4",
    "vtt",
]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
WAGTAILIMAGES_IMAGE_FORM_BASE = "courses.uploads.CheckedImageForm"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]  # no SVG: it can carry script
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILADMIN_COMMENTS_ENABLED = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Our API views set their own parsers (JSON only, courses.api.parsers); DRF's default parsers
# stay for other apps' views (wagtail-localize's translation editor posts form data).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_RATES": {"api_key": "600/min", "learner_progress": "240/min"},
    "EXCEPTION_HANDLER": "courses.api.exceptions.api_exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "DA Matters training API",
    "DESCRIPTION": (
        "Progress recording for learners (session + CSRF) and force-scoped completion "
        "reports for training managers (`Authorization: Bearer <key>`)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["cms.spectacular.public_api_only"],
    # Swagger UI served from our own static files: no CDN, CSP-friendly.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Deep links put a link inside each operation's toggle button (nested interactive controls,
    # too small to tap): plain text paths keep the docs accessible.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    # Every role (completions' filter) and the job roles (headcounts, which refuse "not given").
    "ENUM_NAME_OVERRIDES": {
        "LearnerRoleEnum": "courses.models.learners.LearnerRole",
        "JobRoleEnum": "courses.models.learners.JOB_ROLES",
    },
}

# Privacy: ledger events older than this are deleted by `manage.py purge_progress_events`;
# the per-lesson and per-module aggregates are kept.
PROGRESS_EVENT_RETENTION_DAYS = env.int("PROGRESS_EVENT_RETENTION_DAYS", default=2 * 365)
# How far back a device may date an event it recorded offline (occurred_at); older is a 400.
# Reports and certificates use the server's time whatever the device says (SECURITY.md).
PROGRESS_OFFLINE_WINDOW_DAYS = env.int("PROGRESS_OFFLINE_WINDOW_DAYS", default=14)

# xAPI (docs/xapi.md). The platform's name in statements' context and authority.
XAPI_PLATFORM = env("XAPI_PLATFORM", default="DA Matters")
# Delivery to forces' LRSs (`manage.py deliver_xapi`): a failed send waits
# XAPI_RETRY_BASE_SECONDS * 2^(attempts - 1), at most XAPI_RETRY_MAX_SECONDS; after
# XAPI_MAX_ATTEMPTS failures the entry is a dead letter until an administrator retries it.
XAPI_RETRY_BASE_SECONDS = env.int("XAPI_RETRY_BASE_SECONDS", default=30)
XAPI_RETRY_MAX_SECONDS = env.int("XAPI_RETRY_MAX_SECONDS", default=6 * 60 * 60)
XAPI_MAX_ATTEMPTS = env.int("XAPI_MAX_ATTEMPTS", default=12)
XAPI_TIMEOUT_SECONDS = env.int("XAPI_TIMEOUT_SECONDS", default=20)

LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's default logging gives "django" a console handler of its own (under DEBUG)
        # and lets it propagate to the root's too, so each message, runserver's "Watching for
        # file changes" among them, would print twice. Naming it here replaces that handler
        # with none: the root's prints every message once.
        "django": {"handlers": [], "level": LOG_LEVEL},
        "django.db.backends": {"level": "WARNING"},
        # Wagtail logs every page save and django-tasks every task run at INFO: too chatty.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

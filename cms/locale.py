"""The language of a request, and old links without a language prefix (issue 30).

Learner pages live under /en-gb/ and /cy/ (cms.urls, i18n_patterns). Django's LocaleMiddleware
activates the language (the URL's prefix, else the language cookie, else the browser's
Accept-Language) and turns a 404 for a path without a prefix into a redirect to the same path
(query string kept) under the chosen language's prefix, so old links and bookmarks
(/my-learning/, a page's address, /certificates/verify/<code>/) still work.

The sections below are served without a prefix. A path in them that matches nothing is a plain
404 (the API's JSON one under /api/): the prefixed address would not exist either, as the
learner pages (and Wagtail's catch-all page route) are only under the prefixes.
"""

from django.conf import settings
from django.middleware import locale
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

UNPREFIXED_SECTIONS = (
    "/admin/",
    "/accounts/",
    "/api/",
    "/xapi/",
    "/documents/",
    settings.STATIC_URL,
    settings.MEDIA_URL,
)


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's LocaleMiddleware, without the prefix redirect for the unprefixed sections."""

    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(UNPREFIXED_SECTIONS):
            # What Django's adds to a response it does not redirect.
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", get_language())
            return response
        return super().process_response(request, response)

import os

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.decorators.cache import never_cache
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.views import serve as wagtaildocs_serve

from courses import language_views, sso_views
from courses.sign_in_views import SignInRedirectView, SignInView, StaffSignInView
from home import views as home_views

# A database outage raised before a view (in a middleware) answers 503, not 500 (cms.errors).
handler500 = "cms.errors.server_error"
# One sign-in and one password reset, allauth's (courses.sign_in_views), ahead of the includes
# that would serve Wagtail's: the editors' sign-in is allauth's view on a staff page; Wagtail's
# page-restriction login and its admin password reset redirect to allauth's pages. Both sign-in
# pages are allauth's view asking for the email address first (the force's own sign-in).
sign_in_redirects = [
    path("accounts/login/", SignInView.as_view()),
    path("admin/login/", StaffSignInView.as_view()),
    path(
        "admin/password_reset/",
        SignInRedirectView.as_view(pattern_name="account_reset_password"),
    ),
    path("_util/login/", SignInRedirectView.as_view()),
]

urlpatterns = [
    path("healthz", home_views.healthz, name="healthz"),
    *sign_in_redirects,
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document view (its before_serve_document hooks decide who may download), told
    # never to be stored: a recording whose consent is withdrawn must not live on in a cache.
    re_path(
        r"^documents/(\d+)/(.*)$", never_cache(wagtaildocs_serve.serve), name="wagtaildocs_serve"
    ),
    path("documents/", include(wagtaildocs_urls)),
    # A force's identity provider: allauth's OpenID Connect views with the ID token checked in
    # full (courses.sso_views), ahead of allauth's include that would serve its own.
    path("accounts/oidc/<str:provider_id>/login/", sso_views.login, name="sso_login"),
    path(
        "accounts/oidc/<str:provider_id>/login/callback/",
        sso_views.callback,
        name="sso_callback",
    ),
    path("accounts/signed-out/", sso_views.signed_out, name="sso_signed_out"),
    path("accounts/", include("allauth.urls")),
    # The language switch of the pages without a prefix (courses.language_views).
    path("language/", language_views.set_language, name="set_language"),
    # Under a prefix of their own: a page's URL is then ruled out of all the API's routes at once
    # (every route is tried in turn before Wagtail's pages, the last).
    path("api/", include("courses.api.urls")),
    # xAPI (issue 28): the read-only Statement Resource; LRS clients add `statements` to it.
    path("xapi/", include("courses.api.xapi_urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Images only (Wagtail has no private images). Documents are never served from MEDIA_ROOT:
    # only through the view above, which applies the collection and consent rules.
    for folder in ("original_images", "images"):
        urlpatterns += static(
            f"{settings.MEDIA_URL}{folder}/",
            document_root=os.path.join(settings.MEDIA_ROOT, folder),
        )

# What learners read, under the language's prefix (/en-gb/..., /cy/...): their own pages, then
# Wagtail's page tree, which serves every other path and so comes last. Wagtail serves the
# prefix's locale of each page (issue 30). A path without a prefix is redirected to the
# language of the cookie, else of the browser (LocaleMiddleware).
urlpatterns += i18n_patterns(
    # The interface's Welsh for static/js (gettext, interpolate), in the prefix's language.
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("courses.urls")),
    # Wagtail's page-restriction login is in its include, so under the prefixes too: sent to
    # allauth's, as without a prefix above.
    path("_util/login/", SignInRedirectView.as_view()),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

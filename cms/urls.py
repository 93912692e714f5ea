from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views

# A database outage raised before a view (in a middleware) answers 503, not 500 (cms.errors).
handler500 = "cms.errors.server_error"

urlpatterns = [
    path("healthz", home_views.healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    # Under a prefix of their own: a page's URL is then ruled out of all the API's routes at once
    # (every route is tried in turn before Wagtail's pages, the last).
    path("api/", include("courses.api.urls")),
    path("", include("courses.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every other path from the page tree; keep it last.
urlpatterns += [path("", include(wagtail_urls))]

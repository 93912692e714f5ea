"""All API routes, under /api/ (cms.urls). Learner routes (session + CSRF) and manager routes
(Bearer key) live in their own modules so that each audience's authentication stays in one
place."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.utils.translation import gettext
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


def api_not_found(request, *args, **kwargs):
    """Any other address under /api/: the API's JSON 404, not the site's HTML page."""
    response = JsonResponse(
        {"detail": gettext("No API endpoint at this address; see /api/docs/.")}, status=404
    )
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script from a URL, so the docs need no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("v1/", include("courses.api.learner_urls")),
    path("v1/", include("courses.api.manager_urls")),
    re_path(r"", api_not_found),
]

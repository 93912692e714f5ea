"""The site's URLs plus one view that fails, for testing the 500 handler through a request.
Used only by tests (`@pytest.mark.urls`); the site has no such route."""

from django.urls import path

from cms.urls import handler500
from cms.urls import urlpatterns as site_urlpatterns


def fails(request):
    raise RuntimeError("A bug in a view")


urlpatterns = [path("fails/", fails), *site_urlpatterns]

__all__ = ["handler500", "urlpatterns"]

"""The xAPI routes, under /xapi/ (cms.urls): outside /api/, because LRS clients are given an
endpoint and add `statements` and `about` to it. Any other address here is a JSON 404."""

from django.urls import re_path

from courses.api import xapi_views as views

urlpatterns = [
    re_path(r"^statements/?$", views.StatementsView.as_view(), name="xapi-statements"),
    re_path(r"^about/?$", views.AboutView.as_view(), name="xapi-about"),
    re_path(r"", views.OtherResourceView.as_view(), name="xapi-other"),
]

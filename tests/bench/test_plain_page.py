"""The benchmark's stock Wagtail page row: a PlainPage published by bench.prepare and served
by Wagtail's own routing and `serve`, with or without sign-in."""

import pytest
from django.test import Client
from wagtail.models import Page

from bench import prepare
from bench.models import PlainPage
from tests.factories import learner

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]


def test_plain_page_is_wagtails_own_page_serving():
    assert PlainPage.serve is Page.serve
    assert PlainPage.route is Page.route


def test_plain_page_is_published_once_under_the_site_root(home_page):
    url = prepare.plain_page_url()
    assert prepare.plain_page_url() == url  # a second run reuses it
    page = PlainPage.objects.get()
    assert page.live
    assert page.get_parent().pk == home_page.pk
    assert url == f"/en-gb/{prepare.PLAIN_PAGE_SLUG}/"


@pytest.mark.parametrize("signed_in", [False, True])
def test_plain_page_answers_with_its_rich_text(home_page, signed_in):
    url = prepare.plain_page_url()
    client = Client()
    if signed_in:
        client.force_login(learner())
    response = client.get(url)
    assert response.status_code == 200
    assert response.templates[0].name == "bench/plain_page.html"
    html = response.content.decode()
    assert "<h1>A plain Wagtail page</h1>" in html
    assert "<h2>Part 6</h2>" in html

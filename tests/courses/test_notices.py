"""Content notices: a module's notice shows once per module visit, a content warning never
repeats a list of services already on the screen, and every notice lists the learner's own
force's services, never another force's."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import LessonPage, ModulePage, SupportAudience, SupportService
from tests.factories import UserFactory, force, learner

NOTICE_TEXT = "This module includes accounts of coercive control."
WARNING_TEXT = "The next account describes threats to a child."


@pytest.fixture
def services(db):
    def make(name, **fields):
        return SupportService.objects.create(name=name, description="Confidential.", **fields)

    return {
        "helpline": make("National helpline", phone="0808 000 0001"),
        "crisis": make("Officers' crisis line", audience=SupportAudience.OFFICERS),
        "met": make("Met wellbeing team", force=force("met")),
        "gmp": make("GMP wellbeing team", force=force("gmp")),
    }


@pytest.fixture
def noticed(module_tree, services):
    """The module's notice lists the national helpline and (an editor's pick) GMP's team. Its
    first lesson warns with the same services; its second warns with a new one."""
    module = ModulePage.objects.get(pk=module_tree.module.pk)
    module.content_notice = f"<p>{NOTICE_TEXT}</p>"
    module.save_revision().publish()
    module.notice_support_services.set([services["helpline"], services["gmp"]])
    module.save()

    def warn(lesson, chosen, text=WARNING_TEXT):
        lesson = LessonPage.objects.get(pk=lesson.pk)
        warning = {"text": f"<p>{text}</p>", "support_services": chosen}
        lesson.body = [("content_warning", warning), ("paragraph", "<p>The lesson.</p>")]
        lesson.save_revision().publish()

    warn(module_tree.lessons[0], [services["helpline"], services["gmp"]])
    warn(module_tree.lessons[1], [services["helpline"], services["crisis"]])
    return module_tree


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def lists(html: str) -> list[str]:
    """The support lists on a page, each as the services' names in order."""
    return [
        ", ".join(re.findall(r"<strong>([^<]+)</strong>", found))
        for found in re.findall(r'<ul class="support-links">(.*?)</ul>', html, re.S)
    ]


# --- Once per module visit ----------------------------------------------------------------------


def test_straight_to_the_first_lesson_the_notice_shows_and_the_warning_points_up(noticed):
    client = signed_in(learner("met"))
    html = page(client, noticed.lessons[0].url)
    assert NOTICE_TEXT in html and WARNING_TEXT in html
    # One list: the notice's, with the learner's own force's team; the warning points to it.
    assert lists(html) == ["National helpline, Met wellbeing team"]
    assert 'id="content-notice"' in html
    assert '<a href="#content-notice">support is listed above</a>' in html


def test_after_the_module_page_the_first_lesson_shows_only_its_own_warning(noticed):
    client = signed_in(learner("met"))
    module_html = page(client, noticed.module.url)
    assert NOTICE_TEXT in module_html
    html = page(client, noticed.lessons[0].url)
    assert NOTICE_TEXT not in html
    assert WARNING_TEXT in html
    assert lists(html) == ["National helpline, Met wellbeing team"]
    assert "listed above" not in html


def test_after_before_you_start_the_first_lesson_shows_no_notice(noticed):
    client = signed_in(learner("met"))
    before = page(client, reverse("courses:content_notice", args=[noticed.module.pk]))
    assert NOTICE_TEXT in before
    assert "Met wellbeing team" in before and "GMP wellbeing team" not in before
    html = page(client, noticed.lessons[0].url)
    assert NOTICE_TEXT not in html
    assert lists(html) == ["National helpline, Met wellbeing team"]


def test_the_notice_shows_once_per_visit_not_on_every_view(noticed):
    client = signed_in(learner("met"))
    assert NOTICE_TEXT in page(client, noticed.lessons[0].url)
    assert NOTICE_TEXT not in page(client, noticed.lessons[0].url)
    # A new visit (a new session) shows it again.
    assert NOTICE_TEXT in page(signed_in(learner("met")), noticed.lessons[0].url)


def test_a_warning_with_a_new_service_lists_its_services(noticed, services):
    lesson = LessonPage.objects.get(pk=noticed.lessons[0].pk)
    warning = {
        "text": f"<p>{WARNING_TEXT}</p>",
        "support_services": [services["helpline"], services["crisis"]],
    }
    lesson.body = [("content_warning", warning)]
    lesson.save_revision().publish()
    html = page(signed_in(learner("met")), noticed.lessons[0].url)
    assert lists(html) == [
        "National helpline, Met wellbeing team",
        "National helpline, Officers&#x27; crisis line, Met wellbeing team",
    ]


def test_a_second_warning_with_the_same_services_points_to_the_first(noticed, services):
    lesson = LessonPage.objects.get(pk=noticed.lessons[1].pk)
    first = {"text": "<p>First.</p>", "support_services": [services["crisis"]]}
    second = {"text": "<p>Second.</p>", "support_services": [services["crisis"]]}
    lesson.body = [("content_warning", first), ("content_warning", second)]
    lesson.save_revision().publish()
    html = page(signed_in(learner("met")), noticed.lessons[1].url)
    first_id = LessonPage.objects.get(pk=lesson.pk).body[0].id
    assert lists(html) == ["Officers&#x27; crisis line, Met wellbeing team"]
    assert f'<a href="#warning-{first_id}">support is listed above</a>' in html


# --- Each force's own services ------------------------------------------------------------------


@pytest.mark.parametrize(("code", "own", "other"), [("met", "Met", "GMP"), ("gmp", "GMP", "Met")])
def test_learners_see_their_own_forces_services_and_never_anothers(noticed, code, own, other):
    client = signed_in(learner(code))
    urls = [
        noticed.module.url,
        reverse("courses:content_notice", args=[noticed.module.pk]),
        noticed.lessons[0].url,
        noticed.lessons[1].url,
    ]
    for url in urls:
        html = page(client, url)
        assert f"{own} wellbeing team" in html, url
        assert f"{other} wellbeing team" not in html, url
    fresh = page(signed_in(learner(code)), noticed.lessons[0].url)  # with the module's notice
    assert f"{own} wellbeing team" in fresh and f"{other} wellbeing team" not in fresh


def test_a_user_without_a_force_sees_national_services_only(noticed):
    html = page(signed_in(UserFactory()), noticed.lessons[1].url)
    assert "National helpline" in html
    assert "wellbeing team" not in html


def test_an_editors_preview_lists_national_services_with_a_note(rf, noticed):
    request = rf.get("/")
    request.user = UserFactory(is_superuser=True)
    lesson = LessonPage.objects.get(pk=noticed.lessons[0].pk)
    html = lesson.make_preview_request(request).render().content.decode()
    assert NOTICE_TEXT in html
    assert lists(html) == ["National helpline"]
    assert "support is listed above" in html
    assert "Each learner also sees their own force's services" in html
    assert "wellbeing team" not in html


def test_a_module_with_services_but_no_notice_text_still_lists_them(module_tree, services):
    module = ModulePage.objects.get(pk=module_tree.module.pk)
    module.notice_support_services.set([services["helpline"]])
    module.save()
    client = signed_in(learner("met"))
    assert "National helpline" in page(client, module_tree.lessons[0].url)
    assert "National helpline" in page(client, module.url)


def test_a_module_without_a_notice_shows_none(module_tree, services):
    html = page(signed_in(learner("met")), module_tree.lessons[0].url)
    assert 'id="content-notice"' not in html
    assert "Met wellbeing team" not in html  # no notice, no warning: nothing to list

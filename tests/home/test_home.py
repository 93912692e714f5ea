import pytest
from django.urls import reverse

from courses.models import LessonPage
from home.models import HomePage, minutes_in_words
from tests.conftest import build_module_tree
from tests.factories import UserFactory, learner


def test_site_root_is_a_home_page_created_by_migration(home_page):
    assert isinstance(home_page, HomePage)
    assert home_page.live


def test_home_page_renders_with_skip_link_and_support_footer(client, home_page):
    response = client.get("/en-gb/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#main"' in html
    assert "Skip to main content" in html
    assert f'href="{reverse("courses:support")}"' in html
    assert "<main" in html and 'lang="en-GB"' in html


def test_home_page_is_cheap_to_render(client, home_page, django_assert_max_num_queries):
    # Wagtail serving the site root (5: with the Locale of the URL's language), the live modules
    # and their view restrictions (2), their lessons' times (1); on this first request, with
    # nothing cached, the language switch's links (6: the content token they are cached under,
    # the page's translations, whether Welsh has pages, and the site's root paths for their
    # URLs). Pinned exactly, as every later request costs, in tests/test_query_counts.py.
    with django_assert_max_num_queries(14):
        assert client.get("/en-gb/").status_code == 200


# --- What a visitor reads, and where a signed-in learner goes ----------------------------------


def set_minutes(module, total: int) -> None:
    """Share `total` minutes among the module's lessons: a module's time is its lessons'."""
    lessons = list(LessonPage.objects.child_of(module).order_by("path"))
    share, rest = divmod(total, len(lessons))
    for index, lesson in enumerate(lessons):
        LessonPage.objects.filter(pk=lesson.pk).update(
            estimated_minutes=share + (rest if index == 0 else 0)
        )


def visible_text(response) -> str:
    return " ".join(response.content.decode().split())


def test_signed_out_the_home_page_says_what_who_how_long_how_and_data(client, home_page):
    tree = build_module_tree(home_page, title="Leadership")
    second = build_module_tree(home_page, title="Men's role")
    set_minutes(tree.module, 45)
    set_minutes(second.module, 80)

    response = client.get("/en-gb/")

    assert response.status_code == 200
    text = visible_text(response)
    assert "online training about domestic abuse for people who work in policing" in text
    assert "<h2>Who it is for</h2>" in text and "call handlers" in text
    # How long: the live modules' lessons' estimates, 45 + 80 minutes.
    assert "There are 2 modules, about 2 hours 5 minutes in all." in text
    assert "Leadership (about 45 minutes)" in text
    assert "Only force email addresses are accepted" in text
    assert f'href="{reverse("account_signup")}"' in text
    assert "only you can see it" in text
    assert '<a href="/en-gb/privacy/">Read the privacy notice</a>' in text


def test_the_time_counts_only_live_modules(client, home_page):
    tree = build_module_tree(home_page)
    set_minutes(tree.module, 30)
    build_module_tree(home_page, title="Draft").module.unpublish()

    assert "There is 1 module, about 30 minutes in all." in visible_text(client.get("/en-gb/"))


def test_editors_change_the_home_pages_sections(client, home_page):
    home_page.audience = "<p>For every officer in the South Wales pilot.</p>"
    home_page.save_revision().publish()

    assert "For every officer in the South Wales pilot." in visible_text(client.get("/en-gb/"))


def test_signed_in_the_home_page_is_my_learning(client, home_page):
    client.force_login(learner("met"))

    response = client.get("/en-gb/")

    assert response.status_code == 302
    assert response["Location"] == reverse("courses:dashboard")


def test_an_editor_previewing_the_home_page_sees_it(client, home_page):
    editor = UserFactory(username="editor", is_superuser=True, is_staff=True)
    client.force_login(editor)

    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[home_page.pk]))

    assert response.status_code == 200
    assert "<h2>How long it takes</h2>" in response.content.decode()


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (1, "1 minute"),
        (45, "45 minutes"),
        (60, "1 hour"),
        (61, "1 hour 1 minute"),
        (150, "2 hours 30 minutes"),
        (0, "0 minutes"),
    ],
)
def test_minutes_in_words(minutes, words):
    assert minutes_in_words(minutes) == words

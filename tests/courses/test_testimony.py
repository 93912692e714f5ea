"""Testimony is shown only while consent holds; editors see what needs review."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from courses.models import LessonPage, Testimony
from tests.factories import UserFactory, learner

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def make_testimony(attribution="Robin, survivor", **consent) -> Testimony:
    fields = {
        "text": f"What {attribution} wants officers to hear.",
        "consent_recorded_on": TODAY - 30 * DAY,
        "consent_review_by": TODAY + 200 * DAY,
        **consent,
    }
    return Testimony.objects.create(attribution=attribution, **fields)


@pytest.fixture
def lesson_with(module_tree):
    """Put a testimony block on the first lesson and publish it."""

    def attach(item: Testimony) -> LessonPage:
        lesson = LessonPage.objects.get(pk=module_tree.lessons[0].pk)
        lesson.body = [("paragraph", "<p>Listen.</p>"), ("testimony", item)]
        lesson.save_revision().publish()
        return lesson

    return attach


@pytest.mark.django_db
class TestShareable:
    def test_current_consent_is_shareable(self):
        item = make_testimony()
        assert item.is_shareable()
        assert list(Testimony.objects.shareable()) == [item]

    @pytest.mark.parametrize(
        "consent",
        [
            {"consent_withdrawn_on": TODAY},
            {"consent_withdrawn_on": TODAY - DAY},
            {"consent_review_by": TODAY - DAY},
            {"consent_recorded_on": None, "consent_review_by": None},
            {"consent_recorded_on": TODAY + DAY},
        ],
        ids=["withdrawn-today", "withdrawn", "review-passed", "never-recorded", "not-yet"],
    )
    def test_lapsed_or_withdrawn_consent_is_not_shareable(self, consent):
        item = make_testimony(**consent)
        assert not item.is_shareable()
        assert not Testimony.objects.shareable().exists()

    def test_review_day_itself_is_still_shareable(self):
        assert make_testimony(consent_review_by=TODAY).is_shareable()


def test_shareable_testimony_renders_for_learners(client, lesson_with):
    item = make_testimony(is_fictional_composite=True)
    lesson = lesson_with(item)
    client.force_login(learner())
    html = client.get(lesson.url).text
    assert item.text in html
    assert item.attribution in html
    assert "Fictional composite" in html


@pytest.mark.parametrize(
    "consent",
    [{"consent_withdrawn_on": TODAY}, {"consent_review_by": TODAY - DAY}],
    ids=["withdrawn", "expired"],
)
def test_withdrawn_or_expired_testimony_renders_nowhere(client, lesson_with, consent):
    item = make_testimony()
    lesson = lesson_with(item)
    Testimony.objects.filter(pk=item.pk).update(**consent)
    client.force_login(learner())
    html = client.get(lesson.url).text
    assert item.text not in html
    assert item.attribution not in html
    assert "consent" not in html.lower()  # learners are not told anything was removed


def test_editor_preview_shows_a_neutral_note_instead(rf, lesson_with):
    item = make_testimony(consent_withdrawn_on=TODAY)
    lesson = lesson_with(item)
    request = rf.get("/")
    request.user = UserFactory(is_superuser=True)
    response = lesson.make_preview_request(request)
    html = response.render().content.decode()
    assert "a testimony is hidden here" in html
    assert item.text not in html


def test_shareable_testimony_shows_in_preview_too(rf, lesson_with):
    item = make_testimony()
    lesson = lesson_with(item)
    request = rf.get("/")
    request.user = UserFactory(is_superuser=True)
    html = lesson.make_preview_request(request).render().content.decode()
    assert item.text in html
    assert "hidden here" not in html


def test_testimony_text_is_not_in_the_lesson_search_index(lesson_with):
    item = make_testimony()
    lesson = lesson_with(item)
    content = LessonPage.body.field.get_searchable_content(lesson.body)
    assert item.text not in " ".join(content)


@pytest.mark.django_db
class TestNeedingReview:
    def test_lists_due_within_30_days_and_overdue_soonest_first(self):
        overdue = make_testimony("Overdue", consent_review_by=TODAY - 5 * DAY)
        soon = make_testimony("Soon", consent_review_by=TODAY + 30 * DAY)
        make_testimony("Later", consent_review_by=TODAY + 31 * DAY)
        make_testimony("Withdrawn", consent_review_by=TODAY, consent_withdrawn_on=TODAY)
        assert list(Testimony.objects.needing_review(within_days=30)) == [
            overdue,
            soon,
        ]

    def test_admin_report_lists_them(self, client):
        make_testimony("Due soon", consent_review_by=TODAY + 10 * DAY)
        make_testimony("Fine for now", consent_review_by=TODAY + 100 * DAY)
        client.force_login(UserFactory(is_superuser=True))
        response = client.get(reverse("courses_consent_review"))
        assert response.status_code == 200
        assert "Due soon" in response.text
        assert "Fine for now" not in response.text
        assert reverse("courses_consent_review") in client.get(reverse("wagtailadmin_home")).text

    def test_admin_report_refuses_users_without_testimony_permission(self, client):
        user = UserFactory()
        client.force_login(user)
        response = client.get(reverse("courses_consent_review"))
        assert response.status_code in (302, 403)


@pytest.mark.django_db
class TestTestimonyValidation:
    def test_recording_needs_a_transcript(self, settings, tmp_path):
        from django.core.files.base import ContentFile
        from wagtail.documents.models import Document

        settings.MEDIA_ROOT = tmp_path
        media = Document.objects.create(title="rec", file=ContentFile(b"x", name="rec.mp3"))
        item = Testimony(
            attribution="A",
            text="B",
            media=media,
            consent_recorded_on=TODAY,
            consent_review_by=TODAY,
        )
        with pytest.raises(ValidationError) as caught:
            item.full_clean()
        assert "transcript" in caught.value.message_dict

    def test_review_date_must_follow_consent(self):
        item = Testimony(
            attribution="A", text="B", consent_recorded_on=TODAY, consent_review_by=TODAY - DAY
        )
        with pytest.raises(ValidationError) as caught:
            item.full_clean()
        assert "consent_review_by" in caught.value.message_dict

    def test_consent_needs_a_review_date(self):
        item = Testimony(attribution="A", text="B", consent_recorded_on=TODAY)
        with pytest.raises(ValidationError) as caught:
            item.full_clean()
        assert "consent_review_by" in caught.value.message_dict

    def test_withdrawal_cannot_precede_consent(self):
        item = Testimony(
            attribution="A",
            text="B",
            consent_recorded_on=TODAY,
            consent_review_by=TODAY + DAY,
            consent_withdrawn_on=TODAY - DAY,
        )
        with pytest.raises(ValidationError) as caught:
            item.full_clean()
        assert "consent_withdrawn_on" in caught.value.message_dict

"""Testimony is shown only while consent holds; editors see what needs review."""

import datetime
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import Collection, PageViewRestriction

from courses.models import LessonPage, Testimony
from tests.factories import UserFactory, consented_testimony, learner

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


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
        item = consented_testimony()
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
        item = consented_testimony(**consent)
        assert not item.is_shareable()
        assert not Testimony.objects.shareable().exists()

    def test_review_day_itself_is_still_shareable(self):
        assert consented_testimony(consent_review_by=TODAY).is_shareable()


def test_shareable_testimony_renders_for_learners(client, lesson_with):
    item = consented_testimony(is_fictional_composite=True)
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
    item = consented_testimony()
    lesson = lesson_with(item)
    Testimony.objects.filter(pk=item.pk).update(**consent)
    client.force_login(learner())
    html = client.get(lesson.url).text
    assert item.text not in html
    assert item.attribution not in html
    assert "consent" not in html.lower()  # learners are not told anything was removed


def test_editor_preview_shows_a_neutral_note_instead(rf, lesson_with):
    item = consented_testimony(consent_withdrawn_on=TODAY)
    lesson = lesson_with(item)
    request = rf.get("/")
    request.user = UserFactory(is_superuser=True)
    response = lesson.make_preview_request(request)
    html = response.render().content.decode()
    assert "a testimony is hidden here" in html
    assert item.text not in html


def test_shareable_testimony_shows_in_preview_too(rf, lesson_with):
    item = consented_testimony()
    lesson = lesson_with(item)
    request = rf.get("/")
    request.user = UserFactory(is_superuser=True)
    html = lesson.make_preview_request(request).render().content.decode()
    assert item.text in html
    assert "hidden here" not in html


def test_testimony_text_is_not_in_the_lesson_search_index(lesson_with):
    item = consented_testimony()
    lesson = lesson_with(item)
    content = LessonPage.body.field.get_searchable_content(lesson.body)
    assert item.text not in " ".join(content)


@pytest.mark.django_db
class TestNeedingReview:
    def test_lists_due_within_30_days_and_overdue_soonest_first(self):
        overdue = consented_testimony("Overdue", consent_review_by=TODAY - 5 * DAY)
        soon = consented_testimony("Soon", consent_review_by=TODAY + 30 * DAY)
        consented_testimony("Later", consent_review_by=TODAY + 31 * DAY)
        consented_testimony("Withdrawn", consent_review_by=TODAY, consent_withdrawn_on=TODAY)
        assert list(Testimony.objects.needing_review(within_days=30)) == [
            overdue,
            soon,
        ]

    def test_admin_report_lists_them(self, client):
        consented_testimony("Due soon", consent_review_by=TODAY + 10 * DAY)
        consented_testimony("Fine for now", consent_review_by=TODAY + 100 * DAY)
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

    def video(self, collection, name="rec.mp4"):
        return Document.objects.create(
            title=name, file=ContentFile(b"x", name=name), collection=collection
        )

    def test_a_video_needs_captions_as_private_as_the_recording(self, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        private = Collection.objects.get(name="Testimony media (private)")
        consent = {"consent_recorded_on": TODAY, "consent_review_by": TODAY}
        item = Testimony(
            attribution="A", text="B", media=self.video(private), transcript="T", **consent
        )
        with pytest.raises(ValidationError) as caught:
            item.full_clean()
        assert caught.value.message_dict == {
            "captions": ["Add a captions file (.vtt): every video of a survivor needs captions."]
        }
        for captions, error in [
            (self.video(private, "captions.txt"), "Choose a captions file (vtt file)."),
            (self.video(Collection.get_first_root_node(), "public.vtt"), "private collection"),
        ]:
            item.captions = captions
            with pytest.raises(ValidationError) as caught:
                item.full_clean()
            assert error in caught.value.message_dict["captions"][0]
        item.captions = self.video(private, "captions.vtt")
        item.full_clean()

    def test_captions_need_the_recording(self, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        private = Collection.objects.get(name="Testimony media (private)")
        item = Testimony(attribution="A", text="B", captions=self.video(private, "c.vtt"))
        with pytest.raises(ValidationError) as caught:
            item.full_clean()
        assert "captions" in caught.value.message_dict

    def test_an_audio_recording_needs_no_captions(self, recording):
        item = consented_testimony(media=recording, transcript="What Robin says.")
        item.full_clean()

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


# --- The recording: served only while consent holds, to learners who may see the lesson ------


@pytest.fixture
def recording(settings, tmp_path):
    """An MP3 in the private testimony collection (created by courses' data migration)."""
    settings.MEDIA_ROOT = tmp_path
    return Document.objects.create(
        title="Robin's recording",
        file=ContentFile(b"ID3" + b"\x00" * 64, name="robin.mp3"),
        collection=Collection.objects.get(name="Testimony media (private)"),
    )


@pytest.fixture
def shown(lesson_with, recording):
    """A shareable testimony with the recording, on a published lesson."""
    item = consented_testimony(media=recording, transcript="What Robin says.")
    return item, lesson_with(item)


def download(client, document):
    response = client.get(document.url)
    if response.status_code == 200:
        assert b"".join(response.streaming_content).startswith(b"ID3")
    return response


@pytest.mark.django_db
class TestRecording:
    def test_a_learner_who_may_see_the_lesson_gets_it_while_consent_holds(self, client, shown):
        item, lesson = shown
        client.force_login(learner("gmp"))
        assert item.media.url in client.get(lesson.url).text
        response = download(client, item.media)
        assert response.status_code == 200
        # Never kept by a browser or a shared cache: it must vanish when consent does.
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]

    @pytest.mark.parametrize(
        "consent",
        [{"consent_withdrawn_on": TODAY}, {"consent_review_by": TODAY - DAY}],
        ids=["withdrawn", "expired"],
    )
    def test_withdrawn_or_expired_consent_closes_it_at_once(self, client, shown, consent):
        item, lesson = shown
        client.force_login(learner("met"))
        assert download(client, item.media).status_code == 200
        assert item.media.url in client.get(lesson.url).text
        for name, value in consent.items():  # as the admin's edit form saves it
            setattr(item, name, value)
        item.save()
        assert download(client, item.media).status_code == 404
        assert item.media.url not in client.get(lesson.url).text

    def test_the_download_needs_no_save_to_close(self, client, shown):
        """A review date passing saves nothing: the download is decided on every request."""
        item, _ = shown
        client.force_login(learner("met"))
        assert download(client, item.media).status_code == 200
        Testimony.objects.filter(pk=item.pk).update(consent_review_by=TODAY - DAY)
        assert download(client, item.media).status_code == 404

    def test_consent_restored_opens_it_again(self, client, shown):
        item, _ = shown
        client.force_login(learner("met"))
        Testimony.objects.filter(pk=item.pk).update(consent_withdrawn_on=TODAY)
        assert download(client, item.media).status_code == 404
        Testimony.objects.filter(pk=item.pk).update(consent_withdrawn_on=None)
        assert download(client, item.media).status_code == 200

    def test_a_learner_the_lesson_is_restricted_from_gets_404(self, client, shown):
        """The lesson is for one Met cohort: a GMP learner (and a Met learner outside it) gets
        nothing, a member gets the recording."""
        item, lesson = shown
        cohort = Group.objects.create(name="Met leadership cohort")
        restriction = PageViewRestriction.objects.create(
            page=lesson, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.add(cohort)
        for outsider in (learner("gmp"), learner("met")):
            client.force_login(outsider)
            assert download(client, item.media).status_code == 404
        member = learner("met")
        member.groups.add(cohort)
        client.force_login(member)
        assert download(client, item.media).status_code == 200

    def test_its_captions_are_shown_and_served_under_the_same_rule(self, client, shown):
        item, lesson = shown
        captions = Document.objects.create(
            title="Robin's captions",
            file=ContentFile(
                b"WEBVTT\n\n00:00.000 --> 00:02.000\nWhat Robin says.\n", name="r.vtt"
            ),
            collection=item.media.collection,
        )
        item.captions = captions
        item.save()
        client.force_login(learner("met"))
        html = client.get(lesson.url).text
        assert f'<track kind="captions" src="{captions.url}"' in html
        assert '<p class="lesson-media__captions" hidden></p>' in html  # audio: shown by JS
        assert client.get(captions.url).status_code == 200
        Testimony.objects.filter(pk=item.pk).update(consent_withdrawn_on=TODAY)
        assert client.get(captions.url).status_code == 404

    def test_a_recording_on_no_published_lesson_gets_404(self, client, recording):
        """The outside probe: any signed-in learner of any force could download it."""
        consented_testimony(media=recording, transcript="What Robin says.")
        client.force_login(learner("gmp"))
        assert download(client, recording).status_code == 404

    def test_unpublishing_the_lesson_closes_it(self, client, shown):
        item, lesson = shown
        client.force_login(learner("met"))
        lesson.unpublish()
        assert download(client, item.media).status_code == 404

    def test_a_lesson_showing_another_testimony_does_not_open_it(
        self, client, lesson_with, recording
    ):
        consented_testimony(
            "Withdrawn", media=recording, consent_withdrawn_on=TODAY, transcript="x"
        )
        lesson_with(consented_testimony("Current"))
        client.force_login(learner("met"))
        assert download(client, recording).status_code == 404

    def test_a_private_document_that_is_no_recording_is_for_editors_only(self, client, recording):
        client.force_login(learner("met"))
        assert download(client, recording).status_code == 404
        editor = UserFactory()
        editor.groups.add(Group.objects.get(name="Editors"))
        client.force_login(editor)
        assert download(client, recording).status_code == 200

    def test_signed_out_visitors_are_sent_to_sign_in(self, client, shown):
        item, _ = shown
        response = client.get(item.media.url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse(django_settings.LOGIN_URL))

    @pytest.mark.parametrize("who", ["editor", "superuser"])
    def test_editors_keep_it_in_the_admin_after_withdrawal(self, client, shown, who):
        item, _ = shown
        Testimony.objects.filter(pk=item.pk).update(consent_withdrawn_on=TODAY)
        user = UserFactory(is_superuser=who == "superuser", is_staff=True)
        user.groups.add(Group.objects.get(name="Editors"))
        client.force_login(user)
        edit = client.get(reverse("wagtaildocs:edit", args=[item.media_id]))
        assert edit.status_code == 200
        assert item.media.url in edit.text
        assert download(client, item.media).status_code == 200

    def test_the_decision_is_a_fixed_number_of_queries(
        self, client, shown, django_assert_num_queries
    ):
        item, _ = shown
        client.force_login(learner("met"))
        download(client, item.media)
        # 2 the session and the user, 1 document, 1 "is it a recording?", 1 its collection, 1 the
        # editor permission check, 1 the pages showing a shareable testimony (reference index),
        # 1 those that are published lessons, 2 the first lesson's view restrictions (its
        # ancestors, then theirs), 1 Wagtail's own collection check. Flat in the number of
        # lessons and learners: the first lesson that lets the learner in decides.
        with django_assert_num_queries(11):
            assert download(client, item.media).status_code == 200


def test_media_url_serves_images_but_never_documents_under_dev_settings():
    """cms.urls serves MEDIA_ROOT only when DEBUG (the dev settings): documents' folder must
    not be reachable there, whatever the file."""
    script = (
        "import django; django.setup()\n"
        "from django.urls import Resolver404, resolve\n"
        "def view(path):\n"
        "    try:\n"
        "        return resolve(path).func.__module__\n"
        "    except Resolver404:\n"
        "        return '404'\n"
        "print(view('/media/documents/robin.mp3'), view('/media/documents/a/'),"
        " view('/media/original_images/a.png'), view('/media/images/a.png'))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.dev", "DJANGO_DEBUG": "true"}
    result = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    documents, folder, original, rendition = result.stdout.split()
    assert documents != "django.views.static" and folder != "django.views.static"
    assert original == rendition == "django.views.static"

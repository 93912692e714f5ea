"""Lesson blocks: self-description, validation errors, and what reaches the HTML."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.urls import reverse
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection

from courses.blocks import (
    AudioBlock,
    ContentWarningBlock,
    ImageBlock,
    KnowledgeCheckBlock,
    LessonStreamBlock,
    ReflectionPromptBlock,
    VideoBlock,
)
from courses.models import LessonPage, SupportService
from tests.factories import KNOWLEDGE_CHECK, learner


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def document(name: str) -> Document:
    return Document.objects.create(title=name, file=ContentFile(b"demo", name=name))


def errors_of(block, value) -> dict:
    """Run the block's validation on a raw (form-style) value; return its per-field errors."""
    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(block.to_python(value))
    return caught.value.block_errors


def messages(error: ValidationError) -> str:
    non_block = getattr(error, "non_block_errors", None)
    return " ".join(non_block.as_data()[0].messages) if non_block else " ".join(error.messages)


def test_every_block_describes_itself():
    for name, block in LessonStreamBlock().child_blocks.items():
        assert block.meta.icon, name
        assert block.get_template(), name
        assert block.get_description(), name


def check(**overrides):
    value = {**KNOWLEDGE_CHECK, **overrides}
    return KnowledgeCheckBlock().to_python(value)


class TestKnowledgeCheckValidation:
    def test_valid_single_answer_question_passes(self):
        assert KnowledgeCheckBlock().clean(check())["question"] == KNOWLEDGE_CHECK["question"]

    def test_needs_two_options(self):
        errors = errors_of(
            KnowledgeCheckBlock(), {**KNOWLEDGE_CHECK, "options": [KNOWLEDGE_CHECK["options"][1]]}
        )
        assert "options" in errors

    def test_needs_a_correct_option(self):
        options = [{**o, "is_correct": False} for o in KNOWLEDGE_CHECK["options"]]
        errors = errors_of(KnowledgeCheckBlock(), {**KNOWLEDGE_CHECK, "options": options})
        assert "Tick at least one answer as correct" in messages(errors["options"])

    def test_single_answer_question_takes_exactly_one_correct(self):
        options = [{**o, "is_correct": True} for o in KNOWLEDGE_CHECK["options"]]
        errors = errors_of(KnowledgeCheckBlock(), {**KNOWLEDGE_CHECK, "options": options})
        assert "Only one answer can be correct" in messages(errors["options"])

    def test_multiple_answer_question_may_have_several_correct(self):
        options = [{**o, "is_correct": True} for o in KNOWLEDGE_CHECK["options"]]
        value = KnowledgeCheckBlock().to_python(
            {**KNOWLEDGE_CHECK, "allow_multiple": True, "options": options}
        )
        assert len(KnowledgeCheckBlock().clean(value)["options"]) == 3

    def test_options_must_differ(self):
        options = [
            KNOWLEDGE_CHECK["options"][1],
            {**KNOWLEDGE_CHECK["options"][0], "text": "Why doesn't he stop? "},
        ]
        errors = errors_of(KnowledgeCheckBlock(), {**KNOWLEDGE_CHECK, "options": options})
        assert "same text" in messages(errors["options"])

    def test_the_right_answer_shows_after_two_answers_unless_the_editor_says_otherwise(self):
        block = KnowledgeCheckBlock()
        assert block.child_blocks["reveal_after"].get_default() == 2
        assert "right answer is shown" in str(block.child_blocks["reveal_after"].field.help_text)
        stored = {k: v for k, v in KNOWLEDGE_CHECK.items() if k != "reveal_after"}
        assert block.to_python(stored)["reveal_after"] == 2  # content from before the field
        assert block.clean(check(reveal_after=5))["reveal_after"] == 5

    @pytest.mark.parametrize("reveal_after", [0, -1, 11, None])
    def test_reveal_after_is_between_one_and_ten(self, reveal_after):
        errors = errors_of(KnowledgeCheckBlock(), {**KNOWLEDGE_CHECK, "reveal_after": reveal_after})
        assert "reveal_after" in errors

    def test_question_is_required(self):
        errors = errors_of(KnowledgeCheckBlock(), {**KNOWLEDGE_CHECK, "question": ""})
        assert "question" in errors

    def test_search_index_gets_the_question_only(self):
        content = " ".join(KnowledgeCheckBlock().get_searchable_content(check()))
        assert "responsibility" in content
        assert "his choice" not in content


@pytest.mark.django_db
class TestImageValidation:
    def image(self):
        return Image.objects.create(title="Banner", file=get_test_image_file())

    def test_alt_text_required_unless_decorative(self):
        image = self.image()
        errors = errors_of(
            ImageBlock(), {"image": image.pk, "alt_text": " ", "decorative": False, "caption": ""}
        )
        assert "tick 'decorative'" in messages(errors["alt_text"])

    def test_decorative_image_needs_no_alt_and_renders_empty_alt(self):
        image = self.image()
        block = ImageBlock()
        value = block.clean(
            block.to_python({"image": image.pk, "alt_text": "", "decorative": True, "caption": ""})
        )
        assert 'alt=""' in block.render(value)

    def test_alt_text_is_rendered(self):
        image = self.image()
        block = ImageBlock()
        value = block.to_python(
            {
                "image": image.pk,
                "alt_text": "Officers in a briefing",
                "decorative": False,
                "caption": "",
            }
        )
        assert 'alt="Officers in a briefing"' in block.render(block.clean(value))


@pytest.mark.django_db
class TestMediaValidation:
    def test_video_needs_mp4_and_vtt_captions(self):
        errors = errors_of(
            VideoBlock(),
            {
                "title": "Briefing",
                "media": document("briefing.pdf").pk,
                "transcript": "Everything that is said.",
                "captions": document("captions.txt").pk,
            },
        )
        assert set(errors) == {"media", "captions"}
        assert "mp4" in messages(errors["media"])
        assert "vtt" in messages(errors["captions"])

    def test_video_needs_a_transcript(self):
        errors = errors_of(
            VideoBlock(),
            {
                "title": "Briefing",
                "media": document("briefing.mp4").pk,
                "transcript": "  ",
                "captions": None,
            },
        )
        assert set(errors) == {"transcript"}

    def test_audio_needs_mp3(self):
        errors = errors_of(
            AudioBlock(),
            {
                "title": "Call",
                "media": document("call.wav").pk,
                "transcript": "Words",
                "captions": None,
            },
        )
        assert set(errors) == {"media"}

    def test_valid_video_renders_captions_and_transcript(self):
        block = VideoBlock()
        value = block.clean(
            block.to_python(
                {
                    "title": "Briefing",
                    "media": document("briefing.mp4").pk,
                    "transcript": "Everything that is said.",
                    "captions": document("briefing.vtt").pk,
                }
            )
        )
        html = block.render(value)
        assert '<track kind="captions"' in html
        assert "<summary>Transcript" in html
        assert "Everything that is said." in html

    def test_video_needs_captions(self):
        errors = errors_of(
            VideoBlock(),
            {
                "title": "Briefing",
                "media": document("briefing.mp4").pk,
                "transcript": "Everything that is said.",
                "captions": None,
            },
        )
        assert set(errors) == {"captions"}
        assert "Add a captions file (.vtt)" in messages(errors["captions"])

    def test_media_from_a_private_collection_is_refused(self):
        private = Collection.objects.get(name="Testimony media (private)")
        recording = document("robin.mp3")
        recording.collection = private
        recording.save()
        errors = errors_of(
            AudioBlock(),
            {"title": "Robin", "media": recording.pk, "transcript": "Words", "captions": None},
        )
        assert set(errors) == {"media"}
        assert "use a Testimony block" in messages(errors["media"])

    def test_audio_renders_its_captions_as_a_track_and_under_the_player(self):
        block = AudioBlock()
        captions = document("call.vtt")
        value = block.clean(
            block.to_python(
                {
                    "title": "Call",
                    "media": document("call.mp3").pk,
                    "transcript": "Every word of the call.",
                    "captions": captions.pk,
                }
            )
        )
        html = block.render(value)
        assert f'<track kind="captions" src="{captions.url}"' in html
        assert '<audio controls preload="metadata" data-captions>' in html
        # Shown by captions.js as the recording plays; hidden (and the transcript there) without.
        assert '<p class="lesson-media__captions" hidden></p>' in html
        assert "/static/js/captions.js" in html
        assert "Every word of the call." in html

    def test_audio_without_captions_has_no_track(self):
        block = AudioBlock()
        value = block.to_python(
            {"title": "Call", "media": document("call.mp3").pk, "transcript": "x", "captions": None}
        )
        html = block.render(block.clean(value))
        assert "<track" not in html
        assert "captions.js" not in html


@pytest.mark.django_db
def test_content_warning_needs_a_support_service():
    errors = errors_of(
        ContentWarningBlock(), {"text": "<p>Difficult content.</p>", "support_services": []}
    )
    assert "support_services" in errors


@pytest.mark.django_db
def test_content_warning_lists_its_services():
    service = SupportService.objects.create(
        name="Helpline", description="Help", phone="0800 111 222"
    )
    block = ContentWarningBlock()
    value = block.clean(
        block.to_python({"text": "<p>Difficult.</p>", "support_services": [service.pk]})
    )
    html = block.render(value)
    assert "Helpline" in html
    assert 'href="tel:0800111222"' in html


@pytest.mark.django_db
def test_content_warning_is_a_region_named_by_its_heading():
    """Screen readers announce the region on entry and list its heading (not an aside: the
    warning is about the lesson itself, not content beside it)."""
    service = SupportService.objects.create(name="Helpline", description="Help")
    block = ContentWarningBlock()
    value = block.clean(
        block.to_python({"text": "<p>Difficult.</p>", "support_services": [service.pk]})
    )
    html = block.render(value, context={"block_id": "abc"})
    assert (
        '<section class="content-warning" id="warning-abc" aria-labelledby="warning-abc-title">'
        in html
    )
    assert '<h2 class="content-warning__title" id="warning-abc-title">Content notice</h2>' in html
    assert "<aside" not in html


def render_lesson(client, lesson) -> str:
    client.force_login(learner())
    response = client.get(lesson.url)
    assert response.status_code == 200
    return response.text


def test_knowledge_check_form_carries_no_answers(client, module_tree):
    lesson = module_tree.lessons[-1]
    html = render_lesson(client, lesson)
    form = re.search(r'<section class="knowledge-check".*?</section>', html, re.S).group(0)
    assert f'action="{reverse("courses:lesson_answer", args=[lesson.pk])}"' in form
    assert f'name="block_id" value="{module_tree.check_block_id}"' in form
    assert "csrfmiddlewaretoken" in form
    assert form.count('type="radio" ') == 3
    assert [int(v) for v in re.findall(r'name="answer" value="(\d+)"', form)] == [0, 1, 2]
    assert "<legend" in form and KNOWLEDGE_CHECK["question"] in form
    # Nothing anywhere in the page gives the answer away.
    for option in KNOWLEDGE_CHECK["options"]:
        assert option["feedback"] not in html
    for leak in ("is_correct", "correct", "data-answer", "feedback"):
        assert leak not in html.lower().replace("knowledge-check__feedback", "")


def render_feedback(lesson, child, outcome) -> str:
    request = RequestFactory().get("/")
    request.user = learner()
    return child.render(
        context={
            "page": lesson,
            "request": request,
            "block_id": child.id,
            "check_feedback": {child.id: outcome},
        }
    )


def test_knowledge_check_feedback_marks_only_the_chosen_option_at_first(module_tree):
    lesson = LessonPage.objects.get(pk=module_tree.lessons[-1].pk)
    child = next(c for c in lesson.body if c.id == module_tree.check_block_id)

    html = render_feedback(lesson, child, child.block.score(child.value, [0], attempts=1))

    assert "Not quite" in html
    assert "This blames her." in html
    assert "Your answer" in html and "Not correct" in html
    assert re.search(r'value="0" checked', html)
    assert "Yes: his choice." not in html and "No one provokes abuse." not in html
    assert "Correct answer" not in html


def test_knowledge_check_feedback_shows_everything_once_revealed(module_tree):
    lesson = LessonPage.objects.get(pk=module_tree.lessons[-1].pk)
    child = next(c for c in lesson.body if c.id == module_tree.check_block_id)

    html = render_feedback(lesson, child, child.block.score(child.value, [0], attempts=2))

    assert "The right answer is shown below." in html
    assert "Correct answer" in html
    for option in KNOWLEDGE_CHECK["options"]:
        assert option["feedback"] in html


def test_score_hides_what_was_not_chosen_until_revealed():
    block = KnowledgeCheckBlock()
    value = block.to_python({**KNOWLEDGE_CHECK, "allow_multiple": True, "reveal_after": 3})
    value["options"][2]["is_correct"] = True  # options 1 and 2 are right

    partly = block.score(value, [1], attempts=2)
    assert not partly.correct and partly.missed_some and partly.attempts_left == 1
    assert partly.shown_feedback() == (
        (0, False, None, ""),
        (1, True, True, "Yes: his choice."),
        (2, False, None, ""),
    )
    assert block.score(value, [1], attempts=3).shown_feedback()[2] == (
        2,
        False,
        True,
        "No one provokes abuse.",
    )
    right = block.score(value, [1, 2], attempts=1)
    assert right.answer_revealed and right.shown_feedback()[0] == (
        0,
        False,
        False,
        "This blames her.",
    )


def test_multiple_answer_check_uses_checkboxes(module_tree):
    block = KnowledgeCheckBlock()
    value = block.to_python({**KNOWLEDGE_CHECK, "allow_multiple": True})
    html = block.render(value, context={"page": module_tree.lessons[0], "block_id": "abc"})
    assert html.count('type="checkbox"') == 3
    assert "Choose all answers that apply." in html


def test_reflection_prompt_form_is_prefilled_and_private(module_tree):
    block = ReflectionPromptBlock()
    value = block.to_python({"prompt": "What will you change?", "guidance": "Be honest."})
    html = block.render(
        value,
        context={
            "page": module_tree.lessons[0],
            "block_id": "r1",
            "reflections": {"r1": "Ask about the history."},
        },
    )
    reflect_url = reverse("courses:lesson_reflect", args=[module_tree.lessons[0].pk])
    assert f'action="{reflect_url}"' in html
    assert '<label for="reflection-r1"' in html
    assert 'name="text"' in html
    assert ">Ask about the history.</textarea>" in html
    assert "Only you can see what you write here." in html


def test_preview_values_render(module_tree):
    for name, block in LessonStreamBlock().child_blocks.items():
        if not hasattr(block.meta, "preview_value"):
            continue
        value = block.get_preview_value()
        html = block.render(value, context={"page": module_tree.lessons[0], "block_id": "p"})
        assert html.strip(), name


def test_lesson_headings_must_not_start_at_level_three():
    stream = LessonStreamBlock()
    bad = stream.to_python(
        [
            {"type": "heading", "value": {"text": "Detail", "level": "h3"}},
            {"type": "heading", "value": {"text": "Section", "level": "h2"}},
        ]
    )
    with pytest.raises(StreamBlockValidationError) as caught:
        stream.clean(bad)
    assert 0 in caught.value.block_errors
    good = stream.to_python(
        [
            {"type": "heading", "value": {"text": "Section", "level": "h2"}},
            {"type": "heading", "value": {"text": "Detail", "level": "h3"}},
        ]
    )
    assert len(stream.clean(good)) == 2


@pytest.mark.django_db
def test_blocks_whose_media_was_deleted_render_nothing_broken():
    cases = [
        (ImageBlock(), {"image": None, "alt_text": "x", "decorative": False, "caption": ""}),
        (VideoBlock(), {"title": "T", "media": None, "transcript": "x", "captions": None}),
        (AudioBlock(), {"title": "T", "media": None, "transcript": "x", "captions": None}),
    ]
    for block, raw in cases:
        html = block.render(block.to_python(raw))
        assert "src=" not in html

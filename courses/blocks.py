"""StreamField blocks for lesson bodies.

Every block describes itself to editors (icon, template, preview value, description) and
validates in `clean()`. The knowledge-check scoring contract (`KnowledgeCheckBlock.score` and
`CheckOutcome`) is what the progress service and the learner journey rely on.
"""

from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from wagtail import blocks
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

# Lesson headings start at h2: the page title is the only h1.
RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "document-link"]
SHORT_RICH_TEXT_FEATURES = ["bold", "italic", "link", "ul"]


def _extension(document) -> str:
    return PurePosixPath(document.file.name).suffix.lower().lstrip(".") if document else ""


def _file_error(document, allowed: tuple[str, ...], what: str) -> ValidationError | None:
    if document and _extension(document) not in allowed:
        return ValidationError(f"Choose {what} ({', '.join(allowed)} file).")
    return None


@dataclass(frozen=True)
class CheckOutcome:
    """The server's verdict on one knowledge-check submission."""

    score: int  # 0-100
    correct: bool
    selected: tuple[int, ...]
    # One entry per option: (option index, was it selected, is it correct, feedback text)
    feedback: tuple[tuple[int, bool, bool, str], ...]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120, help_text="A short heading for the next section.")
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section (level 2)"), ("h3", "Sub-section (level 3)")],
        default="h2",
        help_text="Use level 3 only under a level 2 heading, so screen-reader users can navigate.",
    )

    class Meta:
        icon = "title"
        template = "courses/blocks/heading.html"
        description = "A section heading. Headings let learners skim and navigate the lesson."
        preview_value = {"text": "Recognising coercive control", "level": "h2"}


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        required=False,
        max_length=250,
        help_text="Describe what the image shows for people who cannot see it.",
    )
    decorative = blocks.BooleanBlock(
        required=False,
        help_text="Tick only if the image adds nothing to the text; it is then hidden from "
        "screen readers and needs no alt text.",
    )
    caption = blocks.CharBlock(required=False, max_length=250, help_text="Shown under the image.")

    class Meta:
        icon = "image"
        template = "courses/blocks/image.html"
        description = "An image with alternative text (or marked decorative) and a caption."

    def clean(self, value):
        value = super().clean(value)
        if not value["decorative"] and not (value["alt_text"] or "").strip():
            raise StructBlockValidationError(
                block_errors={
                    "alt_text": ValidationError(
                        "Describe the image, or tick 'decorative' if it adds nothing to the text."
                    )
                }
            )
        return value


class MediaBlock(blocks.StructBlock):
    """Video or audio from the document library, always with a full transcript."""

    title = blocks.CharBlock(max_length=200, help_text="What the recording is, in a few words.")
    media = DocumentChooserBlock(help_text="The recording, uploaded to Documents.")
    transcript = blocks.TextBlock(
        help_text="A full transcript of everything said and shown. Required for accessibility."
    )
    captions = DocumentChooserBlock(
        required=False, help_text="A WebVTT (.vtt) captions file, if you have one."
    )

    media_extensions: tuple[str, ...] = ()
    media_label = ""

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if error := _file_error(value["media"], self.media_extensions, self.media_label):
            errors["media"] = error
        if error := _file_error(value["captions"], ("vtt",), "a captions file"):
            errors["captions"] = error
        if not (value["transcript"] or "").strip():
            errors["transcript"] = ValidationError("Add a transcript of the recording.")
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class VideoBlock(MediaBlock):
    media_extensions = ("mp4",)
    media_label = "a video"

    class Meta:
        icon = "media"
        template = "courses/blocks/video.html"
        description = "A video (mp4) with a required transcript and optional captions."


class AudioBlock(MediaBlock):
    media_extensions = ("mp3",)
    media_label = "an audio recording"

    class Meta:
        icon = "media"
        template = "courses/blocks/audio.html"
        description = "An audio recording (mp3) with a required transcript."


class TestimonyBlock(SnippetChooserBlock):
    """A testimony snippet. Rendered only while consent holds (see the template)."""

    def __init__(self, **kwargs):
        super().__init__("courses.Testimony", **kwargs)

    def get_preview_value(self):
        from courses.models import Testimony

        return Testimony.objects.shareable().first()

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["shareable"] = bool(value) and value.is_shareable()
        request = (parent_context or {}).get("request")
        context["is_preview"] = bool(getattr(request, "is_preview", False))
        return context

    class Meta:
        icon = "openquote"
        template = "courses/blocks/testimony.html"
        description = (
            "A survivor's account from Testimony. It disappears automatically when consent is "
            "withdrawn or its review date passes."
        )


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(help_text="The words quoted, without quotation marks.")
    attribution = blocks.CharBlock(
        required=False, max_length=200, help_text="Who said or wrote it, if it can be shared."
    )

    class Meta:
        icon = "openquote"
        template = "courses/blocks/quote.html"
        description = "A short quotation, e.g. from research or guidance."
        preview_value = {
            "quote": "Abuse is a choice the abuser makes, again and again.",
            "attribution": "Course team",
        }


class KeyPointBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        max_length=120, default="Key point", help_text="A short label, e.g. 'Key point'."
    )
    text = blocks.RichTextBlock(
        features=SHORT_RICH_TEXT_FEATURES, help_text="The one thing to remember."
    )

    class Meta:
        icon = "pick"
        template = "courses/blocks/key_point.html"
        description = "A highlighted point learners should take away."
        preview_value = {
            "title": "Key point",
            "text": "<p>Coercive control is a pattern of behaviour, not a single incident.</p>",
        }


class ReflectionPromptBlock(blocks.StructBlock):
    prompt = blocks.CharBlock(max_length=500, help_text="The question learners reflect on.")
    guidance = blocks.TextBlock(
        required=False, help_text="Optional prompts to help learners start writing."
    )

    class Meta:
        icon = "edit"
        template = "courses/blocks/reflection_prompt.html"
        description = "A private reflection: only the learner can read what they write."
        preview_value = {
            "prompt": "What will you do differently at your next domestic abuse call?",
            "guidance": "Think about the first thing you say, and who you say it to.",
        }

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        saved = parent_context.get("reflections") or {}
        context["saved_text"] = saved.get(parent_context.get("block_id"), "")
        return context


class KnowledgeCheckOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300, help_text="The answer as learners will see it.")
    is_correct = blocks.BooleanBlock(required=False, help_text="Tick if this answer is right.")
    feedback = blocks.TextBlock(
        required=False, help_text="Shown after the learner answers: why it is right or wrong."
    )

    class Meta:
        icon = "list-ul"


class KnowledgeCheckBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=500, help_text="The question, as a full sentence.")
    allow_multiple = blocks.BooleanBlock(
        required=False,
        help_text="Tick if learners may choose several answers (all correct ones are needed).",
    )
    options = blocks.ListBlock(
        KnowledgeCheckOptionBlock(),
        min_num=2,
        max_num=8,
        help_text="Two to eight answers. Correct answers are never sent to the browser.",
    )

    class Meta:
        icon = "help"
        template = "courses/blocks/knowledge_check.html"
        description = (
            "A question scored on the server. Counts towards the module's pass mark; answers "
            "and feedback are only shown after the learner submits."
        )
        preview_value = {
            "question": "Which question puts responsibility where it belongs?",
            "allow_multiple": False,
            "options": [
                {"text": "Why doesn't she leave?", "is_correct": False, "feedback": ""},
                {"text": "Why doesn't he stop?", "is_correct": True, "feedback": ""},
            ],
        }

    def clean(self, value):
        value = super().clean(value)
        options = list(value["options"])
        correct = sum(1 for option in options if option["is_correct"])
        problem = None
        if len(options) < 2:
            problem = "Give at least two answers."
        elif correct == 0:
            problem = "Tick at least one answer as correct."
        elif correct > 1 and not value["allow_multiple"]:
            problem = (
                "Only one answer can be correct for a single-answer question: untick the others, "
                "or tick 'allow multiple'."
            )
        elif len({option["text"].strip().lower() for option in options}) < len(options):
            problem = "Two answers have the same text; make each answer different."
        if problem:
            raise StructBlockValidationError(
                block_errors={"options": ListBlockValidationError(non_block_errors=[problem])}
            )
        return value

    def get_searchable_content(self, value):
        # The question only: answers and feedback must not leak through the search index.
        return [value["question"]]

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        outcome = (parent_context.get("check_feedback") or {}).get(parent_context.get("block_id"))
        context["outcome"] = outcome
        if outcome:
            context["answered_options"] = [
                {"text": option["text"], "selected": selected, "correct": correct, "feedback": fb}
                for option, (_i, selected, correct, fb) in zip(
                    value["options"], outcome.feedback, strict=False
                )
            ]
        return context

    def score(self, value, selected) -> CheckOutcome:
        """Score a submission: `selected` is an iterable of option indexes (0-based).

        Full marks only when the selected set is exactly the set of correct options.
        Raises ValueError for an index out of range, an empty answer, or several answers
        to a single-answer question.
        """
        options = list(value["options"])
        chosen = tuple(sorted({int(i) for i in selected}))
        if not chosen:
            raise ValueError("Choose at least one answer.")
        if any(i < 0 or i >= len(options) for i in chosen):
            raise ValueError("An answer does not match any option of this question.")
        if len(chosen) > 1 and not value["allow_multiple"]:
            raise ValueError("This question takes a single answer.")
        correct = {i for i, option in enumerate(options) if option["is_correct"]}
        is_correct = set(chosen) == correct
        feedback = tuple(
            (i, i in chosen, bool(option["is_correct"]), option["feedback"] or "")
            for i, option in enumerate(options)
        )
        return CheckOutcome(
            score=100 if is_correct else 0,
            correct=is_correct,
            selected=chosen,
            feedback=feedback,
        )


class ContentWarningBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(
        features=SHORT_RICH_TEXT_FEATURES,
        help_text="What follows that may be distressing, said plainly and without detail.",
    )
    support_services = blocks.ListBlock(
        SnippetChooserBlock("courses.SupportService"),
        min_num=1,
        help_text="Services to signpost before the content. Choose at least one.",
    )

    class Meta:
        icon = "warning"
        template = "courses/blocks/content_warning.html"
        description = "Warns learners about distressing content and lists where to get support."

    def clean(self, value):
        value = super().clean(value)
        services = [s for s in value["support_services"] if s]
        if not services:
            raise StructBlockValidationError(
                block_errors={
                    "support_services": ListBlockValidationError(
                        non_block_errors=ErrorList(["Choose at least one support service."])
                    )
                }
            )
        return value


class ResourceBlock(blocks.StructBlock):
    document = DocumentChooserBlock(help_text="The document to download.")
    description = blocks.CharBlock(
        required=False, max_length=250, help_text="What it is and why it is useful."
    )

    class Meta:
        icon = "doc-full"


class ResourcesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        max_length=120, default="Further resources", help_text="Heading above the list."
    )
    documents = blocks.ListBlock(
        ResourceBlock(), min_num=1, help_text="Documents learners can download."
    )

    class Meta:
        icon = "folder-open-inverse"
        template = "courses/blocks/resources.html"
        description = "A list of documents to download, with what each one is."


class LessonStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        icon="pilcrow",
        features=RICH_TEXT_FEATURES,
        template="courses/blocks/paragraph.html",
        description="Formatted text: paragraphs, lists and links.",
        preview_value="<p>Domestic abuse is rarely a single incident.</p>",
    )
    image = ImageBlock()
    video = VideoBlock()
    audio = AudioBlock()
    testimony = TestimonyBlock()
    quote = QuoteBlock()
    key_point = KeyPointBlock()
    content_warning = ContentWarningBlock()
    reflection_prompt = ReflectionPromptBlock()
    knowledge_check = KnowledgeCheckBlock()
    resources = ResourcesBlock()

    def clean(self, value):
        value = super().clean(value)
        # Screen-reader users navigate by headings: a sub-section needs a section above it.
        seen_section = False
        for index, child in enumerate(value):
            if child.block_type != "heading":
                continue
            if child.value["level"] == "h2":
                seen_section = True
            elif not seen_section:
                raise StreamBlockValidationError(
                    block_errors={
                        index: StructBlockValidationError(
                            block_errors={
                                "level": ValidationError(
                                    "Use a section (level 2) heading before any sub-section "
                                    "(level 3) heading."
                                )
                            }
                        )
                    }
                )
        return value

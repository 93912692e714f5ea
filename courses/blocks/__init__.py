"""StreamField blocks for lesson bodies.

Every block describes itself to editors (icon, template, preview value, description) and
validates in `clean()`. The knowledge-check scoring contract (`KnowledgeCheckBlock.score` and
`CheckOutcome`) is what the progress service and the learner journey rely on.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError

from courses.blocks.checks import CheckOutcome, KnowledgeCheckBlock
from courses.blocks.media import AudioBlock, ImageBlock, TestimonyBlock, VideoBlock
from courses.blocks.text import (
    RICH_TEXT_FEATURES,
    ContentWarningBlock,
    HeadingBlock,
    KeyPointBlock,
    QuoteBlock,
    ReflectionPromptBlock,
    ResourcesBlock,
)

__all__ = [
    "AudioBlock",
    "CheckOutcome",
    "ContentWarningBlock",
    "HeadingBlock",
    "ImageBlock",
    "KeyPointBlock",
    "KnowledgeCheckBlock",
    "LessonStreamBlock",
    "QuoteBlock",
    "RICH_TEXT_FEATURES",
    "ReflectionPromptBlock",
    "ResourcesBlock",
    "TestimonyBlock",
    "VideoBlock",
]


class LessonStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        icon="pilcrow",
        features=RICH_TEXT_FEATURES,
        template="courses/blocks/paragraph.html",
        description=_("Formatted text: paragraphs, lists and links."),
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
                                    gettext(
                                        "Use a section (level 2) heading before any "
                                        "sub-section (level 3) heading."
                                    )
                                )
                            }
                        )
                    }
                )
        return value

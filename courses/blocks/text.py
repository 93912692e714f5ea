"""Blocks of words: headings, quotes, key points, reflection prompts, content warnings and
resources."""

from django.forms.utils import ErrorList
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

# Lesson headings start at h2: the page title is the only h1.
RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "document-link"]
SHORT_RICH_TEXT_FEATURES = ["bold", "italic", "link", "ul"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120, help_text=_("A short heading for the next section."))
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section (level 2)"), ("h3", "Sub-section (level 3)")],
        default="h2",
        help_text=_(
            "Use level 3 only under a level 2 heading, so screen-reader users can navigate."
        ),
    )

    class Meta:
        icon = "title"
        template = "courses/blocks/heading.html"
        description = _("A section heading. Headings let learners skim and navigate the lesson.")
        preview_value = {"text": "Recognising coercive control", "level": "h2"}


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(help_text=_("The words quoted, without quotation marks."))
    attribution = blocks.CharBlock(
        required=False, max_length=200, help_text=_("Who said or wrote it, if it can be shared.")
    )

    class Meta:
        icon = "openquote"
        template = "courses/blocks/quote.html"
        description = _("A short quotation, e.g. from research or guidance.")
        preview_value = {
            "quote": "Abuse is a choice the abuser makes, again and again.",
            "attribution": "Course team",
        }


class KeyPointBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        max_length=120, default="Key point", help_text=_("A short label, e.g. 'Key point'.")
    )
    text = blocks.RichTextBlock(
        features=SHORT_RICH_TEXT_FEATURES, help_text=_("The one thing to remember.")
    )

    class Meta:
        icon = "pick"
        template = "courses/blocks/key_point.html"
        description = _("A highlighted point learners should take away.")
        preview_value = {
            "title": "Key point",
            "text": "<p>Coercive control is a pattern of behaviour, not a single incident.</p>",
        }


class ReflectionPromptBlock(blocks.StructBlock):
    prompt = blocks.CharBlock(max_length=500, help_text=_("The question learners reflect on."))
    guidance = blocks.TextBlock(
        required=False, help_text=_("Optional prompts to help learners start writing.")
    )

    class Meta:
        icon = "edit"
        template = "courses/blocks/reflection_prompt.html"
        description = _("A private reflection: only the learner can read what they write.")
        preview_value = {
            "prompt": "What will you do differently at your next domestic abuse call?",
            "guidance": "Think about the first thing you say, and who you say it to.",
        }

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        block_id = parent_context.get("block_id")
        context["saved_text"] = (parent_context.get("reflections") or {}).get(block_id, "")
        # A confirmation just after saving, shown beside the box (courses.views).
        context["notice"] = (parent_context.get("reflection_notices") or {}).get(block_id, "")
        return context


class ContentWarningBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(
        features=SHORT_RICH_TEXT_FEATURES,
        help_text=_("What follows that may be distressing, said plainly and without detail."),
    )
    support_services = blocks.ListBlock(
        SnippetChooserBlock("courses.SupportService"),
        min_num=1,
        help_text=_("Services to signpost before the content. Choose at least one."),
    )

    class Meta:
        icon = "warning"
        template = "courses/blocks/content_warning.html"
        description = _(
            "Warns learners about distressing content and lists where to get support. Each "
            "learner also sees their own force's services; a service of one force shows only "
            "to that force's learners."
        )

    def get_context(self, value, parent_context=None):
        """The services to list come from the page (LessonPage.content_warnings, by block id),
        which knows the learner's force and what is already listed above. Without that (the
        block chooser's preview), the national services chosen."""
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        plan = (parent_context.get("content_warnings") or {}).get(parent_context.get("block_id"))
        if plan is None:
            services = [s for s in value["support_services"] if s and s.force_id is None]
            context.update(services=services, listed_above="")
        else:
            context.update(services=plan.services, listed_above=plan.listed_above)
        request = parent_context.get("request")
        context["is_preview"] = bool(getattr(request, "is_preview", False))
        return context

    def clean(self, value):
        value = super().clean(value)
        services = [s for s in value["support_services"] if s]
        if not services:
            raise StructBlockValidationError(
                block_errors={
                    "support_services": ListBlockValidationError(
                        non_block_errors=ErrorList(
                            [gettext("Choose at least one support service.")]
                        )
                    )
                }
            )
        return value


class ResourceBlock(blocks.StructBlock):
    document = DocumentChooserBlock(help_text=_("The document to download."))
    description = blocks.CharBlock(
        required=False, max_length=250, help_text=_("What it is and why it is useful.")
    )

    class Meta:
        icon = "doc-full"


class ResourcesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        max_length=120, default="Further resources", help_text=_("Heading above the list.")
    )
    documents = blocks.ListBlock(
        ResourceBlock(), min_num=1, help_text=_("Documents learners can download.")
    )

    class Meta:
        icon = "folder-open-inverse"
        template = "courses/blocks/resources.html"
        description = _("A list of documents to download, with what each one is.")

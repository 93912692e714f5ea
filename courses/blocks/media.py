"""Blocks that show media: images with alt text, video and audio with transcripts, and testimony."""

from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock
from wagtail.snippets.widgets import AdminSnippetChooser


def _extension(document) -> str:
    return PurePosixPath(document.file.name).suffix.lower().lstrip(".") if document else ""


def _file_error(document, allowed: tuple[str, ...], message: str) -> ValidationError | None:
    """`message` names the kind of file wanted, with `%(extensions)s` for the allowed ones."""
    if document and _extension(document) not in allowed:
        return ValidationError(message % {"extensions": ", ".join(allowed)})
    return None


def _private_error(document) -> ValidationError | None:
    # Learners cannot download a document from a private collection (courses.testimony_media).
    if document and document.collection.get_view_restrictions().exists():
        return ValidationError(
            gettext(
                "Learners cannot play files from a private collection. For a survivor's "
                "recording, add it to a Testimony and use a Testimony block, so it follows "
                "their consent."
            )
        )
    return None


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        required=False,
        max_length=250,
        help_text=_("Describe what the image shows for people who cannot see it."),
    )
    decorative = blocks.BooleanBlock(
        required=False,
        help_text=_(
            "Tick only if the image adds nothing to the text; it is then hidden from "
            "screen readers and needs no alt text."
        ),
    )
    caption = blocks.CharBlock(
        required=False, max_length=250, help_text=_("Shown under the image.")
    )

    class Meta:
        icon = "image"
        template = "courses/blocks/image.html"
        description = _("An image with alternative text (or marked decorative) and a caption.")

    def clean(self, value):
        value = super().clean(value)
        if not value["decorative"] and not (value["alt_text"] or "").strip():
            raise StructBlockValidationError(
                block_errors={
                    "alt_text": ValidationError(
                        gettext(
                            "Describe the image, or tick 'decorative' if it adds nothing to the "
                            "text."
                        )
                    )
                }
            )
        return value


class MediaBlock(blocks.StructBlock):
    """Video or audio from the document library, always with a full transcript; a video always
    with captions too (WCAG 1.2.2)."""

    title = blocks.CharBlock(max_length=200, help_text=_("What the recording is, in a few words."))
    media = DocumentChooserBlock(help_text=_("The recording, uploaded to Documents."))
    transcript = blocks.TextBlock(
        help_text=_("A full transcript of everything said and shown. Required for accessibility.")
    )
    captions = DocumentChooserBlock(
        required=False, help_text=_("A WebVTT (.vtt) captions file, if you have one.")
    )

    media_extensions: tuple[str, ...] = ()
    wrong_file_message = ""  # with %(extensions)s
    captions_required = False

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        media, captions = value["media"], value["captions"]
        wrong_kind = _file_error(media, self.media_extensions, str(self.wrong_file_message))
        if error := wrong_kind or _private_error(media):
            errors["media"] = error
        captions_message = gettext("Choose a captions file (%(extensions)s file).")
        if error := _file_error(captions, ("vtt",), captions_message) or _private_error(captions):
            errors["captions"] = error
        elif self.captions_required and not captions:
            errors["captions"] = ValidationError(
                gettext(
                    "Add a captions file (.vtt): every video needs captions for people who "
                    "cannot hear it."
                )
            )
        if not (value["transcript"] or "").strip():
            errors["transcript"] = ValidationError(gettext("Add a transcript of the recording."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class VideoBlock(MediaBlock):
    captions = DocumentChooserBlock(
        required=False,
        help_text=_("A WebVTT (.vtt) captions file of everything said in the video. Required."),
    )

    media_extensions = ("mp4",)
    wrong_file_message = _("Choose a video (%(extensions)s file).")
    captions_required = True

    class Meta:
        icon = "media"
        template = "courses/blocks/video.html"
        description = _("A video (mp4) with a required transcript and captions.")


class AudioBlock(MediaBlock):
    media_extensions = ("mp3",)
    wrong_file_message = _("Choose an audio recording (%(extensions)s file).")

    class Meta:
        icon = "media"
        template = "courses/blocks/audio.html"
        description = _(
            "An audio recording (mp3) with a required transcript and optional captions, shown "
            "under the player as it plays."
        )


class TestimonyChooser(AdminSnippetChooser):
    """Names a chosen testimony in the lesson editor with its consent status when learners
    don't see it, so an editor knows the block shows nothing."""

    def get_display_title(self, instance):
        return instance.editor_title()


class TestimonyBlock(SnippetChooserBlock):
    """A testimony snippet. Rendered only while consent holds (see the template); a withdrawn
    one cannot be saved into a lesson."""

    def __init__(self, **kwargs):
        super().__init__("courses.Testimony", **kwargs)

    @cached_property
    def widget(self):
        return TestimonyChooser(self.target_model, icon=self.meta.icon)

    def clean(self, value):
        value = super().clean(value)
        if value is not None and value.is_withdrawn():
            raise ValidationError(
                gettext(
                    "Consent to share “%(testimony)s” was withdrawn. Remove this block or choose "
                    "another testimony."
                )
                % {"testimony": value}
            )
        return value

    def get_preview_value(self):
        return self.target_model.objects.shareable().first()

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        if value:
            # The learner's language's translation, else the source; consent is the source's.
            context["value"], context["shareable"] = value.as_shown()
        else:
            context["shareable"] = False
        request = (parent_context or {}).get("request")
        context["is_preview"] = bool(getattr(request, "is_preview", False))
        return context

    class Meta:
        icon = "openquote"
        template = "courses/blocks/testimony.html"
        description = _(
            "A survivor's account from Testimony. It disappears automatically when consent is "
            "withdrawn or its review date passes."
        )

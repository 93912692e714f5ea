"""Upload checks beyond Wagtail's extension allow-list: a document's first bytes must look like
its extension says, so an HTML page or a script renamed to .pdf or .txt is refused; an image
must decode whole. Each refused upload gets a form error with its one real reason."""

import os

import PIL.Image
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

ZIP = (b"PK\x03\x04",)  # docx, xlsx, pptx, odt are zip containers
MAGIC: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "docx": ZIP,
    "xlsx": ZIP,
    "pptx": ZIP,
    "odt": ZIP,
    "rtf": (b"{\\rtf",),
    "mp3": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2", b"\xff\xe3"),
    "vtt": (b"WEBVTT", b"\xef\xbb\xbfWEBVTT"),
}
TEXT_EXTENSIONS = {"csv", "txt"}
# Markup a browser might render as a page, whatever the file is called.
MARKUP_STARTS = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe")
SNIFF_BYTES = 2048


def sniff_problem(extension: str, head: bytes) -> str | None:
    """Why the start of a file does not match its extension, or None when it does."""
    extension = extension.lower()
    if extension == "mp4":
        # ISO media: a box size, then "ftyp".
        return None if head[4:8] == b"ftyp" else gettext("This is not an MP4 video.")
    if extension in MAGIC:
        if head.startswith(MAGIC[extension]):
            return None
        return gettext("The file's contents do not match its .%(extension)s extension.") % {
            "extension": extension
        }
    if extension in TEXT_EXTENSIONS:
        if b"\x00" in head:
            return gettext("A .%(extension)s file must be plain text.") % {"extension": extension}
        if head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(MARKUP_STARTS):
            return gettext("Web pages and SVG files cannot be uploaded, whatever their name.")
        return None
    return gettext("This type of file cannot be uploaded.")


class SniffedDocumentForm(BaseDocumentForm):
    """Wagtail's document form (single and multiple upload) with a content check. Each refused
    upload gets one message, the real reason."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload or upload == self.original_file:
            return upload
        # The allow-list first (as Wagtail's Document.clean() words it), so that an .exe is told
        # its extension is not allowed rather than that its contents do not match.
        FileExtensionValidator(settings.WAGTAILDOCS_EXTENSIONS)(upload)
        extension = os.path.splitext(upload.name)[1].lstrip(".")
        position = upload.tell()
        upload.seek(0)
        head = upload.read(SNIFF_BYTES)
        upload.seek(position)
        problem = sniff_problem(extension, head)
        if problem:
            raise forms.ValidationError(problem, code="content_mismatch")
        return upload

    def add_error(self, field, error):
        """Django runs the model's clean() even when the file field refused the upload; then
        Wagtail's Document.clean() checks the extension of no file and adds `File extension ""
        is not allowed` to the real reason. That second message is dropped."""
        if (
            field is None
            and isinstance(error, ValidationError)
            and hasattr(error, "error_dict")
            and "file" in error.error_dict
            and self.has_error("file")
        ):
            rest = {name: errors for name, errors in error.error_dict.items() if name != "file"}
            if not rest:
                return
            error = ValidationError(rest)
        super().add_error(field, error)


DAMAGED_IMAGE = _(
    "This image is damaged or incomplete. Open it in an image editor, save it again as PNG or "
    "JPEG, and upload that copy."
)
PILLOW_READ_ERRORS = (OSError, SyntaxError, ValueError, EOFError, PIL.Image.DecompressionBombError)


class CheckedImageField(WagtailImageField):
    """Wagtail's image field, with the whole image decoded before it is accepted: Wagtail reads
    only the header, so a truncated or corrupt file failed later, while its size was read or
    its renditions made (a 500 for the editor). A file that does not decode is a form error."""

    def to_python(self, data):
        try:
            upload = super().to_python(data)
        except PILLOW_READ_ERRORS:
            raise ValidationError(DAMAGED_IMAGE, code="damaged_image") from None
        if upload is None:
            return None
        try:
            upload.seek(0)
            with PIL.Image.open(upload) as image:
                image.load()
        except PILLOW_READ_ERRORS:
            raise ValidationError(DAMAGED_IMAGE, code="damaged_image") from None
        finally:
            upload.seek(0)
        return upload


class CheckedImageForm(BaseImageForm):
    """Wagtail's image form (single and multiple upload) with CheckedImageField for the file.
    The field is made per form, as Wagtail's is, so it reads the size and pixel limits from the
    settings of the moment."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is not None:
            self.fields["file"] = CheckedImageField(
                label=field.label, required=field.required, widget=field.widget
            )

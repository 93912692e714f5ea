"""Upload checks beyond Wagtail's extension allow-list: a document's first bytes must look like
its extension says, so an HTML page or a script renamed to .pdf or .txt is refused."""

import os

from django import forms
from wagtail.documents.forms import BaseDocumentForm

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
        return None if head[4:8] == b"ftyp" else "This is not an MP4 video."
    if extension in MAGIC:
        if head.startswith(MAGIC[extension]):
            return None
        return f"The file's contents do not match its .{extension} extension."
    if extension in TEXT_EXTENSIONS:
        if b"\x00" in head:
            return f"A .{extension} file must be plain text."
        if head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(MARKUP_STARTS):
            return "Web pages and SVG files cannot be uploaded, whatever their name."
        return None
    return "This type of file cannot be uploaded."


class SniffedDocumentForm(BaseDocumentForm):
    """Wagtail's document form (single and multiple upload) with a content check."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload or upload == self.original_file:
            return upload
        extension = os.path.splitext(upload.name)[1].lstrip(".")
        position = upload.tell()
        upload.seek(0)
        head = upload.read(SNIFF_BYTES)
        upload.seek(position)
        problem = sniff_problem(extension, head)
        if problem:
            raise forms.ValidationError(problem, code="content_mismatch")
        return upload

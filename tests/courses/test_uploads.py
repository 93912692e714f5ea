"""Uploads: allow-listed and sniffed documents, images without SVG, size and pixel limits, and
testimony media served privately as attachments."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection

from courses.models import Testimony
from courses.uploads import sniff_problem
from tests.factories import UserFactory

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PRIVATE = "Testimony media (private)"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))
    return client


def png(width: int = 2, height: int = 2) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


# --- Content sniffing


@pytest.mark.parametrize(
    ("extension", "head"),
    [
        ("pdf", PDF),
        ("docx", b"PK\x03\x04rest"),
        ("rtf", b"{\\rtf1 hello}"),
        ("mp3", b"ID3\x04\x00"),
        ("mp4", b"\x00\x00\x00\x18ftypmp42"),
        ("vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\nHello"),
        ("csv", b"module,completed\nLeadership,12\n"),
        ("txt", "Plain words, with an emoji \U0001f44d".encode()),
    ],
)
def test_files_that_are_what_they_say_pass(extension, head):
    assert sniff_problem(extension, head) is None


@pytest.mark.parametrize(
    ("extension", "head"),
    [
        ("pdf", b"<html><script>alert(1)</script></html>"),
        ("docx", b"MZ\x90\x00 an executable"),
        ("mp4", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("txt", b"  <!DOCTYPE html><html></html>"),
        ("csv", b"\xef\xbb\xbf<svg onload=alert(1)>"),
        ("txt", b"binary\x00data"),
        ("exe", b"MZ"),
    ],
)
def test_disguised_files_are_refused(extension, head):
    assert sniff_problem(extension, head)


def upload_document(admin_client, name: str, content: bytes):
    return admin_client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Upload",
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def test_admin_accepts_a_real_pdf(admin_client):
    response = upload_document(admin_client, "guide.pdf", PDF)
    assert response.status_code == 302
    assert Document.objects.filter(title="Upload").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.html", b"<html></html>", "File extension"),
        ("logo.svg", b"<svg/>", "File extension"),
        ("tool.exe", b"MZ", "File extension"),
        ("renamed.pdf", b"<html><script>alert(1)</script></html>", "do not match its .pdf"),
        ("notes.txt", b"<!doctype html><p>hi</p>", "Web pages and SVG files cannot be uploaded"),
    ],
)
def test_admin_refuses_dangerous_documents(admin_client, name, content, message):
    response = upload_document(admin_client, name, content)
    assert response.status_code == 200  # the form again, with the error
    assert message in response.content.decode()
    assert not Document.objects.exists()


ALLOWED = "Allowed extensions are: csv, docx, odt, pdf, pptx, rtf, txt, xlsx, mp3, mp4, vtt."


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("renamed.pdf", b"<html></html>", "The file's contents do not match its .pdf extension."),
        ("tool.exe", b"MZ", f"File extension \u201cexe\u201d is not allowed. {ALLOWED}"),
        ("noextension", b"%PDF-", f"File extension \u201c\u201d is not allowed. {ALLOWED}"),
        (
            "notes.txt",
            b"<svg/>",
            "Web pages and SVG files cannot be uploaded, whatever their name.",
        ),
        ("clip.mp4", b"RIFF....", "This is not an MP4 video."),
    ],
)
def test_a_refused_document_gets_only_its_real_reason(admin_client, name, content, message):
    response = upload_document(admin_client, name, content)
    assert response.context["form"].errors == {"file": [message]}
    assert not Document.objects.exists()


def test_a_missing_file_gets_only_required(admin_client):
    response = admin_client.post(
        reverse("wagtaildocs:add"),
        {"title": "Upload", "collection": Collection.get_first_root_node().pk},
    )
    assert response.context["form"].errors == {"file": ["This field is required."]}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("renamed.pdf", b"<html></html>", "The file's contents do not match its .pdf extension."),
        ("tool.exe", b"MZ", f"File extension \u201cexe\u201d is not allowed. {ALLOWED}"),
    ],
)
def test_multiple_upload_gives_only_the_real_reason(admin_client, name, content, message):
    response = admin_client.post(
        reverse("wagtaildocs:add_multiple"), {"files[]": SimpleUploadedFile(name, content)}
    )
    assert response.json()["success"] is False
    assert response.json()["error_message"] == message


def test_multiple_upload_sniffs_too(admin_client):
    response = admin_client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": SimpleUploadedFile("renamed.pdf", b"<html></html>")},
    )
    assert response.status_code == 200
    assert response.json()["success"] is False
    assert not Document.objects.exists()


def test_oversized_documents_are_refused(admin_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    response = upload_document(admin_client, "big.pdf", PDF + b"0" * 2048)
    assert "This file is too big" in response.content.decode()
    assert not Document.objects.exists()


# --- Images


def upload_image(admin_client, name: str, content: bytes):
    return admin_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Picture",
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def test_admin_accepts_a_png(admin_client):
    assert upload_image(admin_client, "photo.png", png()).status_code == 302
    assert Image.objects.count() == 1


@pytest.mark.parametrize("keep", [20, 40, 60, -30, -40], ids=lambda n: f"bytes[:{n}]")
def test_a_truncated_png_gets_a_form_error(admin_client, keep):
    """An editor's mistake: a form error naming the problem, never a 500."""
    response = upload_image(admin_client, "photo.png", png(64, 64)[:keep])
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1
    assert errors[0] in (
        "This image is damaged or incomplete. Open it in an image editor, save it again as "
        "PNG or JPEG, and upload that copy.",
        # Wagtail's own check, when even the first bytes do not say PNG
        "Not a supported image format. Supported formats: GIF, JPG, JPEG, PNG, WEBP.",
    )
    assert not Image.objects.exists()


def test_a_truncated_png_gets_a_form_error_in_multiple_upload(admin_client):
    response = admin_client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile("photo.png", png(64, 64)[:-30])},
    )
    assert response.json()["success"] is False
    assert "damaged or incomplete" in response.json()["error_message"]
    assert not Image.objects.exists()


def test_svg_images_are_refused(admin_client):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = upload_image(admin_client, "icon.svg", svg)
    assert response.status_code == 200
    assert "Not a supported image format" in response.content.decode()
    assert not Image.objects.exists()


def test_images_over_the_pixel_limit_are_refused(admin_client, settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 100
    response = upload_image(admin_client, "wide.png", png(20, 20))
    assert "too many pixels" in response.content.decode()
    assert not Image.objects.exists()


def test_images_over_the_size_limit_are_refused(admin_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 50
    response = upload_image(admin_client, "photo.png", png(50, 50))
    assert "This file is too big" in response.content.decode()
    assert not Image.objects.exists()


# --- Testimony media: private, attachment, served by Django


@pytest.fixture
def recording(db):
    collection = Collection.objects.get(name=PRIVATE)
    document = Document(title="Recording", collection=collection)
    document.file.save("recording.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


def test_the_private_collection_exists_and_requires_sign_in(db):
    collection = Collection.objects.get(name=PRIVATE)
    [restriction] = collection.get_view_restrictions()
    assert restriction.restriction_type == "login"


def test_testimony_media_is_not_served_to_anonymous_visitors(client, recording):
    response = client.get(recording.url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_testimony_media_is_an_attachment_with_no_active_content(client, recording):
    """Served to an editor here; who else may download it: tests/courses/test_testimony.py."""
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert recording.url == reverse("wagtaildocs_serve", args=[recording.pk, recording.filename])
    response = client.get(recording.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")  # even for a PDF
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_media_files_have_no_public_url(client, recording):
    # Only the serve view reaches documents: nothing serves MEDIA_ROOT when DEBUG is off.
    assert client.get(f"/media/{recording.file.name}").status_code == 404


def test_testimony_refuses_media_from_a_public_collection(db):
    public = Document(title="Public", collection=Collection.get_first_root_node())
    public.file.save("public.pdf", ContentFile(PDF), save=False)
    public.save()
    testimony = Testimony(attribution="A composite voice", text="Words.", media=public)
    testimony.transcript = "Words."
    with pytest.raises(ValidationError) as error:
        testimony.clean()
    assert "private collection" in str(error.value.message_dict["media"])


def test_testimony_accepts_media_from_the_private_collection(recording):
    testimony = Testimony(attribution="A composite voice", text="Words.", media=recording)
    testimony.transcript = "Words."
    testimony.clean()

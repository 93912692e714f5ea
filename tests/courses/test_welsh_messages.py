"""Messages built in Python and in the page scripts speak Welsh to a Welsh reader (issue 30):
a form's validation message, the API's `detail` and field errors (the language from
Accept-Language, as the API has no language prefix), the session lengths the sign-out messages
name, and the scripts' strings through Django's JavaScript catalogue. English stays the
default, so the English assertions elsewhere keep holding."""

import html
import json
import uuid
from datetime import timedelta
from pathlib import Path

import polib
import pytest
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.views.i18n import JavaScriptCatalog

from courses.forms import clean_force_email
from courses.sessions import duration
from tests.conftest import CSRF_TOKEN, signed_in_api_client
from tests.factories import learner

pytestmark = pytest.mark.django_db

PROGRESS_URL = "/api/v1/progress/"
DJANGOJS_PO = Path(__file__).resolve().parents[2] / "locale" / "cy" / "LC_MESSAGES" / "djangojs.po"


def _event(lesson, **fields):
    return {"id": str(uuid.uuid4()), "lesson": lesson.pk, "verb": "experienced", **fields}


def test_a_registration_address_outside_the_forces_is_refused_in_welsh():
    with translation.override("cy"), pytest.raises(ValidationError) as refused:
        clean_force_email("someone@example.com")
    with translation.override("cy"):
        message = refused.value.messages[0]
    assert message.startswith("Defnyddiwch gyfeiriad e-bost eich heddlu.")
    with translation.override("en-gb"):
        assert refused.value.messages[0].startswith("Use your force email address.")


def test_the_certificate_lookup_explains_a_bad_code_in_welsh(client):
    with translation.override("cy"):
        url = reverse("courses:certificate_lookup")
    assert url.startswith("/cy/")
    response = client.get(url, {"code": "ABCD-EFGH-JKMN"})
    assert response.status_code == 404
    page = html.unescape(response.content.decode())
    assert "Nid oes tystysgrif â'r cod hwn. Gwiriwch ef a rhowch gynnig arall arni." in page
    assert "No certificate has this code" not in page


def test_the_api_tells_a_signed_out_welsh_reader_to_sign_in_in_welsh(module_tree):
    response = Client().post(
        PROGRESS_URL,
        json.dumps([_event(module_tree.lessons[0])]),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="cy",
    )
    assert response.status_code == 401
    assert response.json() == {"detail": "Mewngofnodwch i weld a chofnodi eich cynnydd."}


def test_the_apis_field_errors_and_details_follow_accept_language(module_tree):
    client = signed_in_api_client(
        learner("west-midlands", user__date_joined=timezone.now() - timedelta(days=60))
    )
    future = (timezone.now() + timedelta(minutes=10)).isoformat()
    body = json.dumps(_event(module_tree.lessons[0], occurred_at=future))

    def post(payload, language):
        return client.post(
            PROGRESS_URL,
            payload,
            content_type="application/json",
            HTTP_X_CSRFTOKEN=CSRF_TOKEN,
            HTTP_ACCEPT_LANGUAGE=language,
        )

    welsh = post(body, "cy")
    assert welsh.status_code == 400
    assert welsh.json() == {
        "occurred_at": ["Mae'r amser hwn yn y dyfodol. Gwiriwch gloc y ddyfais."]
    }
    english = post(body, "en-GB")
    assert english.json() == {
        "occurred_at": ["This time is in the future. Check the device's clock."]
    }
    too_many = post(json.dumps([_event(module_tree.lessons[0]) for _ in range(101)]), "cy")
    assert too_many.status_code == 400
    assert too_many.json() == {"detail": "Anfonwch rhwng 1 a 100 o ddigwyddiadau mewn swp."}


def test_session_lengths_are_named_in_welsh():
    with translation.override("cy"):
        assert [duration(3600), duration(2 * 3600), duration(30 * 60), duration(20)] == [
            "1 awr",
            "2 awr",
            "30 munud",
            "20 eiliad",
        ]
    with translation.override("en-gb"):
        assert duration(2 * 3600) == "2 hours"


def test_the_scripts_strings_have_welsh_in_the_javascript_catalogue():
    catalogue = polib.pofile(str(DJANGOJS_PO))
    stay = catalogue.find("Stay signed in")
    assert stay is not None and stay.msgstr == "Aros wedi mewngofnodi"
    assert "static/js/session.js" in {path for path, _ in stay.occurrences}
    minutes = catalogue.find("%(count)s minute")
    assert minutes.msgstr_plural and all(minutes.msgstr_plural.values())

    request = RequestFactory().get("/cy/jsi18n/")
    with translation.override("cy"):
        served = JavaScriptCatalog.as_view()(request).content.decode()
    assert '"Stay signed in": "Aros wedi mewngofnodi"' in served

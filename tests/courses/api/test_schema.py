"""The OpenAPI schema documents every status each learner endpoint returns, with examples,
and the docs UI works without a CDN."""

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

DOCUMENTED = {
    ("/api/v1/progress/", "post"): {"200", "201", "400", "401", "403", "409", "413", "415", "429"},
    ("/api/v1/me/progress/", "get"): {"200", "401", "403", "429"},
}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_is_valid_openapi_3(schema):
    validate_schema(schema)  # raises on an invalid document
    assert schema["openapi"].startswith("3.")


@pytest.mark.parametrize(("path", "method"), list(DOCUMENTED))
def test_every_status_is_documented_with_an_example(schema, path, method):
    responses = schema["paths"][path][method]["responses"]
    assert set(responses) == DOCUMENTED[(path, method)]
    for status, response in responses.items():
        assert response["description"], status
        assert response["content"]["application/json"]["examples"], status


def test_progress_accepts_one_event_or_a_list_and_says_how_to_authenticate(schema):
    operation = schema["paths"]["/api/v1/progress/"]["post"]
    assert operation["security"] == [{"cookieAuth": []}]
    body = operation["requestBody"]["content"]["application/json"]
    assert body["examples"]
    request = schema["components"]["schemas"]["ProgressEventOrBatchRequest"]
    shapes = [option.get("type", "object") for option in request["oneOf"]]
    assert sorted(shapes) == ["array", "object"]


def test_schema_is_served_to_anyone():
    response = Client().get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/progress/" in response.content
    assert b"/admin/" not in response.content


def test_docs_render_from_our_own_static_files():
    response = Client().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn.jsdelivr.net" not in html
    assert "unpkg.com" not in html


def test_docs_page_has_a_language_our_contrast_fixes_and_no_deep_links():
    html = Client().get("/api/docs/").content.decode()
    assert '<html lang="en-GB">' in html
    assert "/static/css/api-docs.css" in html
    # Deep links nest a link inside each operation's toggle button (axe: nested-interactive).
    assert spectacular_settings.SWAGGER_UI_SETTINGS["deepLinking"] is False


def test_description_shows_the_bearer_placeholder(schema):
    # Swagger UI renders the description as Markdown: a bare <key> would vanish as an HTML tag.
    assert "`Authorization: Bearer <key>`" in schema["info"]["description"]

"""The OpenAPI schema documents the manager API: auth, filters, pagination, CSV, errors."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

MANAGER_PATHS = [
    "/api/v1/forces/",
    "/api/v1/modules/",
    "/api/v1/forces/{code}/summary/",
    "/api/v1/forces/{code}/completions/",
]


@pytest.fixture
def schema(client):
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_bearer_key_scheme_is_documented(schema):
    scheme = schema["components"]["securitySchemes"]["ApiKey"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    assert "Authorization: Bearer <key>" in scheme["description"]


@pytest.mark.parametrize("path", MANAGER_PATHS)
def test_every_manager_path_needs_the_key_and_documents_its_errors(schema, path):
    operation = schema["paths"][path]["get"]
    # Only the key: no cookie or basic auth alternative is offered.
    assert operation["security"] == [{"ApiKey": []}]
    expected = {"200", "400", "401", "429"} | ({"404"} if "{code}" in path else set())
    assert expected <= set(operation["responses"])
    assert operation["responses"]["401"]["content"]["application/json"]["examples"]


def test_completions_documents_filters_pagination_and_csv(schema):
    operation = schema["paths"]["/api/v1/forces/{code}/completions/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert {
        "code",
        "module",
        "status",
        "role",
        "completed_after",
        "completed_before",
        "cursor",
        "page_size",
        "format",
    } <= set(parameters)
    assert parameters["status"]["schema"] == {
        "type": "string",
        "enum": ["completed", "in_progress", "not_started"],
    }
    assert parameters["completed_after"]["schema"]["format"] == "date-time"
    assert parameters["format"]["schema"]["enum"] == ["csv", "json"]
    assert "from 1 to 1000" in parameters["page_size"]["description"]
    ok = operation["responses"]["200"]["content"]
    assert set(ok) == {"application/json", "text/csv"}
    assert ok["application/json"]["schema"]["$ref"].endswith("PaginatedCompletionList")
    assert "learner_id,name,email" in next(iter(ok["text/csv"]["examples"].values()))["value"]
    # Errors are JSON even for CSV requests.
    assert set(operation["responses"]["400"]["content"]) == {"application/json"}


def test_swagger_ui_is_served_from_our_own_static_files(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    # The start-up script comes from its own URL (no inline script under the CSP) and points
    # Swagger UI at our schema.
    assert '<script src="/api/docs/?script="></script>' in html
    script = client.get(reverse("api-docs") + "?script=")
    assert script.status_code == 200
    assert reverse("api-schema") in script.content.decode()

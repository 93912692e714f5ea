"""The lead isolation matrix: a training lead of the Met walks EVERY admin URL pattern and never
sees or changes anything of a GMP learner.

The patterns are read from the URL resolver (everything under /admin/), not listed by hand, so
a screen added later (the force dashboard, the HR import, anything else) is walked as soon as it
is routed. Each pattern's arguments are filled with the ids of GMP objects and of Met objects:
the GMP learner's user, learner profile, module row and the GMP lead's TrainingLead all share
one id (GMP_ID), so whatever model a pattern's `pk` names, the GMP object with that id exists;
text arguments get the force code ("gmp"), or an app label and model name where the argument
is called so. Edit-, delete- and action-style patterns are also POSTed to with GMP ids and
form data that would change a learner, and no GMP row may change.

Patterns that are not walked, and why, are in SKIPPED (matched against the route).
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from courses import services
from courses.models import (
    EnrolmentImport,
    LearnerProfile,
    LearnerRole,
    ModuleProgress,
    TrainingLead,
)
from tests.conftest import field_values
from tests.factories import LearnerProfileFactory, ModuleProgressFactory, UserFactory, force

GMP_ID = 990_001  # every GMP object of the walk has this primary key
MET_ID = 990_002  # and every Met one this
GMP_LEAD_USER_ID = 990_003

SKIPPED = {
    "admin/failwhale/": "Wagtail's deliberate error page (a 500 to test error reporting)",
    "admin/logout/": "signing out would end the walk; it shows no data",
    # A regex with alternations (`live|earliest|\d+`) that text substitution cannot fill; it
    # compares page revisions, and pages hold no learner data.
    r"revisions/compare/(?P<revision_id_a>": "a regular expression, not a path; pages only",
}
# A name that a POST may change something through.
CHANGES = re.compile(
    r"edit|delete|erase|move|revoke|copy|add|new|disable|enable|action|lock|revert|"
    r"unpublish|publish|import|apply|upload|reorder|set|save",
)
STR_FILLS = {
    "app_label": "courses",
    "app_name": "courses",
    "content_type_app_name": "courses",
    "model_name": "learnerprofile",
    "content_type_model_name": "learnerprofile",
    "action": "edit",
    "action_name": "edit",
    "filter_spec": "original",
}
ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>")


def _walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route.replace("^", "").replace("$", ""), pattern


def admin_patterns() -> list[tuple[str, URLPattern]]:
    """Every (route, pattern) under /admin/, in resolution order, less SKIPPED."""
    return [
        (route, pattern)
        for route, pattern in _walk(get_resolver().url_patterns)
        if route.startswith("admin/") and not any(skip in route for skip in SKIPPED)
    ]


def fill(route: str, number: int, code: str) -> str:
    def value(match):
        converter, name = match.groups()
        if converter == "int" or name in ("pk", "object_id"):
            return str(number)
        return STR_FILLS.get(name, code)

    url = ARGUMENT.sub(value, route)
    url = url.replace(".*", "no-such-screen")  # Wagtail's catch-all for unknown admin URLs
    return "/" + url


def admin_urls(*, number: int, code: str) -> list[str]:
    """Each admin pattern once, its arguments filled with `number` and `code`."""
    urls = []
    for route, _ in admin_patterns():
        url = fill(route, number, code)
        if url not in urls:
            urls.append(url)
    return urls


def takes_arguments(route: str) -> bool:
    return bool(ARGUMENT.search(route))


@pytest.fixture
def gmp_and_met(module_tree):
    """A learner of each force (with a module row), a lead of each; GMP's objects all have the
    primary key GMP_ID and Met's MET_ID."""
    found = {}
    for code, pk in (("gmp", GMP_ID), ("met", MET_ID)):
        user = UserFactory(
            id=pk,
            username=f"walk-{code}",
            email=f"walker.{code}@{code}.demo.example",
            first_name=f"Zephyrine{code}",
            last_name=f"Quillfeather{code}",
        )
        profile = LearnerProfileFactory(
            id=pk, user=user, force=force(code), staff_number=f"ZX{code.upper()}4477", team="A"
        )
        row = ModuleProgressFactory(id=pk, learner=user, module=module_tree.module)
        found[code] = {"user": user, "profile": profile, "row": row}
    gmp_lead = UserFactory(id=GMP_LEAD_USER_ID, email="the.gmp.lead@gmp.demo.example")
    TrainingLead.objects.create(id=GMP_ID, user=gmp_lead)  # lead_grant finds it and fills it in
    services.lead_grant(user=gmp_lead, forces=[force("gmp")])
    found["gmp"]["lead"] = gmp_lead
    met_lead = UserFactory(email="the.met.lead@met.demo.example")
    services.lead_grant(user=met_lead, forces=[force("met")])
    found["met"]["lead"] = met_lead
    # GMP's lead has an HR file waiting in preview that names GMP's learner.
    hr_file = SimpleUploadedFile(
        "gmp-staff.csv",
        (
            "email,name,role,staff_number\n"
            f"{found['gmp']['user'].email},Zephyrinegmp Quillfeathergmp,PCSO,ZXGMP4477\n"
        ).encode(),
        "text/csv",
    )
    imported = services.enrolment_import_create(
        force=force("gmp"), user=gmp_lead, upload=hr_file, deactivate_missing=True
    )
    EnrolmentImport.objects.filter(pk=imported.pk).update(id=GMP_ID)
    return found


def secrets_of(objects) -> list[str]:
    user, profile = objects["user"], objects["profile"]
    return [
        user.email,
        user.first_name,
        user.last_name,
        profile.staff_number,
        objects["lead"].email,
    ]


def gmp_state(objects) -> list[dict]:
    lead = TrainingLead.objects.get(user=objects["lead"])
    return [
        field_values(type(objects["user"]).objects.get(pk=objects["user"].pk)),
        field_values(LearnerProfile.objects.get(pk=GMP_ID)),
        field_values(ModuleProgress.objects.get(pk=GMP_ID)),
        field_values(lead),
        {"forces": sorted(lead.forces.values_list("code", flat=True))},
        field_values(EnrolmentImport.objects.get(pk=GMP_ID)),
    ]


def body_of(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def leaks(client, url, secrets, *, post_data=None) -> list[str]:
    response = client.get(url) if post_data is None else client.post(url, post_data)
    body = body_of(response)
    found = [f"{url}: {response.status_code} shows {s!r}" for s in secrets if s in body]
    if response.status_code >= 500:
        found.append(f"{url}: {response.status_code}")
    return found


def test_the_walk_covers_the_admin_and_the_lead_screens():
    routes = [route for route, _ in admin_patterns()]
    assert len(routes) > 200  # Wagtail's own admin is there, not just ours
    for ours in (
        "admin/force_learners/",
        "admin/force_learners/edit/<int:pk>/",
        "admin/training_leads/edit/<int:pk>/",
        "admin/learners/<int:user_id>/erase/",
        "admin/force-dashboard/<slug:code>/",
        "admin/force-dashboard/<slug:code>/progress/",
        "admin/enrolment-imports/<int:pk>/",
        "admin/enrolment-imports/<int:pk>/apply/",
    ):
        assert ours in routes


@pytest.mark.django_db
def test_a_met_lead_sees_and_changes_nothing_of_gmp_on_any_admin_url(gmp_and_met):
    gmp, met = gmp_and_met["gmp"], gmp_and_met["met"]
    secrets = secrets_of(gmp)
    before = gmp_state(gmp)
    client = Client(raise_request_exception=False)
    client.force_login(met["lead"])
    post_data = {
        "role": LearnerRole.PCSO,
        "team": "changed",
        "staff_number": "changed",
        "has_left": "on",
        "left_on": "2026-01-01",
        "email": gmp["user"].email,
        "forces": [force("met").pk],
        "force": force("met").pk,
    }
    found, walked = [], 0
    for route, pattern in admin_patterns():
        fills = [(GMP_ID, "gmp"), (force("gmp").pk, "gmp"), (MET_ID, "met")]
        for number, code in fills if takes_arguments(route) else fills[:1]:
            url = fill(route, number, code)
            found += leaks(client, url, secrets)
            walked += 1
            name = pattern.name or ""
            if code == "gmp" and CHANGES.search(name + route):
                found += leaks(client, url, secrets, post_data=post_data)
            if name.endswith("index") and not takes_arguments(route):
                found += leaks(client, url + "?export=csv", secrets)
                # Matches both forces' learners; the page repeats the query, not a secret.
                found += leaks(client, url + "?q=Quillfeather", secrets)
        # A walk that signed the lead out would prove nothing.
        assert "_auth_user_id" in client.session, route
    assert walked > 300
    assert found == []
    assert gmp_state(gmp) == before


@pytest.mark.django_db
def test_the_met_lead_does_see_met_learners(gmp_and_met):
    client = Client()
    client.force_login(gmp_and_met["met"]["lead"])
    listing = client.get("/admin/force_learners/").text
    assert gmp_and_met["met"]["user"].email in listing
    assert gmp_and_met["gmp"]["user"].email not in listing
    assert client.get(f"/admin/force_learners/edit/{MET_ID}/").status_code == 200
    assert client.get(f"/admin/force_learners/edit/{GMP_ID}/").status_code == 404


@pytest.mark.django_db
def test_the_met_lead_cannot_read_or_apply_gmp_hr_file(gmp_and_met):
    client = Client()
    client.force_login(gmp_and_met["met"]["lead"])
    before = gmp_state(gmp_and_met["gmp"])
    assert client.get(f"/admin/enrolment-imports/{GMP_ID}/").status_code == 404
    assert client.post(f"/admin/enrolment-imports/{GMP_ID}/apply/").status_code == 404
    assert client.get("/admin/force-dashboard/gmp/").status_code == 404
    assert gmp_state(gmp_and_met["gmp"]) == before


@pytest.mark.django_db
def test_an_administrator_sees_both_forces(gmp_and_met):
    admin = UserFactory(is_superuser=True)
    client = Client()
    client.force_login(admin)
    listing = client.get("/admin/force_learners/").text
    for code in ("gmp", "met"):
        assert gmp_and_met[code]["user"].email in listing
        assert gmp_and_met[code]["profile"].staff_number in listing
    for pk in (GMP_ID, MET_ID):
        assert client.get(f"/admin/force_learners/edit/{pk}/").status_code == 200
    leads = client.get("/admin/training_leads/").text
    assert "the.gmp.lead@gmp.demo.example" in leads and "the.met.lead@met.demo.example" in leads

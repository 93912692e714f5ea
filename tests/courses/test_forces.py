from collections import Counter

from courses.models import Country, Force


def test_every_uk_police_force_is_loaded(db):
    forces = list(Force.objects.all())
    counts = Counter(force.country for force in forces)
    # 39 English + 4 Welsh territorial forces, Police Scotland, the PSNI, and BTP, CNC, MDP.
    assert counts[Country.ENGLAND] + counts[Country.WALES] == 43
    assert counts[Country.WALES] == 4
    assert counts[Country.SCOTLAND] == 1
    assert counts[Country.NORTHERN_IRELAND] == 1
    assert counts[Country.UK] == 3
    assert len(forces) == 48


def test_force_codes_and_names_are_unique(db):
    codes = list(Force.objects.values_list("code", flat=True))
    names = list(Force.objects.values_list("name", flat=True))
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names))


def test_well_known_forces_have_expected_codes(db):
    by_code = dict(Force.objects.values_list("code", "name"))
    assert by_code["met"] == "Metropolitan Police Service"
    assert by_code["gmp"] == "Greater Manchester Police"
    assert by_code["south-wales"] == "South Wales Police"
    assert by_code["psni"] == "Police Service of Northern Ireland"
    assert by_code["btp"] == "British Transport Police"


def test_forces_are_editable_as_a_wagtail_snippet(admin_client):
    response = admin_client.get("/admin/snippets/courses/force/")
    assert response.status_code == 200
    assert "Avon and Somerset Constabulary" in response.content.decode()

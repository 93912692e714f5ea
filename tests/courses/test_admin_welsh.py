"""The staff screens in Welsh (issue 30): Wagtail renders its admin in each user's admin
language (their profile's preferred language, else the language cookie), and our own screens
follow it: the force dashboard, its filters' errors, the HR import and the administrators'
xAPI screen. With neither, they stay in English."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from courses.enrolment_import.resource import RoleWidget, role_names
from courses.models import EnrolmentImportStatus, LearnerProfile
from tests.factories import UserFactory, training_lead

pytestmark = pytest.mark.django_db


def met_lead(language: str = ""):
    lead = training_lead("met", username="lead", email="lead@met.example")
    if language:
        profile = UserProfile.get_for_user(lead)
        profile.preferred_language = language
        profile.save()
    return lead


def dashboard_url():
    return reverse("force_dashboard:force", args=["met"])


def test_a_lead_who_chose_welsh_sees_the_dashboard_in_welsh(client):
    client.force_login(met_lead("cy"))
    response = client.get(dashboard_url())
    assert response.status_code == 200
    page = response.text
    for welsh in (
        "Cipolwg",  # At a glance
        "Cwblhau fesul modiwl",  # Completion per module
        "Cwblhau fesul mis",  # Completions by month
        "Dangos ffigurau",  # Show figures
        ": dangosfwrdd hyfforddiant",  # the page title after the force's name
        "Dangosfwrdd yr heddlu",  # our menu item, among Wagtail's own Welsh
        "Swyddog ymateb",  # the roles in the "By role" table
        "SCCH",
    ):
        assert welsh in page, welsh
    for english in ("At a glance", "Completion per module", "Show figures", "Force dashboard"):
        assert english not in page, english


def test_the_language_cookie_gives_welsh_when_no_preference_is_saved(client):
    client.force_login(met_lead())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get(dashboard_url()).text
    assert "Cipolwg" in page
    assert "At a glance" not in page


def test_without_a_preference_or_cookie_the_dashboard_stays_english(client):
    client.force_login(met_lead())
    page = client.get(dashboard_url()).text
    assert "At a glance" in page
    assert "Cipolwg" not in page


def test_a_bad_filter_is_refused_in_welsh(client):
    client.force_login(met_lead("cy"))
    response = client.get(dashboard_url(), {"role": "astronaut"})
    assert response.status_code == 400
    assert "Nid oedd modd defnyddio'r hidlyddion hyn" in response.text
    assert "Dewiswch rôl o&#x27;r rhestr (neu Pob rôl)." in response.text


def test_the_hr_import_page_is_in_welsh_and_its_columns_stay_as_the_file_names_them(client):
    client.force_login(met_lead("cy"))
    response = client.get(reverse("courses_enrolment_upload"))
    assert response.status_code == 200
    page = response.text
    assert "Cofrestru dysgwyr o ffeil AD" in page  # the page title
    assert "Uwchlwytho a rhagweld" in page  # the button
    # The file's column names are a documented format: the same in either language.
    for column in ("<td>email</td>", "<td>staff_number</td>", "<td>start_date</td>"):
        assert column in page


def test_an_administrator_who_chose_welsh_sees_the_xapi_screen_in_welsh(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    profile = UserProfile.get_for_user(admin)
    profile.preferred_language = "cy"
    profile.save()
    client.force_login(admin)
    response = client.get(reverse("courses_xapi_delivery"))
    assert response.status_code == 200
    assert "Ychwanegu cysylltiad LRS" in response.text
    assert "Nid oes gan unrhyw heddlu gysylltiad LRS eto." in response.text


def test_model_labels_and_help_texts_follow_the_admin_language():
    staff_number = LearnerProfile._meta.get_field("staff_number")
    with translation.override("cy"):
        assert EnrolmentImportStatus.APPLIED.label == "Wedi'i gymhwyso"
        assert staff_number.help_text == "Rhif staff neu rif coler yr heddlu, yn ddewisol."
    with translation.override("en-gb"):
        assert EnrolmentImportStatus.APPLIED.label == "Applied"
        assert staff_number.help_text == "Optional force staff or collar number."


def test_an_hr_file_may_name_a_role_by_its_english_or_its_welsh_label():
    widget = RoleWidget()
    with translation.override("cy"):
        assert widget.clean("Call handler") == "call-handler"
        assert widget.clean("Triniwr galwadau") == "call-handler"
        assert widget.clean("response-officer") == "response-officer"
        assert "Triniwr galwadau" in role_names()
    with translation.override("en-gb"):
        assert widget.clean("call handler") == "call-handler"
        assert "Call handler" in role_names()

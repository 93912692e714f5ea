"""seed_demo: a whole demo programme, idempotent, refused in production."""

import re
import uuid
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from courses import selectors, services
from courses.blocks import LessonStreamBlock
from courses.demo import evidence_d, xapi_d
from courses.models import (
    AttitudeSurvey,
    Force,
    ForceEmailDomain,
    LearnerProfile,
    LessonPage,
    LrsConnection,
    ModulePage,
    OutboxState,
    ProgrammePage,
    SupportService,
    SurveyResponse,
    Testimony,
    XapiOutbox,
)
from courses.xapi.secrets import connection_secret


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """seed_demo once for this module (seeding takes seconds), in a transaction rolled back
    when the module ends. Each test runs in a savepoint inside it (pytest-django's `db`), so
    what one test changes never reaches another. Every test here uses `seeded`."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", "--learners-per-force", "2", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db):
    return seeded_once


def counts() -> dict[str, int]:
    models = (ProgrammePage, ModulePage, LessonPage, SupportService, Testimony, LearnerProfile)
    return {
        **{model.__name__: model.objects.count() for model in models},
        "users": get_user_model().objects.count(),
        "domains": ForceEmailDomain.objects.count(),
        "emails": EmailAddress.objects.count(),
    }


def test_builds_a_programme_of_three_modules_with_checks(seeded):
    modules = ModulePage.objects.live().order_by("path")
    assert {m.theme for m in modules} >= {"leadership", "mens-role", "survivor-voices"}
    for module in modules:
        lessons = LessonPage.objects.child_of(module).live()
        assert lessons.count() >= 3, module.title
        block_types = {child.block_type for lesson in lessons for child in lesson.body}
        assert "knowledge_check" in block_types, module.title
        assert len(block_types) >= 6, (module.title, block_types)
        assert module.content_notice
        assert module.notice_support_services.exists()


def test_every_seeded_lesson_passes_block_validation(seeded):
    stream = LessonStreamBlock()
    for lesson in LessonPage.objects.all():
        stream.clean(lesson.body)  # raises StreamBlockValidationError on any bad block


def test_testimony_is_labelled_fictional_composite(seeded):
    # The English; the Welsh translations are checked in test_welsh_seed.
    for item in Testimony.objects.sources():
        assert item.is_fictional_composite
        assert "fictional composite" in item.attribution.lower()
        assert "fictional composite" in item.text.lower()
        assert item.is_shareable()


def test_real_national_services_with_public_numbers(seeded):
    phones = dict(SupportService.objects.values_list("name", "phone"))
    assert phones["National Domestic Abuse Helpline (Refuge)"] == "0808 2000 247"
    assert phones["Respect Phoneline"] == "0808 802 4040"
    assert phones["Men's Advice Line (Respect)"] == "0808 801 0327"
    assert "Police Care UK" in phones


def test_each_demo_force_has_a_labelled_local_service_only_its_learners_see(seeded, client):
    local = dict(
        SupportService.objects.filter(force__isnull=False).values_list("force__code", "name")
    )
    assert set(local) == {"met", "gmp"}
    assert all("(demo example)" in name for name in local.values())
    client.force_login(get_user_model().objects.get(email="learner1@met.demo.example"))
    page = client.get(reverse("courses:support")).content.decode()
    assert local["met"] in page and local["gmp"] not in page


def test_learners_are_verified_with_profiles_in_each_force(seeded):
    for code in ("met", "gmp"):
        assert ForceEmailDomain.objects.filter(domain=f"{code}.demo.example").exists()
        for i in (1, 2):
            email = f"learner{i}@{code}.demo.example"
            user = get_user_model().objects.get(email=email)
            assert user.learner_profile.force.code == code
            assert EmailAddress.objects.get(user=user, email=email).verified
    roles = set(LearnerProfile.objects.values_list("role", flat=True))
    assert len(roles) > 1


def test_prints_how_to_sign_in(seeded):
    assert "admin@demo.example" in seeded
    assert "learner1@met.demo.example" in seeded
    assert "demo-password-2026" in seeded


def test_running_again_changes_nothing(seeded):
    before = counts()
    call_command("seed_demo", "--learners-per-force", "2", stdout=StringIO())
    assert counts() == before


def test_more_forces_and_learners_add_only_the_new_ones(seeded):
    before = counts()
    call_command(
        "seed_demo", "--forces", "met,south-wales", "--learners-per-force", "3", stdout=StringIO()
    )
    after = counts()
    # One more Met learner, three South Wales learners, and South Wales' survey respondents.
    assert after["LearnerProfile"] == before["LearnerProfile"] + 1 + 3 + evidence_d.SMALL_LEARNERS
    assert after["ModulePage"] == before["ModulePage"]
    south_wales = LearnerProfile.objects.filter(force__code="south-wales")
    assert south_wales.filter(user__email__startswith="learner").count() == 3


def test_every_demo_page_renders_for_a_learner_and_redirects_anonymous(seeded, client):
    # The English pages and the Welsh ones (translations and aliases).
    programmes = list(ProgrammePage.objects.all())
    pages = [*ModulePage.objects.all(), *LessonPage.objects.all()]
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 302, page.url
        assert response["Location"].startswith("/accounts/login/?next=")
    learner = get_user_model().objects.get(email="learner1@met.demo.example")
    client.force_login(learner)
    # A demo learner's first lesson is preceded by the voluntary attitude survey.
    first_lesson = LessonPage.objects.live().order_by("path").first()
    offer = client.get(first_lesson.url)
    assert offer.status_code == 302 and "/before-you-start/" in offer["Location"]
    assert client.get(offer["Location"]).status_code == 200
    skip_pre_survey(learner)
    for page in [*programmes, *pages]:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        html = response.text
        assert html.count("<h1") == 1, page.url
        # Headings never skip a level.
        levels = [int(n) for n in re.findall(r"<h([1-6])", html)]
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), page.url


def skip_pre_survey(learner) -> None:
    for survey in AttitudeSurvey.objects.filter(live=True):
        services.survey_decline(learner=learner, survey=survey, stage="pre")


def test_no_knowledge_check_answers_in_demo_html(seeded, client):
    learner = get_user_model().objects.get(email="learner1@gmp.demo.example")
    skip_pre_survey(learner)
    client.force_login(learner)
    for lesson in LessonPage.objects.all():
        html = client.get(lesson.url).text
        for child in lesson.body:
            if child.block_type != "knowledge_check":
                continue
            assert f'value="{child.id}"' in html
            for option in child.value["options"]:
                assert option["feedback"] not in html
        assert "is_correct" not in html


# --- training leads, pathways and due dates (issue 26) ---------------------------------------


def test_training_leads_for_met_and_gmp_sign_in_to_the_admin(seeded, client):
    from django.contrib.auth.models import Group

    from courses.models import TRAINING_LEADS_GROUP, TrainingLead

    leads = {
        lead.user.email: [f.code for f in lead.forces.all()]
        for lead in TrainingLead.objects.prefetch_related("forces").select_related("user")
    }
    assert leads == {"lead-met@demo.example": ["met"], "lead-gmp@demo.example": ["gmp"]}
    group = Group.objects.get(name=TRAINING_LEADS_GROUP)
    for email in leads:
        assert email in seeded
        user = get_user_model().objects.get(email=email)
        assert group in user.groups.all() and not user.is_superuser
        assert not LearnerProfile.objects.filter(user=user).exists()
        assert client.login(username=email, password="demo-password-2026")
        assert client.get("/admin/").status_code == 200
        client.logout()


def test_every_demo_role_has_a_pathway_of_demo_modules(seeded):
    from courses.models import PATHWAY_ROLES, Pathway

    pathways = {p.role: list(p.steps.order_by("sort_order")) for p in Pathway.objects.all()}
    assert set(pathways) == {role for role, _ in PATHWAY_ROLES}
    for role, steps in pathways.items():
        assert 2 <= len(steps) <= 3, role
        days = [step.days_to_complete for step in steps]
        assert days == sorted(days), role  # the order is the order they fall due


def test_some_demo_learners_are_overdue_and_some_due_soon(seeded):
    import datetime

    from django.utils import timezone

    from courses.models import ModuleProgress, ProgressStatus

    now = timezone.now()
    open_rows = ModuleProgress.objects.filter(required=True, status__lt=ProgressStatus.COMPLETED)
    overdue = set(open_rows.filter(due_at__lt=now).values_list("learner__email", flat=True))
    soon = set(
        open_rows.filter(due_at__gte=now, due_at__lt=now + datetime.timedelta(days=7)).values_list(
            "learner__email", flat=True
        )
    )
    assert overdue == {"learner1@met.demo.example", "learner1@gmp.demo.example"}
    assert soon == {"learner2@met.demo.example", "learner2@gmp.demo.example"}


def test_running_again_moves_no_due_date(seeded):
    from courses.models import ModuleProgress

    def dates():
        return sorted(
            ModuleProgress.objects.filter(required=True).values_list(
                "learner_id", "module_id", "enrolled_at", "due_at"
            )
        )

    before = dates()
    assert before
    call_command("seed_demo", "--learners-per-force", "2", stdout=StringIO())
    assert dates() == before


def test_demo_reminders_go_to_the_overdue_and_due_soon_learners_and_the_leads(seeded, mailoutbox):
    out = StringIO()
    call_command("send_reminders", stdout=out)
    to = sorted(message.to[0] for message in mailoutbox)
    assert to == [
        "lead-gmp@demo.example",
        "lead-met@demo.example",
        "learner1@gmp.demo.example",
        "learner1@met.demo.example",
        "learner2@gmp.demo.example",
        "learner2@met.demo.example",
    ]


def test_the_demo_has_evidence_of_cultural_change(seeded):
    met = Force.objects.get(code="met")
    post = SurveyResponse.objects.filter(force=met, stage="post", learner__isnull=False)
    trained = selectors.trained_profiles(force=met)
    # Every post answer comes from a learner who completed their pathway, and no demo learner
    # one signs in as has answered.
    assert set(trained.values_list("user_id", flat=True)) >= set(
        post.values_list("learner_id", flat=True)
    )
    assert not SurveyResponse.objects.filter(learner__email__startswith="learner").exists()
    assert selectors.champions_share(force=met).part >= 1
    assert selectors.critical_mass(force=met).launch_date is not None


def test_the_met_has_a_paused_lrs_connection_with_its_secret_encrypted(seeded):
    connection = LrsConnection.objects.get()
    assert connection.force.code == "met"  # the first demo force
    assert not connection.enabled
    assert connection.endpoint == xapi_d.ENDPOINT
    assert xapi_d.SECRET not in connection.secret_encrypted
    assert connection_secret(connection) == xapi_d.SECRET
    assert connection.updated_by.email == "admin@demo.example"


def test_running_again_leaves_the_lrs_connection_as_the_admin_left_it(seeded):
    LrsConnection.objects.update(batch_size=10)
    call_command("seed_demo", "--learners-per-force", "2", stdout=StringIO())
    connection = LrsConnection.objects.get()
    assert (connection.batch_size, connection.enabled) == (10, False)


def test_a_demo_learners_progress_waits_in_the_paused_connections_outbox(seeded):
    user = get_user_model().objects.get(email="learner1@met.demo.example")
    other = get_user_model().objects.get(email="learner1@gmp.demo.example")
    lesson = LessonPage.objects.live().first()
    for learner in (user, other):
        services.progress_record(
            learner=learner, event_id=uuid.uuid4(), lesson=lesson, verb="experienced"
        )
    waiting = XapiOutbox.objects.filter(state=OutboxState.PENDING)
    assert list(waiting.values_list("event__learner", flat=True)) == [user.pk]

"""A learner moved between forces: history stays with the force where it happened, new
activity counts for the new force, both forces' reports and totals stay right, and the move
is audited."""

import uuid
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q, Sum
from django.test import Client
from django.urls import reverse

from courses import selectors, services
from courses.models import AuditAction, AuditEvent, Force, ForceModuleSummary, ModuleProgress
from courses.models import ProgressStatus as Status
from tests.conftest import build_module_tree, complete_module
from tests.factories import api_key, learner

pytestmark = pytest.mark.django_db


def record(user, lesson, verb="completed"):
    return services.progress_record(learner=user, event_id=uuid.uuid4(), lesson=lesson, verb=verb)


def summary(code: str) -> dict[str, tuple[int, int]]:
    report = selectors.force_summary(force=Force.objects.get(code=code))
    return {row.module.title: (row.in_progress, row.completed) for row in report.modules}


def completions(code: str) -> set[int]:
    url = reverse("manager-force-completions", kwargs={"code": code})
    response = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {api_key(code).key}")
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def totals_match_a_recount():
    recount = (
        ModuleProgress.objects.exclude(force=None)
        .values("force_id", "module_id")
        .annotate(
            in_progress=Count("pk", filter=Q(status=Status.IN_PROGRESS)),
            completed=Count("pk", filter=Q(status=Status.COMPLETED)),
            score_total=Sum("score", default=0),
        )
    )
    kept = {
        (s.force_id, s.module_id): (s.in_progress, s.completed, s.score_total)
        for s in ForceModuleSummary.objects.all()
    }
    for row in recount:
        key = (row["force_id"], row["module_id"])
        assert kept[key] == (row["in_progress"], row["completed"], row["score_total"])
    counted = {(row["force_id"], row["module_id"]) for row in recount}
    assert all(value == (0, 0, 0) for key, value in kept.items() if key not in counted)


@pytest.fixture
def trees(home_page):
    return [build_module_tree(home_page, title=title) for title in ("Done", "Started", "Later")]


def test_history_stays_and_new_activity_counts_for_the_new_force(trees):
    done, started, later = trees
    officer = learner("met")
    admin = learner("met")
    complete_module(officer, done)
    record(officer, started.lessons[0])
    finished = ModuleProgress.objects.get(learner=officer, module=done.module)
    open_row = ModuleProgress.objects.get(learner=officer, module=started.module)

    assert summary("met") == {"Done": (0, 1), "Started": (1, 0), "Later": (0, 0)}
    assert summary("gmp") == {"Done": (0, 0), "Started": (0, 0), "Later": (0, 0)}
    assert completions("met") == {finished.pk, open_row.pk}
    assert completions("gmp") == set()

    result = services.learner_move(
        learner=officer, force=Force.objects.get(code="gmp"), moved_by=admin
    )
    assert (result.old_force.code, result.new_force.code, result.modules_moved) == ("met", "gmp", 1)

    record(officer, started.lessons[1])
    record(officer, later.lessons[0], "experienced")
    later_row = ModuleProgress.objects.get(learner=officer, module=later.module)

    assert summary("met") == {"Done": (0, 1), "Started": (0, 0), "Later": (0, 0)}
    assert summary("gmp") == {"Done": (0, 0), "Started": (1, 0), "Later": (1, 0)}
    assert completions("met") == {finished.pk}  # the old force keeps only its history
    assert completions("gmp") == {open_row.pk, later_row.pk}
    totals_match_a_recount()
    # The ledger keeps each event's force at the time.
    forces = {event.force.code for event in officer.progress_events.all()}
    assert forces == {"met", "gmp"}

    entries = AuditEvent.objects.filter(subject_user_id=officer.pk).order_by("id")
    assert [(e.action, e.force_code, e.user_id) for e in entries] == [
        (AuditAction.LEARNER_MOVED_OUT, "met", admin.pk),
        (AuditAction.LEARNER_MOVED_IN, "gmp", admin.pk),
    ]


def test_moving_to_the_same_force_changes_and_records_nothing(trees):
    officer = learner("met")
    record(officer, trees[1].lessons[0])
    result = services.learner_move(learner=officer, force=Force.objects.get(code="met"))
    assert result.modules_moved == 0
    assert not AuditEvent.objects.filter(subject_user_id=officer.pk).exists()


def test_an_account_without_a_profile_or_an_inactive_force_is_refused(db):
    from tests.factories import UserFactory

    gmp = Force.objects.get(code="gmp")
    with pytest.raises(services.LearnerMoveRefused, match="not a learner"):
        services.learner_move(learner=UserFactory(), force=gmp)
    gmp.is_active = False
    gmp.save()
    with pytest.raises(services.LearnerMoveRefused, match="not an active force"):
        services.learner_move(learner=learner("met"), force=gmp)


def test_the_command_moves_a_learner_and_explains_mistakes(trees):
    officer = learner("met")
    record(officer, trees[1].lessons[0])
    out = StringIO()
    call_command("move_learner", email=officer.email, force="GMP", stdout=out)
    assert "from met to gmp: 1 module(s)" in out.getvalue()
    assert ModuleProgress.objects.get(learner=officer).force.code == "gmp"
    with pytest.raises(CommandError, match="no force 'nowhere'"):
        call_command("move_learner", email=officer.email, force="nowhere")
    with pytest.raises(CommandError, match="No account"):
        call_command("move_learner", email="nobody@example.org", force="gmp")


def test_an_administrator_moves_a_learner_in_the_admin(trees):
    from tests.factories import UserFactory

    admin = UserFactory(is_superuser=True, is_staff=True)
    officer = learner("met")
    record(officer, trees[1].lessons[0])
    client = Client()
    client.force_login(admin)
    url = reverse("courses_learner_move", args=[officer.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert "Completed modules and their certificates stay" in page.content.decode()
    assert client.post(url, {}).status_code == 200  # the form again, with its error
    assert "Choose the force the learner has moved to." in client.post(url, {}).content.decode()

    gmp = Force.objects.get(code="gmp")
    response = client.post(url, {"force": gmp.pk})
    assert response.status_code == 302
    assert ModuleProgress.objects.get(learner=officer).force == gmp
    assert AuditEvent.objects.filter(
        action=AuditAction.LEARNER_MOVED_IN, subject_user_id=officer.pk, user_id=admin.pk
    ).exists()
    listing = client.get(reverse("wagtailusers_users:index")).content.decode()
    assert url in listing


def test_the_admin_says_why_an_account_cannot_be_moved(trees):
    from tests.factories import UserFactory

    admin = UserFactory(is_superuser=True, is_staff=True)
    editor = UserFactory()  # no learner profile
    client = Client()
    client.force_login(admin)
    url = reverse("courses_learner_move", args=[editor.pk])
    response = client.post(url, {"force": Force.objects.get(code="gmp").pk}, follow=True)
    assert response.redirect_chain[0] == (reverse("wagtailusers_users:index"), 302)
    assert "This account is not a learner: it has no force." in response.content.decode()


def test_only_administrators_may_move_learners(trees):
    officer = learner("met")
    client = Client()
    client.force_login(learner("met"))
    response = client.post(reverse("courses_learner_move", args=[officer.pk]), {"force": 1})
    assert response.status_code in (302, 403)
    assert not AuditEvent.objects.filter(subject_user_id=officer.pk).exists()

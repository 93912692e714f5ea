"""Reminder emails (courses.services.reminders) with a fixed clock, the send_reminders job,
and the learner's choice (courses.reminder_views)."""

import datetime
import re
import time
import zoneinfo
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services
from courses.models import (
    TRAINING_LEADS_GROUP,
    Force,
    LearnerProfile,
    ModuleProgress,
    ProgressStatus,
    Reminder,
    ReminderKind,
    TrainingLead,
)
from courses.services import reminders
from tests.conftest import build_module_tree
from tests.factories import ModuleProgressFactory, UserFactory, force, learner

LONDON = zoneinfo.ZoneInfo("Europe/London")
# A Wednesday: the UK week began on Monday 7 December 2026.
NOW = datetime.datetime(2026, 12, 9, 9, 30, tzinfo=LONDON)
MONDAY = datetime.date(2026, 12, 7)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def modules(home_page):
    return [
        build_module_tree(home_page, title="Leadership", lessons=1).module,
        build_module_tree(home_page, title="Men's role", lessons=1).module,
    ]


def required(user, module, due_at, **fields):
    """A required module row as enrolments_sync leaves it (not started unless told)."""
    defaults = {
        "status": ProgressStatus.NOT_STARTED,
        "lessons_completed": 0,
        "started_at": None,
    }
    return ModuleProgressFactory(
        learner=user,
        module=module,
        required=True,
        enrolled_at=due_at - 28 * DAY,
        due_at=due_at,
        **{**defaults, **fields},
    )


def send(now=NOW) -> services.ReminderRun:
    return services.reminders_send(now=now)


def only_email(to):
    found = [m for m in mail.outbox if m.to == [to]]
    assert len(found) == 1, [m.to for m in mail.outbox]
    return found[0]


# --- who gets a reminder -----------------------------------------------------------------------


def test_due_in_7_days_is_sent_once_with_links_headers_and_words(modules):
    officer = learner("met", user__first_name="Sam", user__last_name="Okafor")
    required(officer, modules[0], NOW + 7 * DAY)

    assert send() == services.ReminderRun(sent=1, skipped=0, failed=0)

    email = only_email(officer.email)
    assert email.subject == "DA Matters: A required module is due soon"
    body = email.body
    assert "Hello Sam Okafor," in body
    assert "Leadership: due by Wednesday 16 December 2026, in 7 days" in body
    assert f"http://127.0.0.1:8000{modules[0].url}" in body
    stop = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert stop.startswith("http://127.0.0.1:8000/en-gb/reminders/stop/")
    assert stop in body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Overdue notices for required training will still be sent" in body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{stop}"' in html and "Leadership" in html
    reminder = Reminder.objects.get(user=officer)
    assert (reminder.kind, reminder.week) == (ReminderKind.DUE_SOON, MONDAY)


def test_due_in_8_days_is_not_sent(modules):
    required(learner("met"), modules[0], NOW + 8 * DAY)

    assert send() == services.ReminderRun(0, 0, 0)
    assert mail.outbox == [] and not Reminder.objects.exists()


def test_overdue_is_sent_in_words_and_lists_due_soon_too(modules):
    officer = learner("gmp")
    required(officer, modules[0], NOW - 3 * DAY)
    required(officer, modules[1], NOW + 1 * DAY)

    assert send().sent == 1

    email = only_email(officer.email)
    assert email.subject == "DA Matters: Required training is overdue"
    assert "Leadership: overdue, it was due on Sunday 6 December 2026" in email.body
    assert "Men's role: due tomorrow, Thursday 10 December 2026" in email.body
    assert Reminder.objects.get(user=officer).kind == ReminderKind.OVERDUE


def test_once_a_week_then_again_the_next_week(modules):
    officer = learner("met")
    required(officer, modules[0], NOW - DAY)
    assert send().sent == 1

    # Later the same week, even on Sunday evening: nothing.
    assert send(NOW + DAY) == services.ReminderRun(sent=0, skipped=1, failed=0)
    sunday_night = datetime.datetime(2026, 12, 13, 23, 30, tzinfo=LONDON)
    assert send(sunday_night).sent == 0
    assert len(mail.outbox) == 1

    # Monday morning is a new UK week.
    monday = datetime.datetime(2026, 12, 14, 0, 30, tzinfo=LONDON)
    assert send(monday).sent == 1
    assert len(mail.outbox) == 2
    assert set(Reminder.objects.values_list("week", flat=True)) == {
        MONDAY,
        MONDAY + 7 * DAY,
    }


def test_never_after_finishing(modules):
    officer = learner("met")
    required(
        officer,
        modules[0],
        NOW - DAY,
        status=ProgressStatus.COMPLETED,
        completed_at=NOW - 2 * DAY,
        lessons_completed=3,
    )
    assert send().sent == 0 and mail.outbox == []


def test_in_progress_required_module_is_still_reminded(modules):
    officer = learner("met")
    required(officer, modules[0], NOW - DAY, status=ProgressStatus.IN_PROGRESS, started_at=NOW)
    assert send().sent == 1


def test_not_required_rows_are_never_reminded(modules):
    officer = learner("met")
    row = required(officer, modules[0], NOW - DAY)
    ModuleProgress.objects.filter(pk=row.pk).update(required=False)
    assert send().sent == 0


def test_never_to_inactive_or_erased_learners(modules):
    inactive, erased, gone = learner("met"), learner("met"), learner("met")
    for user in (inactive, erased, gone):
        required(user, modules[0], NOW - DAY)
    get_user_model().objects.filter(pk=inactive.pk).update(is_active=False)
    LearnerProfile.objects.filter(user=erased).update(erased_at=NOW)
    get_user_model().objects.filter(pk=gone.pk).update(email=f"erased-{gone.pk}@erased.invalid")

    assert send().sent == 0
    assert mail.outbox == []


def test_inactive_force_learners_are_not_reminded(modules):
    officer = learner("met")
    required(officer, modules[0], NOW - DAY)
    Force.objects.filter(code="met").update(is_active=False)
    assert send().sent == 0


def test_opted_out_gets_overdue_but_not_due_soon(modules):
    soon_only, both = learner("met"), learner("met")
    LearnerProfile.objects.filter(user__in=[soon_only, both]).update(optional_reminders=False)
    required(soon_only, modules[0], NOW + 2 * DAY)
    required(both, modules[0], NOW - 2 * DAY)
    required(both, modules[1], NOW + 2 * DAY)

    assert send() == services.ReminderRun(sent=1, skipped=1, failed=0)

    email = only_email(both.email)
    assert "Leadership: overdue" in email.body
    assert "Men's role" not in email.body  # the due-soon item they asked not to hear about
    assert "List-Unsubscribe" not in email.extra_headers
    assert "/reminders/stop/" not in email.body
    assert "http://127.0.0.1:8000/en-gb/my-learning/reminders/" in email.body


def test_each_email_names_only_its_own_learner(modules):
    first = learner("met", user__first_name="Alex", user__last_name="First")
    second = learner("met", user__first_name="Priya", user__last_name="Second")
    required(first, modules[0], NOW - DAY)
    required(second, modules[1], NOW + DAY)

    assert send().sent == 2

    email = only_email(first.email)
    text = email.body + email.alternatives[0][0] + str(email.extra_headers)
    assert "Priya" not in text and second.email not in text and "Men's role" not in text
    token = email.extra_headers["List-Unsubscribe"].strip("<>").rsplit("/", 2)[-2]
    assert services.reminder_stop_user_id(token) == first.pk


class FailingBackend(EmailBackend):
    """An email backend whose server refuses every message."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("The mail server refused the connection.")


def test_a_failed_send_keeps_no_record_and_the_next_run_retries(modules, settings):
    officer = learner("met")
    required(officer, modules[0], NOW - DAY)
    settings.EMAIL_BACKEND = "tests.courses.test_reminders.FailingBackend"

    assert send() == services.ReminderRun(sent=0, skipped=0, failed=1)
    assert not Reminder.objects.exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send(NOW + DAY).sent == 1
    assert len(mail.outbox) == 1


def test_reads_are_the_same_for_more_learners(modules):
    """No read per learner: per run a fixed number of SELECTs (live modules, forces, one per
    force); per email only the Reminder insert and its savepoint."""

    def selects(n, now, expected):
        for _ in range(n):
            required(learner("met"), modules[0], now - DAY)
            required(learner("gmp"), modules[1], now + DAY)
        with CaptureQueriesContext(connection) as queries:
            run = services.reminders_send(now=now)
        assert run.sent == expected
        return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]

    services.reminders_send(now=NOW - 30 * DAY)  # warms Wagtail's cached site root paths
    # The second week reminds the first week's learners again, and the new ones.
    assert len(selects(2, NOW, 4)) == len(selects(5, NOW + 7 * DAY, 14))


# --- the lead's digest -------------------------------------------------------------------------


def make_lead(*codes, email="lead@met.police.example", active=True):
    user = UserFactory(username=email, email=email, first_name="Jo", last_name="Lead")
    user.is_active = active
    user.save()
    lead = TrainingLead.objects.create(user=user)
    lead.forces.set([force(code) for code in codes])
    return lead


def test_lead_digest_counts_only_their_forces_once_a_week(modules):
    met = [learner("met", user__first_name=f"Metlearner{i}") for i in range(3)]
    required(met[0], modules[0], NOW - 5 * DAY)
    required(met[0], modules[1], NOW - DAY)  # one learner, two overdue modules
    required(met[1], modules[0], NOW - 2 * DAY)
    required(met[2], modules[1], NOW + 3 * DAY)  # due soon
    required(met[2], modules[0], NOW + 30 * DAY)  # neither
    required(learner("gmp"), modules[0], NOW - DAY)  # another force: not counted
    lead = make_lead("met")

    assert services.lead_digests_send(now=NOW) == services.ReminderRun(1, 0, 0)

    email = only_email(lead.user.email)
    assert (
        email.subject == "DA Matters: this week's required training for Metropolitan Police Service"
    )
    body = email.body
    assert "Learners with overdue required training: 2" in body
    assert "Learners with required training due in the next 7 days: 1" in body
    assert "Leadership: 2 overdue, 0 due soon" in body
    assert "Men's role: 1 overdue, 1 due soon" in body
    assert "Greater Manchester" not in body
    assert "http://127.0.0.1:8000/admin/force-dashboard/" in body
    for user in met:  # counts only: no learner's name or address
        assert user.first_name not in body + email.alternatives[0][0]
        assert user.email not in body + email.alternatives[0][0]
    assert Reminder.objects.get(user=lead.user).kind == ReminderKind.LEAD_DIGEST

    assert services.lead_digests_send(now=NOW + 2 * DAY) == services.ReminderRun(0, 1, 0)
    assert services.lead_digests_send(now=NOW + 5 * DAY).sent == 1  # Monday 14th


def test_lead_of_two_forces_gets_one_digest_with_both(modules):
    required(learner("gmp"), modules[0], NOW - DAY)
    lead = make_lead("met", "gmp")

    assert services.lead_digests_send(now=NOW).sent == 1

    body = only_email(lead.user.email).body
    assert "Greater Manchester Police" in body and "Metropolitan Police Service" in body
    assert "No one has required training overdue or due in the next 7 days." in body


def test_a_lead_digest_is_not_a_learner_reminder(modules):
    """A lead who is also a learner may get both in a week: the constraints are separate."""
    lead = make_lead("met")
    LearnerProfile.objects.create(user=lead.user, force=force("met"))
    required(lead.user, modules[0], NOW - DAY)

    call_command("send_reminders", "--now", NOW.isoformat(), stdout=StringIO())

    assert len([m for m in mail.outbox if m.to == [lead.user.email]]) == 2


def test_the_jobs_links_are_under_the_default_languages_prefix(modules, client):
    """Whatever language the calling thread was left in (a request under /cy/ here), the job
    reverses its links under the default language's prefix, and they open."""
    officer = learner("met")
    required(officer, modules[0], NOW - DAY)
    client.get("/cy/")  # leaves Welsh active in this thread

    call_command("send_reminders", "--now", NOW.isoformat(), stdout=StringIO())

    body = only_email(officer.email).body
    links = re.findall(r"http://127\.0\.0\.1:8000(/\S*)", body)
    assert {"/en-gb/my-learning/", "/en-gb/support/", modules[0].url} <= set(links)
    assert all(link.startswith("/en-gb/") for link in links), links
    client.force_login(officer)
    for link in links:
        assert client.get(link).status_code == 200, link


def test_no_digest_for_inactive_leads_or_leads_without_forces(db):
    make_lead("met", email="gone@met.police.example", active=False)
    make_lead(email="none@met.police.example")
    assert services.lead_digests_send(now=NOW) == services.ReminderRun(0, 1, 0)
    assert mail.outbox == []


def test_digest_counts_use_a_fixed_number_of_queries(modules, django_assert_num_queries):
    for code in ("met", "gmp", "kent"):
        required(learner(code), modules[0], NOW - DAY)
        make_lead(code, email=f"lead@{code}.police.example")
    # leads (+ their forces prefetched), the force counts, the module counts, the titles; then
    # per digest a savepoint, the Reminder insert and the savepoint's release.
    with django_assert_num_queries(5 + 3 * 3):
        assert services.lead_digests_send(now=NOW).sent == 3


def test_lead_group_membership_alone_gets_no_digest(db):
    from django.contrib.auth.models import Group

    user = UserFactory()
    user.groups.add(Group.objects.get(name=TRAINING_LEADS_GROUP))
    assert services.lead_digests_send(now=NOW) == services.ReminderRun(0, 0, 0)


# --- the job -----------------------------------------------------------------------------------


def test_command_runs_both_and_prints_counts(modules):
    required(learner("met"), modules[0], NOW - DAY)
    make_lead("met")
    out = StringIO()

    call_command("send_reminders", "--now", "2026-12-09T09:30", stdout=out)

    text = out.getvalue()
    assert "week starting Monday 07 December 2026" in text
    assert "Learner reminders: 1 sent, 0 skipped, 0 failed." in text
    assert "Lead digests: 1 sent, 0 skipped, 0 failed." in text
    out = StringIO()
    call_command("send_reminders", "--now", "2026-12-10T09:30", stdout=out)
    assert "Learner reminders: 0 sent, 1 skipped" in out.getvalue()
    assert len(mail.outbox) == 2


def test_command_refuses_a_bad_time(db):
    with pytest.raises(CommandError, match="not an ISO 8601 time"):
        call_command("send_reminders", "--now", "next tuesday", stdout=StringIO())


def test_command_fails_loudly_when_emails_fail(modules, settings):
    required(learner("met"), modules[0], NOW - DAY)
    settings.EMAIL_BACKEND = "tests.courses.test_reminders.FailingBackend"
    with pytest.raises(CommandError, match="next run tries again"):
        call_command("send_reminders", "--now", NOW.isoformat(), stdout=StringIO())


# --- stopping "due soon" reminders -------------------------------------------------------------


def stop_url(user) -> str:
    return reverse("courses:reminders_stop", args=[services.reminder_stop_token(user.pk)])


def optional(user) -> bool:
    return LearnerProfile.objects.get(user=user).optional_reminders


def test_get_asks_and_changes_nothing(client, db):
    officer = learner("met")
    response = client.get(stop_url(officer))
    assert response.status_code == 200
    assert 'Stop "due soon" reminders?' in response.text
    assert "still let you know" in response.text
    assert optional(officer)
    assert response["Cache-Control"].startswith("max-age=0")


def test_post_stops_and_says_how_to_turn_them_back_on(db):
    officer, other = learner("met"), learner("met")
    client = Client(enforce_csrf_checks=True)  # a mail program's POST: no cookie, no token

    response = client.post(stop_url(officer), {"reminders": "off"})

    assert response.status_code == 200
    assert '"Due soon" reminders stopped' in response.text
    assert reverse("courses:reminder_settings") in response.text
    assert not optional(officer) and optional(other)

    response = client.post(stop_url(officer), {"reminders": "on"})
    assert '"Due soon" reminders turned on' in response.text
    assert optional(officer)


def test_rfc_8058_one_click_post_stops_them(db):
    officer = learner("met")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        stop_url(officer),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not optional(officer)


class OldSigner(signing.TimestampSigner):
    """Signs as if it were 200 days ago."""

    def timestamp(self):
        return signing.b62_encode(int(time.time()) - 200 * 24 * 3600)


@pytest.mark.parametrize("kind", ["tampered", "expired", "not-a-learner", "wrong-salt"])
def test_bad_links_are_a_clear_400(client, db, kind):
    officer = learner("met")
    token = services.reminder_stop_token(officer.pk)
    if kind == "tampered":
        token = services.reminder_stop_token(officer.pk + 1)[:-3] + token[-3:]
    elif kind == "expired":
        token = OldSigner(salt=reminders._STOP_SALT).sign_object(officer.pk)
    elif kind == "not-a-learner":
        token = services.reminder_stop_token(UserFactory().pk)
    else:
        token = signing.dumps(officer.pk, salt="something else")
    url = reverse("courses:reminders_stop", args=[token])

    for response in (client.get(url), client.post(url, {"reminders": "off"})):
        assert response.status_code == 400
        assert "This link does not work" in response.text
        assert ("has expired" in response.text) == (kind == "expired")
    assert optional(officer)


def test_settings_page_turns_due_soon_off_and_on(client, db):
    officer = learner("met")
    client.force_login(officer)
    url = reverse("courses:reminder_settings")

    page = client.get(url)
    assert page.status_code == 200 and "These reminders are <strong>on</strong>" in page.text
    response = client.post(url, {"reminders": "off"}, follow=True)
    assert "You will no longer get &quot;due soon&quot; reminders." in response.text
    assert "These reminders are <strong>off</strong>" in response.text
    assert not optional(officer)
    client.post(url, {"reminders": "on"})
    assert optional(officer)


def test_settings_page_needs_sign_in_and_a_learner(client, db):
    url = reverse("courses:reminder_settings")
    assert client.get(url)["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_my_learning_links_to_the_choice(client, db):
    client.force_login(learner("met"))
    assert reverse("courses:reminder_settings") in client.get(reverse("courses:dashboard")).text


def test_reminders_keep_the_totals(modules):
    """Sending reads module rows and changes none: the force totals still match a recount."""
    from tests.courses.test_force_module_summary import counted, totals

    officer, other = learner("met"), learner("gmp")
    required(officer, modules[0], NOW - DAY, status=ProgressStatus.IN_PROGRESS, started_at=NOW)
    required(other, modules[1], NOW + DAY)
    required(
        other,
        modules[0],
        NOW - DAY,
        status=ProgressStatus.COMPLETED,
        completed_at=NOW,
        lessons_completed=3,
        score=90,
    )
    make_lead("met", "gmp")
    before = totals()

    call_command("send_reminders", "--now", NOW.isoformat(), stdout=StringIO())

    assert len(mail.outbox) == 3
    assert totals() == before == counted()


# --- at scale ----------------------------------------------------------------------------------


# Real commits, as cron runs it: each email's transaction commits while the force's rows are
# still being read. serialized_rollback restores the forces loaded by migration.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_commits_between_chunks_lose_and_repeat_no_one(home_page, monkeypatch):
    monkeypatch.setattr(reminders, "REMINDER_CHUNK_SIZE", 3)
    module = build_module_tree(home_page, title="Leadership", lessons=1).module
    officers = [learner("met") for _ in range(7)]
    for officer in officers:
        required(officer, module, NOW - DAY)

    assert services.reminders_send(now=NOW).sent == 7
    assert services.reminders_send(now=NOW).sent == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(o.email for o in officers)


def test_the_learner_query_uses_the_partial_due_index(modules):
    """The rows a run reads for a force come through moduleprogress_due_idx."""
    if connection.vendor != "postgresql":
        pytest.skip("The plan is PostgreSQL's.")
    required(learner("met"), modules[0], NOW - DAY)
    rows = reminders._due_rows(force_id=force("met").pk, horizon=NOW + 8 * DAY, week=MONDAY)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = rows.explain()
    assert "moduleprogress_due_idx" in plan, plan

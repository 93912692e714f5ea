"""Demo critical-mass figures: each demo force launched DA Matters six weeks ago and has
headcounts by role, so the evidence page shows a share under target with its pace.

The headcounts are round, plausible figures for the force's size (the Met several times any
other force), not any force's published establishment. A response-officer figure updated
part-way through the window shows the history. Idempotent: a force that already has a plan or
headcounts is left as it is, so running seed_demo again changes nothing."""

import datetime

from courses import services
from courses.models import CriticalMassPlan, Headcount, LearnerRole

LAUNCH_WEEKS_AGO = 6

# People in each role, by force size. Forces not named here get the "medium" figures.
SIZES = {
    "large": {  # the Metropolitan Police
        LearnerRole.RESPONSE_OFFICER: 9200,
        LearnerRole.PCSO: 1250,
        LearnerRole.CALL_HANDLER: 1600,
        LearnerRole.SUPERVISOR: 3100,
        LearnerRole.STAFF: 9800,
        LearnerRole.LEADER: 420,
    },
    "big": {  # the large metropolitan forces
        LearnerRole.RESPONSE_OFFICER: 2600,
        LearnerRole.PCSO: 520,
        LearnerRole.CALL_HANDLER: 700,
        LearnerRole.SUPERVISOR: 900,
        LearnerRole.STAFF: 3200,
        LearnerRole.LEADER: 140,
    },
    "medium": {
        LearnerRole.RESPONSE_OFFICER: 850,
        LearnerRole.PCSO: 160,
        LearnerRole.CALL_HANDLER: 230,
        LearnerRole.SUPERVISOR: 310,
        LearnerRole.STAFF: 1100,
        LearnerRole.LEADER: 45,
    },
}
FORCE_SIZE = {
    "met": "large",
    "gmp": "big",
    "west-midlands": "big",
    "west-yorkshire": "big",
    "merseyside": "big",
    "scotland": "big",
}


def seed(*, forces, now: datetime.datetime) -> None:
    """A plan launched LAUNCH_WEEKS_AGO weeks before `now` (default targets) and headcounts
    for every role of each force in `forces`: as of a week before launch, and response
    officers again three weeks after it."""
    today = now.date()
    launch = today - datetime.timedelta(weeks=LAUNCH_WEEKS_AGO)
    for force in forces:
        if not CriticalMassPlan.objects.filter(force=force).exists():
            plan = CriticalMassPlan(force=force)
            services.critical_mass_plan_save(
                force=force,
                launch_date=launch,
                first_responder_roles=list(plan.first_responder_roles),
                target_percent=plan.target_percent,
                window_days=plan.window_days,
                champion_target_percent=plan.champion_target_percent,
            )
        if Headcount.objects.filter(force=force).exists():
            continue
        figures = SIZES[FORCE_SIZE.get(force.code, "medium")]
        services.headcounts_set(
            force=force,
            as_of=launch - datetime.timedelta(days=7),
            counts={role.value: count for role, count in figures.items()},
            today=today,
        )
        # New starters after the spring intake: about 2% more response officers.
        services.headcount_set(
            force=force,
            role=LearnerRole.RESPONSE_OFFICER.value,
            count=round(figures[LearnerRole.RESPONSE_OFFICER] * 1.02),
            as_of=launch + datetime.timedelta(weeks=3),
            today=today,
        )

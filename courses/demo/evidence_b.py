"""Demo Champions: about one in twelve of each demo force's trained learners volunteers (at
least one where anyone is trained), through services.champion_volunteer, dated a few days
after they finished their pathway. Idempotent: a learner who is already a Champion keeps their
date, and a rerun on the same data makes nobody else a Champion."""

import datetime
import math

from courses import selectors, services

CHAMPION_EVERY = 12  # one Champion for every twelve trained learners, rounded up
DAYS_AFTER_TRAINED = 3


def seed(*, forces, now: datetime.datetime) -> int:
    """Make Champions among the trained learners of `forces`; return how many were made."""
    made = 0
    for force in forces:
        trained = list(
            selectors.trained_profiles(force=force).select_related("user").order_by("pk")
        )
        wanted = math.ceil(len(trained) / CHAMPION_EVERY)
        for profile in trained[:wanted]:
            if profile.champion_since is not None:
                continue
            when = min(now, profile.trained_at + datetime.timedelta(days=DAYS_AFTER_TRAINED))
            services.champion_volunteer(user=profile.user, now=when)
            made += 1
    return made

"""Reads about DA Matters Champions: a learner's own standing (for My learning), a force's
Champions against its target, and the list a force's lead organises them from.

Definitions (docs/evidence.md, "Champions"):
- a *Champion* is a learner whose profile has `champion_since` set: they volunteered after
  being trained (selectors.trained_profiles), and keep their job role;
- the *Champions share* counts a Champion only while they are trained and active, out of the
  force's trained learners (selectors.champions_share); the *target* is the plan's
  `champion_target_percent` of those trained, rounded up.
"""

import datetime
import math
from dataclasses import dataclass

from django.db.models import Exists, F, QuerySet

from courses.models import Force, LearnerProfile
from courses.selectors.dashboard import force_learners
from courses.selectors.evidence import champions_share, critical_mass_plan, trained_profiles


@dataclass(frozen=True)
class LearnerChampion:
    """A learner's own standing: whether they are trained (and so may volunteer), and since
    when they have been a Champion (None if they are not one)."""

    trained: bool
    champion_since: datetime.datetime | None


def learner_champion(user) -> LearnerChampion | None:
    """The signed-in learner's standing, or None for an account without a learner profile.
    One query (whether they are trained is a subquery of the profile's read)."""
    if not user.is_authenticated:
        return None
    row = (
        LearnerProfile.objects.filter(user_id=user.pk)
        .annotate(trained=Exists(trained_profiles(force=None, user_id=user.pk)))
        .values("trained", "champion_since")
        .first()
    )
    return LearnerChampion(**row) if row else None


@dataclass(frozen=True)
class ChampionsSummary:
    """A force's Champions against its target (counts only: nobody is named)."""

    champions: int  # Champions who are trained and active
    trained: int  # active learners of the force who are trained
    share: float | None  # champions / trained, per cent (one decimal); None with nobody trained
    target_percent: int  # the plan's champion_target_percent
    target: int  # Champions wanted: target_percent of those trained, rounded up
    still_needed: int  # how many more Champions would meet the target (never below 0)


def champions_summary(*, force: Force) -> ChampionsSummary:
    """The force's Champions share and its target. Three queries (the plan, and the two of
    selectors.champions_share)."""
    plan = critical_mass_plan(force=force)
    share = champions_share(force=force)
    trained = share.whole or 0
    target = math.ceil(trained * plan.champion_target_percent / 100)
    return ChampionsSummary(
        champions=share.part,
        trained=trained,
        share=share.share,
        target_percent=plan.champion_target_percent,
        target=target,
        still_needed=max(0, target - share.part),
    )


def force_champions(*, force: Force, team: str | None = None) -> QuerySet[dict]:
    """The force's Champions (active accounts), for its lead: dicts with the profile `id`,
    names, email, role, team and `champion_since`, by name. Optionally one team's only (an
    exact match). Learner data: callers must have taken `force` from lead_forces(user).
    One query per page (plus the count)."""
    champions = force_learners(force=force).filter(champion_since__isnull=False)
    if team is not None:
        champions = champions.filter(team=team)
    return champions.values(
        "id",
        "role",
        "team",
        "champion_since",
        first_name=F("user__first_name"),
        last_name=F("user__last_name"),
        email=F("user__email"),
    ).order_by("user__last_name", "user__first_name", "id")


def force_champion_teams(*, force: Force) -> list[str]:
    """The teams the force's Champions are in (blank teams left out), sorted: the choices of
    the list's team filter. One query."""
    return list(
        force_learners(force=force)
        .filter(champion_since__isnull=False)
        .exclude(team="")
        .order_by("team")
        .values_list("team", flat=True)
        .distinct()
    )


def force_champion(*, force: Force, profile_id: int) -> LearnerProfile | None:
    """One learner of the force by profile id (left or not), or None if the force has no such
    learner: the lead's handle on a learner whose Champion status they clear. One query."""
    return (
        LearnerProfile.objects.select_related("user", "force")
        .filter(force=force, pk=profile_id)
        .first()
    )

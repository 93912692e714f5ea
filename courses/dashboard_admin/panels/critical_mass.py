"""The evidence page's critical-mass panel: a bar from 0 to 100% of first responders trained
with the target marked, the deadline, the pace needed against the current pace and the date
the current pace reaches the target, the per-role table, and the national median and
interquartile range beside the share. Leads of the force get links to change the plan and the
headcounts (courses.evidence_admin). Eight queries: the figures (3), the benchmark (4),
whether the user leads the force (1)."""

from django.urls import reverse
from django.utils import timezone

from courses import selectors

BAR_X = 0
BAR_WIDTH = 600


def panel(*, force, now, request) -> dict | None:
    day = timezone.localdate(now)
    cm = selectors.critical_mass(force=force, day=day)
    benchmark = selectors.critical_mass_benchmark(day=day)
    is_lead = selectors.lead_forces(request.user).filter(pk=force.pk).exists()
    share = cm.share or 0.0

    def x(percent: float | None) -> float | None:
        return None if percent is None else round(BAR_X + BAR_WIDTH * min(percent, 100) / 100, 1)

    return {
        "template": "courses/admin/dashboard/panels/critical_mass.html",
        "cm": cm,
        "benchmark": benchmark,
        "bar": {
            "width": BAR_WIDTH,
            "filled": x(share),
            "target": x(cm.target_percent),
            "median": x(benchmark.median),
            "lower": x(benchmark.lower_quartile),
            "upper": x(benchmark.upper_quartile),
        },
        "plan_url": reverse("force_dashboard:evidence_plan", args=[force.code]) if is_lead else "",
        "headcounts_url": (
            reverse("force_dashboard:evidence_headcounts", args=[force.code]) if is_lead else ""
        ),
    }

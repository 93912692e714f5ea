"""The evidence page's Champions panel: the force's Champions out of those trained, a bar
against the target share with the national median and interquartile range beside it, and the
same numbers in a table. Counts only; the list of names is linked for the force's leads."""

import math

from django.utils import timezone

from courses import selectors

TRACK_X = 20  # the chart's scale starts here and is TRACK_WIDTH long
TRACK_WIDTH = 560


def _scale(*figures: float | None) -> int:
    """The chart's top, in per cent: room for the largest figure, in steps of 10, 20 to 100."""
    largest = max((f for f in figures if f is not None), default=0)
    return min(100, max(20, math.ceil(largest * 1.25 / 10) * 10))


def _step(top: int) -> int:
    return 5 if top <= 20 else 10 if top <= 50 else 20


def _x(percent: float, top: int) -> float:
    return round(TRACK_X + TRACK_WIDTH * min(percent, top) / top, 1)


def panel(*, force, now, request) -> dict | None:
    """Three queries for the force's figures, four for the national benchmark."""
    summary = selectors.champions_summary(force=force)
    national = selectors.champions_benchmark(day=timezone.localdate(now))
    top = _scale(summary.share, summary.target_percent, national.upper_quartile)
    chart = {
        "top": top,
        "track_x": TRACK_X,
        "track_width": TRACK_WIDTH,
        "track_end": TRACK_X + TRACK_WIDTH,
        "bar_width": _x(summary.share or 0, top) - TRACK_X,
        "target_x": _x(summary.target_percent, top),
        "ticks": [{"x": _x(p, top), "label": f"{p}%"} for p in range(0, top + 1, _step(top))],
    }
    if national.available:
        chart["iqr_x"] = _x(national.lower_quartile, top)
        chart["iqr_width"] = _x(national.upper_quartile, top) - chart["iqr_x"]
        chart["median_x"] = _x(national.median, top)
    return {
        "template": "courses/admin/dashboard/panels/champions.html",
        "summary": summary,
        "national": national,
        "chart": chart,
    }

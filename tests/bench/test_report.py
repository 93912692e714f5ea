"""bench.report's PASS/MISS lines: each target of issue 24 judged on the run's own figures."""

from bench import run
from bench.report import delivery_rows, health_check_rows, targets
from bench.scenarios import (
    BARE,
    COMPLETIONS,
    DELIVERY,
    FLOOR,
    LESSON,
    PLAIN_PAGE,
    PROGRESS,
    SUMMARY,
)


def result(per_second, *, bare=1000.0, errors=0, median_ms=5.0):
    return {
        "throughput": {"ok_per_second": per_second, "errors": errors},
        "latency": {"errors": 0, "median_ms": median_ms},
        "bare": bare,
    }


def export(growth_mb):
    return {"status": 200, "peak_growth_mb": growth_mb}


def a_run(**overrides):
    results = {
        BARE: result(1000.0, bare=None),
        FLOOR: result(1000.0),
        PROGRESS: result(500.0),
        DELIVERY: result(460.0),
        PLAIN_PAGE: result(200.0),
        LESSON: result(320.0),
        SUMMARY: result(10.0, median_ms=40.0),
        COMPLETIONS: result(10.0, median_ms=15.0),
    }
    results.update(overrides)
    return {
        "results": results,
        "delivery": {"plain": [result(500.0), result(500.0)], "on": [result(460.0)] * 2},
        "exports": {"met": export(20.0), "rutland": export(10.0)},
        "queries": {
            "summary": {"met": 3, "rutland": 3},
            "completions page": {"met": 4, "rutland": 4},
        },
    }


def judged(run_figures):
    return [
        (label.rsplit(" (", 1)[0], met)
        for label, met in targets({"small_force": "rutland"}, run_figures)
    ]


def test_every_target_passes_on_figures_that_meet_it():
    checks = targets({"small_force": "rutland"}, a_run())
    assert len(checks) == 9
    assert all(met for _, met in checks)


def test_ratios_are_taken_against_the_bare_view_measured_next_to_each_scenario():
    # Half the bare view's speed while the lesson page ran: its 160/s count as 320/s would.
    figures = a_run(**{LESSON: result(160.0, bare=500.0)})
    labels = dict(judged(figures))
    assert labels["lesson page 1.60 x the plain Wagtail page"]
    assert labels["lesson page 0.32 of the bare view"]


def test_each_shortfall_is_a_miss():
    figures = a_run(
        **{
            PROGRESS: result(440.0, errors=1),
            LESSON: result(280.0),
            SUMMARY: result(10.0, median_ms=50.0),
        }
    )
    figures["exports"]["met"] = export(30.0)
    figures["delivery"] = {"plain": [result(440.0)] * 2, "on": [result(390.0)] * 2}
    figures["queries"]["summary"]["met"] = 4
    missed = [label for label, met in judged(figures) if not met]
    assert missed == [
        "progress POST 440 events/s, 1 errors",
        "progress POST 0.44 of the 'signed-in POST + 1 INSERT' floor",
        "progress POST with LRS delivery on 0.89 of the plain progress POST, 0 errors",
        "lesson page 1.40 x the plain Wagtail page",
        f"{SUMMARY} median 50.0 ms",
        "CSV export in constant memory: met +30.0 MB, rutland +10.0 MB",
        "query counts of the reports equal for the largest and smallest force",
    ]


def test_a_partial_run_judges_only_what_ran():
    figures = {"results": {BARE: result(1000.0, bare=None)}, "exports": {}, "queries": {}}
    assert targets({"small_force": "rutland"}, figures) == []


def test_quick_is_a_small_short_run():
    args = run.arguments(["--quick", "--conn-health-checks", "both"])
    assert args.learners == run.QUICK["learners"]
    assert args.duration == run.QUICK["duration"]
    assert args.conn_health_checks == "both"


def test_health_checks_cost_is_the_ratio_of_the_two_servers_ratios_to_bare():
    pairs = {PROGRESS: {"on": result(450.0, bare=1000.0), "off": result(250.0, bare=500.0)}}
    [row] = health_check_rows(pairs)
    # 0.45 of bare with checks, 0.50 without: checks cost a tenth, whatever each bare was.
    assert row == f"| {PROGRESS} | 450 | 0.45 | 250 | 0.50 | 0.90 |"


def test_only_runs_the_named_scenarios_and_always_the_bare_view():
    args = run.arguments(["--only", "lesson", "csv"])
    assert [name for name in (BARE, PROGRESS, LESSON, "csv") if run.chosen(args, name)] == [
        BARE,
        LESSON,
        "csv",
    ]
    assert run.chosen(run.arguments([]), PROGRESS)


def test_lrs_delivery_is_judged_on_the_alternated_runs_each_to_its_own_bare_view():
    # Plain: 0.50 and 0.40 of their bare views; on: 0.45 and 0.36. A tenth less: a pass,
    # although the first run with delivery on is faster than the last plain one.
    pair = {
        "plain": [result(500.0, bare=1000.0), result(200.0, bare=500.0)],
        "on": [result(225.0, bare=500.0), result(360.0, bare=1000.0)],
    }
    labels = dict(judged(a_run() | {"delivery": pair}))
    assert labels["progress POST with LRS delivery on 0.90 of the plain progress POST, 0 errors"]
    rows = delivery_rows(pair)
    assert rows[0] == f"| 1 | {PROGRESS} | 500 | 1000 | 0.500 |"
    assert rows[1] == f"| 2 | {DELIVERY} | 225 | 500 | 0.450 |"
    assert rows[3] == f"| 4 | {PROGRESS} | 200 | 500 | 0.400 |"


def test_errors_with_delivery_on_are_a_miss():
    pair = {"plain": [result(500.0)] * 2, "on": [result(480.0, errors=2), result(480.0)]}
    assert not dict(judged(a_run() | {"delivery": pair}))[
        "progress POST with LRS delivery on 0.96 of the plain progress POST, 2 errors"
    ]


def test_lrs_delivery_is_not_judged_when_it_did_not_run():
    figures = a_run()
    del figures["delivery"]
    assert not any("delivery" in label for label, _ in judged(figures))


def test_each_round_of_delivery_runs_is_shown_in_the_order_it_ran():
    pair = {
        "plain": [result(100.0 + n) for n in range(4)],
        "on": [result(200.0 + n) for n in range(4)],
    }
    rows = delivery_rows(pair)
    assert [row.split(" | ")[2] for row in rows] == [
        "100",
        "200",
        "201",
        "101",
        "102",
        "202",
        "203",
        "103",
    ]
    assert run.arguments(["--delivery-rounds", "3"]).delivery_rounds == 3

"""The printed report: the machine, the scenarios' table, CPU per request, the CSV exports,
query counts, CONN_HEALTH_CHECKS' cost, and one PASS/MISS line per target of issue 24 (and
issue 28's: the progress POST with xAPI delivery on)."""

import json

from bench.prepare import LARGEST_FORCE
from bench.scenarios import (
    BARE,
    COMPLETIONS,
    DELIVERY,
    FLOOR,
    LESSON,
    PLAIN_PAGE,
    PROGRESS,
    SUMMARY,
    events_per_request,
)

PROGRESS_MIN_PER_SECOND, PROGRESS_MIN_OF_FLOOR = 450, 0.45
# Queueing each event for the force's LRS may cost the progress POST at most a tenth.
DELIVERY_MIN_OF_PROGRESS = 0.90
LESSON_MIN_OF_PLAIN_PAGE, LESSON_MIN_OF_BARE = 1.5, 0.15
SUMMARY_MAX_MEDIAN_MS, COMPLETIONS_MAX_MEDIAN_MS = 50, 20
CSV_MAX_EXTRA_MB = 16  # the largest export may grow its worker this much more than a tiny one


def to_bare(result: dict, bare: float) -> float:
    """Throughput over the bare view's measured just before (`bare` for the bare view)."""
    return result["throughput"]["ok_per_second"] / (result["bare"] or bare or 1)


def table(rows: list[str], header: str) -> None:
    print(header)
    print("| --- " + "| ---: " * (header.count("|") - 2) + "|")
    for row in rows:
        print(row)
    print()


def machine_lines(args, machine: dict) -> None:
    print()
    print(
        f"Machine: {machine['cpus']} CPUs, {machine['ram_gb']} GB RAM, PostgreSQL "
        f"{machine['postgresql']} (autovacuum {machine['autovacuum']}; the bench vacuums the "
        f"tables progress writes before each scenario), Python {machine['python']}; database "
        f"{machine['database_size']} ({machine['learners']:,} learners, "
        f"{machine['progress_rows']:,} progress rows; {LARGEST_FORCE}: "
        f"{machine['largest_force_learners']:,} learners, {machine['largest_force_rows']:,} rows)."
    )
    print(
        f"gunicorn: {args.workers} gthread workers x {args.threads} threads; load: "
        f"{args.concurrency} keep-alive clients, {args.duration:g} s measured after "
        f"{args.warmup:g} s warm-up; latency with 1 client for {args.latency_duration:g} s."
    )
    print()


def scenario_rows(results: dict) -> list[str]:
    bare = results[BARE]["throughput"]["ok_per_second"]
    rows = []
    for name, result in results.items():
        t, lat = result["throughput"], result["latency"]
        errors = t["errors"] + lat["errors"]
        detail = " " + json.dumps({**t["statuses"], **lat["statuses"]}) if errors else ""
        events = t["ok_per_second"] * events_per_request(name)
        events_cell = f"{events:.0f}" if name.startswith(PROGRESS) else ""
        bare_cell = f"{result['bare']:.0f}" if result["bare"] else ""
        rows.append(
            f"| {name} | {t['ok_per_second']:.0f} | {bare_cell} | {to_bare(result, bare):.2f} | "
            f"{events_cell} | {errors}{detail} | {lat['median_ms'] or 0:.1f} | "
            f"{lat['p95_ms'] or 0:.1f} |"
        )
    return rows


def cpu_rows(results: dict, cpus: int) -> list[str]:
    rows = []
    for name, result in results.items():
        cpu = result["throughput"]["cpu_ms"]
        total = sum(cpu.values())
        ceiling = cpus * 1000 / total if total else 0
        rows.append(
            f"| {name} | {cpu['app']:.2f} | {cpu['database']:.2f} | {cpu['redis']:.2f} | "
            f"{cpu['load']:.2f} | {total:.2f} | {ceiling:.0f} |"
        )
    return rows


def export_rows(exports: dict) -> list[str]:
    return [
        f"| {force} (HTTP {e['status']}) | {e['rows']:,} | {e['megabytes']:.1f} | "
        f"{e['seconds']:.1f} | {e['rows_per_second']:,.0f} | {e['rss_before_mb']:.0f} MB | "
        f"{e['peak_growth_mb']:.1f} MB |"
        for force, e in exports.items()
    ]


def health_check_rows(pairs: dict) -> list[str]:
    rows = []
    for name, pair in pairs.items():
        on, off = pair["on"], pair["off"]
        rows.append(
            f"| {name} | {on['throughput']['ok_per_second']:.0f} | {to_bare(on, 0):.2f} | "
            f"{off['throughput']['ok_per_second']:.0f} | {to_bare(off, 0):.2f} | "
            f"{to_bare(on, 0) / (to_bare(off, 0) or 1):.2f} |"
        )
    return rows


def report(args, data: dict, run: dict) -> None:
    results, exports = run["results"], run["exports"]
    machine = data["machine"]
    machine_lines(args, machine)
    print(
        "Each ratio is to the bare view's throughput in a short run just before the scenario "
        "(its own column)."
    )
    print()
    table(
        scenario_rows(results),
        "| scenario | req/s | bare view just before, req/s | ratio to bare | events/s | errors "
        "| median ms (1 client) | p95 ms (1 client) |",
    )
    print(f"CPU time per request, in ms, during the throughput runs ({machine['cpus']} cores).")
    print()
    table(
        cpu_rows(results, machine["cpus"]),
        "| scenario | app (gunicorn) | PostgreSQL and the rest | Redis | load generator | total "
        "| ceiling/s |",
    )
    if exports:
        table(
            export_rows(exports),
            "| CSV export | rows | MB | seconds | rows/s | worker RSS before | peak growth |",
        )
    if run["queries"]:
        forces = list(next(iter(run["queries"].values())))
        table(
            [
                f"| {row} | " + " | ".join(str(c[f]) for f in forces) + " |"
                for row, c in run["queries"].items()
            ],
            "| queries per request | " + " | ".join(forces) + " |",
        )
    if run["health_checks"]:
        print("CONN_HEALTH_CHECKS: the same scenarios on a server with and without it.")
        print()
        table(
            health_check_rows(run["health_checks"]),
            "| scenario | with checks, req/s | ratio to bare | without, req/s | ratio to bare "
            "| with / without |",
        )
    if run.get("delivery"):
        print(
            "The progress POST with and without LRS delivery, alternated (each run's ratio is "
            "to the bare view just before it):"
        )
        print()
        table(
            delivery_rows(run["delivery"]),
            "| run | scenario | req/s | bare view just before, req/s | ratio to bare |",
        )
        print(f"Delivery on / plain: {delivery_share(run['delivery']):.2f}")
        print()
    for label, met in targets(data, run):
        print(f"{'PASS' if met else 'MISS'}  {label}")


def progress_targets(results: dict, bare: float) -> list[tuple[str, bool]]:
    if PROGRESS not in results:
        return []
    progress = results[PROGRESS]
    events = progress["throughput"]["ok_per_second"]
    errors = progress["throughput"]["errors"] + progress["latency"]["errors"]
    checks = [
        (
            f"progress POST {events:.0f} events/s, {errors} errors "
            f"(>= {PROGRESS_MIN_PER_SECOND}, none)",
            events >= PROGRESS_MIN_PER_SECOND and not errors,
        )
    ]
    if FLOOR in results:
        share = to_bare(progress, bare) / (to_bare(results[FLOOR], bare) or 1)
        checks.append(
            (
                f"progress POST {share:.2f} of the '{FLOOR}' floor (>= {PROGRESS_MIN_OF_FLOOR})",
                share >= PROGRESS_MIN_OF_FLOOR,
            )
        )
    return checks


def delivery_share(pair: dict) -> float:
    """Delivery on over the plain progress POST: the mean of each side's ratios to the bare
    view measured just before each run (the runs alternate A B B A)."""

    def mean_to_bare(runs: list[dict]) -> float:
        return sum(to_bare(run, 0) for run in runs) / len(runs)

    return mean_to_bare(pair["on"]) / (mean_to_bare(pair["plain"]) or 1)


def delivery_rows(pair: dict) -> list[str]:
    """One row per run, in the order they ran: A B B A per round."""
    order = [
        (side, 2 * round_number + index)
        for round_number in range(len(pair["plain"]) // 2)
        for side, index in (("plain", 0), ("on", 0), ("on", 1), ("plain", 1))
    ]
    rows = []
    for number, (side, index) in enumerate(order, start=1):
        run = pair[side][index]
        name = DELIVERY if side == "on" else PROGRESS
        rows.append(
            f"| {number} | {name} | {run['throughput']['ok_per_second']:.0f} | "
            f"{run['bare'] or 0:.0f} | {to_bare(run, 0):.3f} |"
        )
    return rows


def delivery_targets(pair: dict) -> list[tuple[str, bool]]:
    """The progress POST with LRS delivery on against the plain one (A B B A)."""
    if not pair:
        return []
    errors = sum(run["throughput"]["errors"] + run["latency"]["errors"] for run in pair["on"])
    share = delivery_share(pair)
    return [
        (
            f"progress POST with LRS delivery on {share:.2f} of the plain progress POST, "
            f"{errors} errors (>= {DELIVERY_MIN_OF_PROGRESS:.2f}, none)",
            share >= DELIVERY_MIN_OF_PROGRESS and not errors,
        )
    ]


def lesson_targets(results: dict, bare: float) -> list[tuple[str, bool]]:
    if LESSON not in results:
        return []
    lesson = to_bare(results[LESSON], bare)
    checks = []
    if PLAIN_PAGE in results:
        times = lesson / (to_bare(results[PLAIN_PAGE], bare) or 1)
        checks.append(
            (
                f"lesson page {times:.2f} x the {PLAIN_PAGE} (>= {LESSON_MIN_OF_PLAIN_PAGE})",
                times >= LESSON_MIN_OF_PLAIN_PAGE,
            )
        )
    checks.append(
        (
            f"lesson page {lesson:.2f} of the bare view (>= {LESSON_MIN_OF_BARE})",
            lesson >= LESSON_MIN_OF_BARE,
        )
    )
    return checks


def report_targets(data: dict, run: dict) -> list[tuple[str, bool]]:
    results, exports, checks = run["results"], run["exports"], []
    for name, limit in ((SUMMARY, SUMMARY_MAX_MEDIAN_MS), (COMPLETIONS, COMPLETIONS_MAX_MEDIAN_MS)):
        if name in results:
            median = results[name]["latency"]["median_ms"] or 0
            ok = median < limit and not results[name]["latency"]["errors"]
            checks.append((f"{name} median {median:.1f} ms (< {limit} ms)", ok))
    if exports:
        big, small = exports[LARGEST_FORCE], exports[data["small_force"]]
        # Constant memory: the largest export grows its worker no more than a tiny one does,
        # give or take CSV_MAX_EXTRA_MB, although it sends many times the rows.
        checks.append(
            (
                f"CSV export in constant memory: {LARGEST_FORCE} +{big['peak_growth_mb']:.1f} MB, "
                f"{data['small_force']} +{small['peak_growth_mb']:.1f} MB "
                f"(within {CSV_MAX_EXTRA_MB} MB of each other)",
                big["status"] == 200
                and big["peak_growth_mb"] <= small["peak_growth_mb"] + CSV_MAX_EXTRA_MB,
            )
        )
    if run["queries"]:
        # The managers' reports are where a force's size could show; a learner's pages read
        # that learner's rows only (shown in the table, not judged here).
        flat = all(
            len(set(run["queries"][row].values())) == 1 for row in ("summary", "completions page")
        )
        checks.append(
            ("query counts of the reports equal for the largest and smallest force", flat)
        )
    return checks


def targets(data: dict, run: dict) -> list[tuple[str, bool]]:
    """(label with the figure, met) for each target whose scenarios ran."""
    bare = run["results"][BARE]["throughput"]["ok_per_second"]
    return [
        *progress_targets(run["results"], bare),
        *delivery_targets(run.get("delivery") or {}),
        *lesson_targets(run["results"], bare),
        *report_targets(data, run),
    ]

"""`make bench`: the national-scale benchmark, in one command, bounded in time.

1. Uses a PostgreSQL benchmark database (BENCH_DATABASE_URL, created if missing), migrates it
   and tops it up with `seed_scale` to --learners learners (an already-seeded one is reused).
2. Starts the app under gunicorn with production settings (bench/settings.py adds only the
   reference views and a stock Wagtail page type) on a free loopback port, with Redis for the
   cache, the rate limits and the sessions as deployed (BENCH_CACHE_URL).
3. Drives each scenario from a separate load-generator process (bench/load.py): first at
   --concurrency for throughput, then with one client for latency. Every ratio is against the
   bare view measured again just before that scenario, in the same run: a shared host's speed
   can move by several times within minutes, and then moves both figures together. Right
   after the plain progress POST, its requests run twice while the learners' forces deliver
   to an LRS (bench/delivery.py: each event's outbox row is written, nothing is sent), then
   once more without: A B B A, so that a drift weighs on both sides alike.
4. Reads from /proc how much CPU time the app, Redis, the load generator and the rest of the
   machine (PostgreSQL, mostly) used per request in each throughput run.
5. Streams the largest force's CSV export and a small force's, reading the serving worker's
   peak memory; counts queries per request for the largest and the smallest force.
6. With --conn-health-checks both, runs the progress POST and the lesson page again on a
   server with CONN_HEALTH_CHECKS on and on one with it off, and prints the ratio.
7. Prints the tables and one PASS/MISS line per target.

    .venv/bin/python bench/run.py [--quick] [--learners 270000] [--conn-health-checks both]

Never point it at a test database: it writes sessions and API keys.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: bench.*

from bench import measure, prepare, server  # noqa: E402
from bench.delivery import lrs_delivery  # noqa: E402
from bench.queries import query_counts  # noqa: E402
from bench.report import report  # noqa: E402
from bench.scenarios import BARE, DELIVERY, LESSON, PROGRESS, scenarios  # noqa: E402

SESSIONS = 2000
BARE_NEARBY_SECONDS = 4.0  # the bare view measured again just before each scenario
QUICK = {"learners": 2000, "duration": 2.0, "warmup": 0.5, "latency_duration": 1.0}
HEALTH_CHECK_SCENARIOS = (PROGRESS, LESSON)


def arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=270_000)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per run")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--latency-duration", type=float, default=4.0)
    parser.add_argument("--concurrency", type=int, default=16)
    # One process per core, eight threads each: on the 2-core machine this served more
    # progress events a second than 2 x cores processes of 4 threads, with less CPU per event.
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--delivery-rounds",
        type=int,
        default=1,
        help="rounds of plain, delivery on, delivery on, plain for the LRS delivery ratio; "
        "more rounds give a steadier figure on a busy machine",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="WORD",
        help="run only the scenarios whose names contain one of these words (the bare view "
        "always runs; 'csv' runs the exports, 'queries' the query counts); for trying a "
        "change, not for the record",
    )
    parser.add_argument(
        "--conn-health-checks",
        choices=("settings", "on", "off", "both"),
        default="settings",
        help="CONN_HEALTH_CHECKS for the app server: as the settings say, on, or off; 'both' "
        "runs as the settings say and then the progress POST and lesson page scenarios with "
        "it on and off, and prints the ratio",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"a smoke run: {QUICK['learners']:,} learners and "
        f"{QUICK['duration']:g} s runs (figures not for the record)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        vars(args).update(QUICK)
    return args


def chosen(args, name: str) -> bool:
    return not args.only or name == BARE or any(word in name for word in args.only)


def run_scenario(args, port: int, app, requests: list[dict], bare: list[dict] | None) -> dict:
    """One scenario on a freshly vacuumed database and an empty cache: the bare view just
    before it (unless it is the bare view), throughput with CPU per request, then latency."""
    base = {"host": "127.0.0.1", "port": port, "requests": requests}
    prepare.vacuum()
    prepare.clear_cache()
    nearby = None
    if bare is not None:
        nearby = measure.load(
            {
                **base,
                "requests": bare,
                "concurrency": args.concurrency,
                "warmup": 1.0,
                "duration": BARE_NEARBY_SECONDS,
            }
        )["ok_per_second"]
    before = measure.cpu_snapshot(app)
    throughput = measure.load(
        {**base, "concurrency": args.concurrency, "warmup": args.warmup, "duration": args.duration}
    )
    after = measure.cpu_snapshot(app)
    # Per request, warm-up included: where the machine's cores go.
    throughput["cpu_ms"] = measure.cpu_per_request(before, after, throughput["all_requests"])
    latency = measure.load(
        {**base, "concurrency": 1, "warmup": 0.5, "duration": args.latency_duration}
    )
    return {"throughput": throughput, "latency": latency, "bare": nearby}


def delivery_pair(args, port: int, app, every: dict, data: dict, plain_first: dict) -> dict:
    """The progress POST with LRS delivery on against the plain one, in the order A B B A
    (--delivery-rounds times): the plain run just measured, two runs with the learners'
    forces delivering (bench/delivery.py), then the plain one again. A drift over the four
    (the database's cache warming, a neighbour's load) then weighs on both sides alike: the
    run measured second is otherwise favoured."""
    users = [session["user"] for session in data["sessions"]]
    pair: dict[str, list] = {"plain": [], "on": []}
    for round_number in range(args.delivery_rounds):
        first = plain_first if round_number == 0 else None
        first = first or run_scenario(args, port, app, every[PROGRESS], every[BARE])
        with lrs_delivery(users):
            on = [run_scenario(args, port, app, every[DELIVERY], every[BARE]) for _ in "BB"]
        last = run_scenario(args, port, app, every[PROGRESS], every[BARE])
        pair["plain"] += [first, last]
        pair["on"] += on
    return pair


def main_pass(args, env: dict, data: dict) -> dict:
    every = scenarios(data)
    app, port = server.start(env, args.workers, args.threads)
    try:
        results, pair = {}, {}
        for name in every:
            # Delivery is measured against the plain progress POST, or not at all.
            if not chosen(args, name) or (name == DELIVERY and PROGRESS not in results):
                continue
            if name == DELIVERY:
                pair = delivery_pair(args, port, app, every, data, results[PROGRESS])
                results[name] = pair["on"][0]  # the table's row: the first run with delivery
            else:
                bare = None if name == BARE else every[BARE]
                results[name] = run_scenario(args, port, app, every[name], bare)
            ok = results[name]["throughput"]["ok_per_second"]
            print(f"  {name}: {ok:.0f}/s", file=sys.stderr)
        prepare.clear_cache()
        exports = {}
        if chosen(args, "csv"):
            for force in (prepare.LARGEST_FORCE, data["small_force"]):
                exports[force] = measure.csv_export(port, data["keys"][0], force, app)
    finally:
        server.stop(app)
    return {"results": results, "exports": exports, "delivery": pair}


def health_check_pairs(args, env: dict, data: dict) -> dict:
    """The progress POST and the lesson page on a server with CONN_HEALTH_CHECKS on, then on
    one with it off; each against the bare view measured just before it on the same server."""
    every = scenarios(data)
    pairs: dict[str, dict] = {name: {} for name in HEALTH_CHECK_SCENARIOS}
    for side, value in (("on", "True"), ("off", "False")):
        app, port = server.start({**env, "CONN_HEALTH_CHECKS": value}, args.workers, args.threads)
        try:
            for name in HEALTH_CHECK_SCENARIOS:
                pairs[name][side] = run_scenario(args, port, app, every[name], every[BARE])
                ok = pairs[name][side]["throughput"]["ok_per_second"]
                print(f"  {name}, health checks {side}: {ok:.0f}/s", file=sys.stderr)
        finally:
            server.stop(app)
    return pairs


def main(argv=None) -> None:
    args = arguments(argv)
    database_url = os.environ.get("BENCH_DATABASE_URL", prepare.DEFAULT_URL)
    cache_url = os.environ.get("BENCH_CACHE_URL", prepare.DEFAULT_CACHE_URL)
    env = prepare.environment(database_url, cache_url)
    if args.conn_health_checks in ("on", "off"):
        env["CONN_HEALTH_CHECKS"] = str(args.conn_health_checks == "on")
    os.environ.update(env)
    prepare.create_database(database_url)
    data = prepare.prepare(args.learners, SESSIONS)
    run = main_pass(args, env, data)
    run["queries"] = query_counts(data) if chosen(args, "queries") else {}
    run["health_checks"] = (
        health_check_pairs(args, env, data) if args.conn_health_checks == "both" else {}
    )
    report(args, data, run)


if __name__ == "__main__":
    main()

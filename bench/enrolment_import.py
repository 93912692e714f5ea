"""How long a force's HR file takes to import, and whether memory grows with the file
(services.enrolment_import_create and enrolment_import_apply, as the lead's upload runs them).

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import \\
        .venv/bin/python bench/enrolment_import.py [--rows 40000]

On a database created with `createdb` (migrated here), it imports a file of --rows learners
(a fifth of them PCSOs, enrolled on a one-module pathway) and times the preview and the
apply, then imports the same file again (every row unchanged). Then it applies a file of
2,000 rows (one chunk) and one of 20,000 under tracemalloc and compares their peaks.
Targets (PASS/MISS): each apply of --rows under 60 s; the 20,000-row peak under 2.5 times
the 2,000-row peak (what grows is the set of addresses seen, about 0.2 MB per 1,000 rows;
the file is read and written in chunks).
Never point it at a real database: it adds learners to the Met.
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files import File  # noqa: E402
from django.core.management import call_command  # noqa: E402
from wagtail.models import Site  # noqa: E402

from courses import services  # noqa: E402
from courses.models import (  # noqa: E402
    Force,
    ForceEmailDomain,
    ModulePage,
    Pathway,
    PathwayStep,
    ProgrammePage,
)

HEADER = "email,name,role,staff_number,team,start_date\n"
ROLES = ["PCSO", "Response officer", "call handler", "Police staff", "supervisor"]
APPLY_TARGET_SECONDS = 60
MEMORY_TARGET_RATIO = 2.5


def prepare():
    """The Met with its domain, a PCSO pathway of one module, and a training lead."""
    call_command("migrate", verbosity=0)
    met = Force.objects.get(code="met")
    ForceEmailDomain.objects.get_or_create(force=met, domain="met.police.uk")
    root = Site.objects.get(is_default_site=True).root_page
    programme = ProgrammePage.objects.first() or root.add_child(
        instance=ProgrammePage(title="Bench programme", slug="bench")
    )
    module = ModulePage.objects.first() or programme.add_child(
        instance=ModulePage(title="Module", slug="module", summary="x", theme="leadership")
    )
    pathway, _ = Pathway.objects.get_or_create(role="pcso")
    PathwayStep.objects.get_or_create(pathway=pathway, module=module, days_to_complete=30)
    lead, created = get_user_model().objects.get_or_create(
        username="bench-import-lead", defaults={"email": "lead@met.police.uk"}
    )
    if created:
        services.lead_grant(user=lead, forces=[met])
    return met, lead


def write_hr_file(path: Path, rows: int, first: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        handle.write(HEADER)
        for i in range(first, first + rows):
            handle.write(
                f"officer{i}@met.police.uk,Officer {i},{ROLES[i % 5]},MP{i:07d},"
                f"Team {i % 40},2027-01-{1 + i % 28:02d}\n"
            )
    return path


def run_import(path: Path, force, lead, *, trace=False):
    """Preview then apply; with `trace`, the apply's peak traced memory in bytes."""
    with path.open("rb") as handle:
        started = time.perf_counter()
        imported = services.enrolment_import_create(
            force=force, user=lead, upload=File(handle, name=path.name), deactivate_missing=False
        )
    previewed = time.perf_counter()
    if trace:
        tracemalloc.start()
    try:
        services.enrolment_import_apply(enrolment_import=imported, user=lead)
        peak = tracemalloc.get_traced_memory()[1] if trace else None
    finally:
        tracemalloc.stop()
    imported.refresh_from_db()
    return imported, previewed - started, time.perf_counter() - previewed, peak


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=40_000)
    args = parser.parse_args()
    met, lead = prepare()
    # A run's own learners: numbered after any earlier run's, so every row is new.
    first = get_user_model().objects.filter(email__endswith="@met.police.uk").count() * 10
    with tempfile.TemporaryDirectory() as folder:
        path = write_hr_file(Path(folder) / "hr.csv", args.rows, first)
        imported, preview, apply, _ = run_import(path, met, lead)
        print(
            f"{args.rows} new rows: preview {preview:.1f} s, apply {apply:.1f} s {imported.result}"
        )
        rerun, preview_again, apply_again, _ = run_import(path, met, lead)
        print(f"same file again: preview {preview_again:.1f} s, apply {apply_again:.1f} s")
        peaks = {}
        for rows, offset in ((2_000, args.rows), (20_000, args.rows + 100_000)):
            small = write_hr_file(Path(folder) / f"hr-{rows}.csv", rows, first + offset)
            peaks[rows] = run_import(small, met, lead, trace=True)[3]
        print({rows: f"{peak / 2**20:.1f} MiB" for rows, peak in peaks.items()})
    ok_new = imported.result["new"] == args.rows and apply < APPLY_TARGET_SECONDS
    ok_rerun = rerun.result["unchanged"] == args.rows and apply_again < APPLY_TARGET_SECONDS
    ratio = peaks[20_000] / peaks[2_000]
    print(f"{verdict(ok_new)} import of {args.rows} new rows under {APPLY_TARGET_SECONDS} s")
    print(f"{verdict(ok_rerun)} the same file again (unchanged) under {APPLY_TARGET_SECONDS} s")
    print(f"{verdict(ratio < MEMORY_TARGET_RATIO)} peak memory 20,000 / 2,000 rows: {ratio:.2f}")


if __name__ == "__main__":
    main()

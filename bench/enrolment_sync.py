"""How long re-enrolling a role takes when its pathway is saved (services.pathway_enrolments_sync,
which the admin runs in the editor's request): N learners of one role, a pathway of M modules.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_sync \\
        .venv/bin/python bench/enrolment_sync.py [--learners 40000] [--modules 3]

Creates the database's learners and modules if they are missing (a migrated, otherwise empty
database), then times: the first enrolment (every row created), a second run (nothing to do),
and a change of days (every row updated). Never point it at a real database."""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from wagtail.models import Site  # noqa: E402

from courses import services  # noqa: E402
from courses.models import (  # noqa: E402
    Force,
    LearnerProfile,
    ModulePage,
    Pathway,
    PathwayStep,
    ProgrammePage,
)


def prepare(learners: int, modules: int) -> None:
    call_command("migrate", verbosity=0)
    root = Site.objects.get(is_default_site=True).root_page
    programme = ProgrammePage.objects.first()
    if programme is None:
        programme = root.add_child(instance=ProgrammePage(title="Bench programme", slug="bench"))
    for index in range(ModulePage.objects.count(), modules):
        programme.add_child(
            instance=ModulePage(
                title=f"Module {index}", slug=f"module-{index}", summary="x", theme="leadership"
            )
        )
    met = Force.objects.get(code="met")
    user_model = get_user_model()
    have = LearnerProfile.objects.filter(role="pcso").count()
    for start in range(have, learners, 5000):
        users = user_model.objects.bulk_create(
            user_model(username=f"bench{i}", email=f"bench{i}@met.example")
            for i in range(start, min(start + 5000, learners))
        )
        LearnerProfile.objects.bulk_create(
            LearnerProfile(user=user, force=met, role="pcso") for user in users
        )


def timed(label: str, run) -> None:
    started = time.perf_counter()
    result = run()
    print(f"{label}: {time.perf_counter() - started:.1f} s {result}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=40_000)
    parser.add_argument("--modules", type=int, default=3)
    args = parser.parse_args()
    prepare(args.learners, args.modules)
    sync = lambda: services.pathway_enrolments_sync(roles=["pcso"])  # noqa: E731
    if Pathway.objects.filter(role="pcso").delete()[0]:  # a run before: release its rows
        timed("release every enrolment of the deleted pathway", sync)
    pathway = Pathway.objects.create(role="pcso")
    for module in ModulePage.objects.order_by("path")[: args.modules]:
        PathwayStep.objects.create(pathway=pathway, module=module, days_to_complete=28)
    # The first run on a database creates the rows; later runs mark the released rows again.
    timed(f"enrol {args.learners} learners on {args.modules} modules", sync)
    timed("again, nothing to change", sync)
    PathwayStep.objects.filter(pathway=pathway).update(days_to_complete=42)
    timed("every due date changed", sync)


if __name__ == "__main__":
    main()

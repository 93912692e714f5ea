"""Load a national-scale data set for benchmarks: learners in every force with realistic skew,
30 modules, and per-(learner, module) progress rows. Bulk inserts, in chunks, in constant memory.

    manage.py seed_scale --learners 270000
"""

import random
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Site

from courses.models import (
    Force,
    LearnerProfile,
    LearnerRole,
    LessonPage,
    ModulePage,
    ModuleProgress,
    ModuleTheme,
    ProgrammePage,
    ProgressStatus,
)

PROGRAMME_SLUG = "scale-programme"
EMAIL_DOMAIN = "scale.example"
CHUNK = 5_000
# The Met has about 15% of the UK's police workforce; the rest spread by rough force size.
LARGEST_FORCE = ("met", 0.15)
ROLES = [
    (LearnerRole.RESPONSE_OFFICER, 50),
    (LearnerRole.PCSO, 8),
    (LearnerRole.CALL_HANDLER, 10),
    (LearnerRole.STAFF, 17),
    (LearnerRole.SUPERVISOR, 10),
    (LearnerRole.LEADER, 3),
    (LearnerRole.CHAMPION, 2),
]


class Command(BaseCommand):
    help = "Bulk-load learners and module progress for benchmarks (not for production data)."

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=270_000)
        parser.add_argument("--modules", type=int, default=30)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, learners: int, modules: int, seed: int, **options):
        if getattr(settings, "ENVIRONMENT", "") == "production":
            raise CommandError("seed_scale creates synthetic learners and refuses production.")
        if learners < 1 or modules < 1:
            raise CommandError("--learners and --modules must be at least 1.")
        rng = random.Random(seed)
        started = time.monotonic()
        module_pages = self._modules(modules)
        forces = list(Force.objects.filter(is_active=True).order_by("code"))
        weights = self._force_weights(forces)
        User = get_user_model()
        first_new = User.objects.filter(username__startswith="scale-").count()
        made = 0
        while made < learners:
            size = min(CHUNK, learners - made)
            self._chunk(rng, first_new + made, size, forces, weights, module_pages)
            made += size
            self.stdout.write(f"  {made:,} / {learners:,} learners", ending="\r")
            self.stdout.flush()
        self.stdout.write("")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE courses_moduleprogress; ANALYZE courses_learnerprofile;")
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {learners:,} learners across {len(forces)} forces and "
                f"{len(module_pages)} modules in {time.monotonic() - started:.0f} s."
            )
        )

    def _modules(self, count: int) -> list[ModulePage]:
        """The scale programme's modules (created once, each with two lessons)."""
        programme = ProgrammePage.objects.filter(slug=PROGRAMME_SLUG).first()
        if programme is None:
            home = Site.objects.get(is_default_site=True).root_page
            programme = home.add_child(
                instance=ProgrammePage(title="Scale programme", slug=PROGRAMME_SLUG)
            )
        existing = list(ModulePage.objects.child_of(programme).live().order_by("path"))
        themes = list(ModuleTheme.values)
        for i in range(len(existing), count):
            module = programme.add_child(
                instance=ModulePage(
                    title=f"Scale module {i + 1}",
                    slug=f"scale-module-{i + 1}",
                    theme=themes[i % len(themes)],
                    summary="Synthetic module for benchmarks.",
                    estimated_minutes=30,
                    pass_mark=80,
                )
            )
            for n in (1, 2):
                module.add_child(
                    instance=LessonPage(
                        title=f"Lesson {n}",
                        slug=f"lesson-{n}",
                        body=[("paragraph", "<p>Synthetic lesson.</p>")],
                    )
                )
            existing.append(module)
        return existing[:count]

    def _force_weights(self, forces: list[Force]) -> list[float]:
        code, share = LARGEST_FORCE
        others = [f for f in forces if f.code != code]
        # A gentle spread for the rest: some forces several times larger than others.
        raw = {f.code: 1.0 + (hash(f.code) % 7) for f in others}  # noqa: S324 - not security
        total = sum(raw.values())
        return [share if f.code == code else (1 - share) * raw[f.code] / total for f in forces]

    @transaction.atomic
    def _chunk(self, rng, offset, size, forces, weights, modules):
        User = get_user_model()
        now = timezone.now()
        chosen = rng.choices(forces, weights=weights, k=size)
        users = User.objects.bulk_create(
            [
                User(
                    username=f"scale-{offset + i}",
                    email=f"learner{offset + i}@{force.code}.{EMAIL_DOMAIN}",
                    first_name="Learner",
                    last_name=str(offset + i),
                    password="!",  # unusable: these accounts cannot sign in  # noqa: S106
                )
                for i, force in enumerate(chosen)
            ],
            batch_size=CHUNK,
        )
        roles, role_weights = zip(*ROLES, strict=True)
        LearnerProfile.objects.bulk_create(
            [
                LearnerProfile(
                    user=user,
                    force=force,
                    role=rng.choices(roles, weights=role_weights)[0],
                    staff_number=f"S{offset + i:07d}",
                )
                for i, (user, force) in enumerate(zip(users, chosen, strict=True))
            ],
            batch_size=CHUNK,
        )
        rows = []
        for user, force in zip(users, chosen, strict=True):
            engaged = rng.random()
            for module in modules:
                roll = rng.random()
                if roll > engaged:
                    continue  # not started: no row, as in real use
                started_at = now - timedelta(days=rng.randint(1, 400))
                if roll < engaged * 0.6:
                    rows.append(
                        ModuleProgress(
                            learner=user,
                            module=module,
                            force=force,
                            status=ProgressStatus.COMPLETED,
                            lessons_completed=2,
                            lessons_total=2,
                            score=rng.choice((80, 100, 100)),
                            started_at=started_at,
                            completed_at=started_at + timedelta(hours=rng.randint(1, 72)),
                        )
                    )
                else:
                    rows.append(
                        ModuleProgress(
                            learner=user,
                            module=module,
                            force=force,
                            status=ProgressStatus.IN_PROGRESS,
                            lessons_completed=rng.randint(0, 1),
                            lessons_total=2,
                            started_at=started_at,
                        )
                    )
        ModuleProgress.objects.bulk_create(rows, batch_size=CHUNK)

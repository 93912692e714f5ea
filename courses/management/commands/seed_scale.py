"""Load a national-scale data set for benchmarks: learners in every force with realistic skew,
30 modules, and per-(learner, module) progress rows, in chunks and in constant memory.

On PostgreSQL rows are streamed with COPY into ids reserved from the tables' sequences (about
270,000 learners and 4 million progress rows in a couple of minutes); elsewhere (SQLite, for
the tests) the ORM's bulk_create writes the same rows.

    manage.py seed_scale --learners 270000
"""

import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

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
    in_default_locale,
)
from courses.progress import totals as progress_totals

PROGRAMME_SLUG = "scale-programme"
EMAIL_DOMAIN = "scale.example"
CHUNK = 5_000
LESSONS_PER_MODULE = 2
# The Met has about 15% of the UK's police workforce; the rest spread by rough force size.
LARGEST_FORCE = ("met", 0.15)
ROLES = [
    (LearnerRole.RESPONSE_OFFICER, 50),
    (LearnerRole.PCSO, 8),
    (LearnerRole.CALL_HANDLER, 10),
    (LearnerRole.STAFF, 17),
    (LearnerRole.SUPERVISOR, 10),
    (LearnerRole.LEADER, 3),
    (LearnerRole.NOT_GIVEN, 2),
]
MAX_DAYS_AGO = 400
MAX_HOURS_TO_COMPLETE = 72


@dataclass(frozen=True)
class Learner:
    number: int  # scale-<number>: unique across runs
    force_id: int
    force_code: str
    role: str


@dataclass(frozen=True)
class Progress:
    """One (learner, module) row; times are offsets so that rows are cheap to make."""

    module_id: int
    completed: bool
    lessons_completed: int
    score: int | None
    days_ago: int
    hours_to_complete: int


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
        module_ids = [module.pk for module in self._modules(modules)]
        forces = list(Force.objects.filter(is_active=True).order_by("code"))
        weights = self._force_weights(forces)
        first_new = get_user_model().objects.filter(username__startswith="scale-").count()
        write = self._copy_chunk if connection.vendor == "postgresql" else self._orm_chunk
        now = timezone.now()
        made = rows = 0
        while made < learners:
            size = min(CHUNK, learners - made)
            chunk = self._learners(rng, first_new + made, size, forces, weights)
            with transaction.atomic():
                rows += write(rng, chunk, module_ids, now)
            made += size
            self.stdout.write(f"  {made:,} / {learners:,} learners", ending="\r")
            self.stdout.flush()
        self.stdout.write("")
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner, and a visibility map so that report queries
            # can use index-only scans straight away (autovacuum would get there later).
            # VACUUM cannot run inside a transaction (as in tests): ANALYZE alone then.
            verb = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            with connection.cursor() as cursor:
                for table in ("auth_user", "courses_learnerprofile", "courses_moduleprogress"):
                    cursor.execute(f"{verb} {table}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {learners:,} learners and {rows:,} progress rows across {len(forces)} "
                f"forces and {len(module_ids)} modules in {time.monotonic() - started:.0f} s."
            )
        )

    def _modules(self, count: int) -> list[ModulePage]:
        """The scale programme's modules (created once, each with two lessons)."""
        programme = in_default_locale(ProgrammePage.objects.filter(slug=PROGRAMME_SLUG)).first()
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
                    pass_mark=80,
                )
            )
            for n in range(1, LESSONS_PER_MODULE + 1):
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
        # A gentle, stable spread for the rest: some forces several times larger than others.
        raw = {f.code: 1.0 + sum(f.code.encode()) % 7 for f in others}
        total = sum(raw.values())
        return [share if f.code == code else (1 - share) * raw[f.code] / total for f in forces]

    def _learners(self, rng, offset, size, forces, weights) -> list[Learner]:
        chosen = rng.choices(forces, weights=weights, k=size)
        roles, role_weights = zip(*ROLES, strict=True)
        picked_roles = rng.choices(roles, weights=role_weights, k=size)
        return [
            Learner(offset + i, force.pk, force.code, str(role))
            for i, (force, role) in enumerate(zip(chosen, picked_roles, strict=True))
        ]

    def _progress(self, rng, module_ids: list[int]) -> Iterator[Progress]:
        """One learner's module rows: an engagement level, then for each module not started
        (no row, as in real use), in progress, or completed."""
        engaged = rng.random()
        for module_id in module_ids:
            roll = rng.random()
            if roll > engaged:
                continue
            days_ago = 1 + int(rng.random() * MAX_DAYS_AGO)
            if roll < engaged * 0.6:
                score = (80, 100, 100)[int(rng.random() * 3)]
                hours = 1 + int(rng.random() * MAX_HOURS_TO_COMPLETE)
                yield Progress(module_id, True, LESSONS_PER_MODULE, score, days_ago, hours)
            else:
                yield Progress(module_id, False, int(rng.random() * 2), None, days_ago, 0)

    # --- SQLite and others: the ORM -----------------------------------------------------------

    def _orm_chunk(self, rng, chunk: list[Learner], module_ids: list[int], now: datetime) -> int:
        User = get_user_model()
        users = User.objects.bulk_create(
            [
                User(
                    username=f"scale-{learner.number}",
                    email=f"learner{learner.number}@{learner.force_code}.{EMAIL_DOMAIN}",
                    first_name="Learner",
                    last_name=str(learner.number),
                    password="!",  # unusable: these accounts cannot sign in  # noqa: S106
                )
                for learner in chunk
            ],
            batch_size=CHUNK,
        )
        LearnerProfile.objects.bulk_create(
            [
                LearnerProfile(
                    user=user,
                    force_id=learner.force_id,
                    role=learner.role,
                    staff_number=f"S{learner.number:07d}",
                )
                for user, learner in zip(users, chunk, strict=True)
            ],
            batch_size=CHUNK,
        )
        rows = []
        for user, learner in zip(users, chunk, strict=True):
            for p in self._progress(rng, module_ids):
                started_at = now - timedelta(days=p.days_ago)
                rows.append(
                    ModuleProgress(
                        learner=user,
                        module_id=p.module_id,
                        force_id=learner.force_id,
                        status=ProgressStatus.COMPLETED
                        if p.completed
                        else ProgressStatus.IN_PROGRESS,
                        lessons_completed=p.lessons_completed,
                        lessons_total=LESSONS_PER_MODULE,
                        score=p.score,
                        started_at=started_at,
                        completed_at=(
                            started_at + timedelta(hours=p.hours_to_complete)
                            if p.completed
                            else None
                        ),
                        certificate_code=(
                            f"SCALE-{user.pk}-{p.module_id}" if p.completed else None
                        ),
                    )
                )
        ModuleProgress.objects.bulk_create(rows, batch_size=CHUNK)
        progress_totals.totals_update((None, progress_totals.RowState.of(row)) for row in rows)
        return len(rows)

    # --- PostgreSQL: COPY -----------------------------------------------------------------------

    def _times_as_text(self, now: datetime) -> tuple[list[str], list[list[str]]]:
        """Every started and completed time as COPY text, made once per run: formatting a
        datetime per row would dominate the load."""
        if getattr(self, "_times", None) is None or self._times[0] != now:
            started = [now - timedelta(days=d) for d in range(MAX_DAYS_AGO + 1)]
            completed = [
                [(s + timedelta(hours=h)).isoformat() for h in range(MAX_HOURS_TO_COMPLETE + 1)]
                for s in started
            ]
            self._times = (now, [s.isoformat() for s in started], completed)
        return self._times[1], self._times[2]

    def _copy_chunk(self, rng, chunk: list[Learner], module_ids: list[int], now: datetime) -> int:
        """COPY the chunk's users, profiles and progress rows. User ids are reserved from the
        sequence first, so profiles and progress rows can point at them without a round trip."""
        User = get_user_model()
        stamp = now.isoformat()
        started_text, completed_text = self._times_as_text(now)
        in_progress, completed = int(ProgressStatus.IN_PROGRESS), int(ProgressStatus.COMPLETED)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [User._meta.db_table, len(chunk)],
            )
            user_ids = [row[0] for row in cursor.fetchall()]
            raw = cursor.cursor  # psycopg 3's cursor, for COPY
            users = "".join(
                f"{uid}\t!\tf\tscale-{n.number}\tLearner\t{n.number}\t"
                f"learner{n.number}@{n.force_code}.{EMAIL_DOMAIN}\tf\tt\t{stamp}\n"
                for uid, n in zip(user_ids, chunk, strict=True)
            )
            with raw.copy(
                f"COPY {User._meta.db_table} (id, password, is_superuser, username, first_name, "
                "last_name, email, is_staff, is_active, date_joined) FROM STDIN"
            ) as copy:
                copy.write(users)
            # COPY sets no model default: each profile's random xAPI id is made here, and its
            # language is none chosen yet (an empty field).
            profiles = "".join(
                f"{uid}\t{n.force_id}\t{n.role}\tS{n.number:07d}\t\tt\t{stamp}\t{uuid.uuid4()}\t\n"
                for uid, n in zip(user_ids, chunk, strict=True)
            )
            with raw.copy(
                f"COPY {LearnerProfile._meta.db_table} (user_id, force_id, role, staff_number, "
                "team, optional_reminders, created_at, xapi_id, language) FROM STDIN"
            ) as copy:
                copy.write(profiles)
            totals: dict[tuple[int, int], list[int]] = {}
            lines = []
            for uid, learner in zip(user_ids, chunk, strict=True):
                for p in self._progress(rng, module_ids):
                    total = totals.setdefault((learner.force_id, p.module_id), [0, 0, 0, 0])
                    total[1 if p.completed else 0] += 1
                    if p.score is not None:
                        total[2] += 1
                        total[3] += p.score
                    if p.completed:
                        done = completed_text[p.days_ago][p.hours_to_complete]
                        tail = f"{completed}\t{p.lessons_completed}\t{p.score}\t{done}\t"
                        tail += f"SCALE-{uid}-{p.module_id}"
                    else:
                        tail = f"{in_progress}\t{p.lessons_completed}\t\\N\t\\N\t\\N"
                    lines.append(
                        f"{uid}\t{p.module_id}\t{learner.force_id}\t{LESSONS_PER_MODULE}\t"
                        f"{started_text[p.days_ago]}\t{stamp}\tf\t{tail}\n"
                    )
            with raw.copy(
                f"COPY {ModuleProgress._meta.db_table} (learner_id, module_id, force_id, "
                "lessons_total, started_at, updated_at, required, status, lessons_completed, "
                "score, completed_at, certificate_code) FROM STDIN"
            ) as copy:
                copy.write("".join(lines))
        # The chunk's totals, summed here once rather than row by row.
        progress_totals.totals_add(
            {key: progress_totals.Counts(*total) for key, total in totals.items()}
        )
        return len(lines)

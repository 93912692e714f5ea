"""The per-(force, module) totals in ForceModuleSummary: the one rule that keeps them.

A ModuleProgress row counts towards the totals of its (force, module) once it has a force:
in progress or completed by its status, and towards `scored` and `score_total` when it has a
score. Rows without a force, and placeholder rows (not started, no score), count nowhere.

Every code path that creates ModuleProgress rows, changes their status, score, force or
module, or deletes them, calls `totals_update()` in the same transaction with each row's
state before and after (None for a row created or deleted). Nothing else writes
ForceModuleSummary. `totals_rebuild()` recounts every total from the rows, for bulk loads
and for operators (`manage.py rebuild_totals`).

Concurrency: each total changes by an `F()` update, which locks its row until the
transaction ends; a transaction updates its totals rows in (force, module) order, after the
ModuleProgress rows it locked, so concurrent writers queue on a shared totals row instead of
deadlocking. A missing totals row is created by an insert that ignores a conflict (another
transaction may be creating it at the same moment), then updated like any other.
"""

from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.db import transaction
from django.db.models import Count, F, Q, Sum

from courses.models import ForceModuleSummary, ModuleProgress, ProgressStatus

Key = tuple[int, int]  # (force id, module id)


@dataclass(frozen=True)
class Counts:
    """What some rows add to one (force, module)'s totals (negative when they are taken away)."""

    in_progress: int = 0
    completed: int = 0
    scored: int = 0
    score_total: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def __neg__(self) -> "Counts":
        return Counts(*(-getattr(self, f.name) for f in fields(self)))

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True)
class RowState:
    """The part of a ModuleProgress row that the totals depend on."""

    force_id: int | None
    module_id: int
    status: int
    score: int | None

    @classmethod
    def of(cls, row: ModuleProgress) -> "RowState":
        return cls(row.force_id, row.module_id, row.status, row.score)

    def counts(self) -> Counts:
        return Counts(
            in_progress=int(self.status == ProgressStatus.IN_PROGRESS),
            completed=int(self.status == ProgressStatus.COMPLETED),
            scored=int(self.score is not None),
            score_total=self.score or 0,
        )


def totals_update(changes: Iterable[tuple[RowState | None, RowState | None]]) -> None:
    """Apply row changes to the totals: each pair is one row's state before and after (None
    before for a new row, None after for a deleted one). Call it inside the transaction that
    writes the rows. Queries: one UPDATE per (force, module) whose totals change (none when
    nothing countable changed), plus an INSERT and a second UPDATE for a (force, module)
    that has no totals row yet."""
    deltas: dict[Key, Counts] = {}
    for before, after in changes:
        for state, sign in ((before, -1), (after, 1)):
            if state is None or state.force_id is None:
                continue
            key = (state.force_id, state.module_id)
            counts = state.counts()
            deltas[key] = deltas.get(key, Counts()) + (counts if sign > 0 else -counts)
    totals_add({key: delta for key, delta in deltas.items() if delta})


def totals_add(deltas: dict[Key, Counts]) -> None:
    """Add `deltas` to the totals of their (force, module), in key order (see the module
    docstring); for callers that have already summed their rows' counts (bulk loads)."""
    for force_id, module_id in sorted(deltas):
        delta = deltas[(force_id, module_id)]
        if not delta:
            continue
        row = ForceModuleSummary.objects.filter(force_id=force_id, module_id=module_id)
        values = {f.name: F(f.name) + getattr(delta, f.name) for f in fields(delta)}
        if row.update(**values):
            continue
        ForceModuleSummary.objects.bulk_create(
            [ForceModuleSummary(force_id=force_id, module_id=module_id)], ignore_conflicts=True
        )
        row.update(**values)


def totals_recount() -> dict[Key, Counts]:
    """Every (force, module)'s totals counted from the ModuleProgress rows (one grouped query),
    for totals_rebuild() and for checking the kept totals."""
    grouped = (
        ModuleProgress.objects.filter(force__isnull=False)
        .values("force_id", "module_id")
        .annotate(
            in_progress=Count("pk", filter=Q(status=ProgressStatus.IN_PROGRESS)),
            completed=Count("pk", filter=Q(status=ProgressStatus.COMPLETED)),
            scored=Count("score"),
            score_total=Sum("score", default=0),
        )
        .order_by()
    )
    return {
        (row["force_id"], row["module_id"]): Counts(
            row["in_progress"], row["completed"], row["scored"], row["score_total"]
        )
        for row in grouped
    }


@transaction.atomic
def totals_rebuild() -> int:
    """Set every total to a recount of the rows, and return how many totals rows changed.

    For bulk loads that write rows without totals_update(), and for operators who suspect
    the totals (`manage.py rebuild_totals`). The existing totals rows are locked first, so
    writers that have already changed a total finish before the recount, and writers that
    have not wait for it and apply their change on top. Queries: the lock, the recount, one
    bulk update and one insert, whatever the number of rows."""
    kept = {
        (row.force_id, row.module_id): row
        for row in ForceModuleSummary.objects.select_for_update().order_by("force_id", "module_id")
    }
    counted = totals_recount()
    names = [f.name for f in fields(Counts)]
    changed = []
    for key, row in kept.items():
        counts = counted.get(key, Counts())
        if Counts(*(getattr(row, name) for name in names)) != counts:
            for name in names:
                setattr(row, name, getattr(counts, name))
            changed.append(row)
    ForceModuleSummary.objects.bulk_update(changed, names, batch_size=1000)
    missing = [
        ForceModuleSummary(force_id=key[0], module_id=key[1], **vars(counts))
        for key, counts in counted.items()
        if key not in kept
    ]
    ForceModuleSummary.objects.bulk_create(missing, ignore_conflicts=True, batch_size=1000)
    return len(changed) + len(missing)

"""Which survey figures may be released: the k-anonymity and differencing rules, as pure Python
over one force's answers (courses.selectors.surveys fetches them and shapes the results).

A *series* is one kind of figure: (statement, measure, stage), e.g. the post mean of statement
3. Its *entries* map each learner's pair key to (role group, UK month, payload). A *cell* is one
figure of the series a force can request: a role group (or every group, None) for one complete
UK month, or cumulatively through a month. Its *population* is the set of pair keys whose
entries fall in it.

Release is decided month by month, in order, as each month completes, and a decision is never
revisited: what was released stays released, so every view a force has ever seen is a subset of
one history and the rules below hold across all of them. When month m completes, the candidates
are the month cells (g, m) and the cumulative cells (g, through m) for every g. A candidate is

1. withheld if its population is under k ("fewer-than-k"; "no-answers" when empty);
2. withheld if it is nested in, or contains, another released figure of the series and the
   two populations differ by 1..k-1 learners ("differencing"). Against a figure released in an
   earlier month the new candidate gives way; between two new candidates the smaller does;
3. withheld so that no table can be subtracted down to a small group ("differencing"): when a
   released month total (every group, month m) or cumulative total is split by role group, or a
   released cumulative figure is split by month, the learners in the withheld parts must number
   0 or at least k. Otherwise the smallest new released part is withheld too (or, if there is
   none, the whole).

Rules 2 and 3 repeat until nothing changes. A cumulative figure is shown as the latest one
released, "as of" the end of the month it runs through, so a force's "all months" figure moves
in steps of at least k learners (rule 2 against the previous release).
"""

import datetime
from dataclasses import dataclass, field

NO_ANSWERS = "no-answers"
FEWER_THAN_K = "fewer-than-k"
DIFFERENCING = "differencing"

Entry = tuple[str, datetime.date, object]  # (role group, month, payload)


@dataclass(eq=False)
class Cell:
    """One candidate figure: `month` is None for a cumulative cell through `through`."""

    group: str | None
    month: datetime.date | None
    through: datetime.date
    population: frozenset
    released: bool = False
    reason: str | None = None
    is_new: bool = field(default=True, repr=False)

    def withhold(self, reason: str) -> None:
        self.released, self.reason = False, reason


def next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def month_range(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months = []
    while first <= last:
        months.append(first)
        first = next_month(first)
    return months


@dataclass
class History:
    """Every candidate of one series, in the order it was decided."""

    cells: list[Cell]

    def month_cell(self, group: str | None, month: datetime.date) -> Cell | None:
        return next((c for c in self.cells if c.month == month and c.group == group), None)

    def cumulative(self, group: str | None, through: datetime.date) -> Cell | None:
        """The latest released cumulative cell for `group` through `through` or earlier; if
        none was ever released, the latest candidate (withheld), or None without any."""
        candidates = [
            c for c in self.cells if c.month is None and c.group == group and c.through <= through
        ]
        released = [c for c in candidates if c.released]
        if released:
            return released[-1]
        return candidates[-1] if candidates else None


def _nested_conflict(a: Cell, b: Cell, k: int) -> bool:
    small, large = sorted((a, b), key=lambda c: len(c.population))
    gap = len(large.population) - len(small.population)
    return 0 < gap < k and small.population <= large.population


def _pairwise(new: list[Cell], old: list[Cell], k: int) -> bool:
    for cell in new:
        if not cell.released:
            continue
        for other in old:
            if _nested_conflict(cell, other, k):
                cell.withhold(DIFFERENCING)
                return True
        for other in new:
            if other is not cell and other.released and _nested_conflict(cell, other, k):
                smaller = min((cell, other), key=lambda c: len(c.population))
                smaller.withhold(DIFFERENCING)
                return True
    return False


def _partition(parent: Cell, parts: list[Cell], k: int) -> bool:
    if not parent.released:
        return False
    hidden = len(parent.population) - sum(len(p.population) for p in parts if p.released)
    if not 0 < hidden < k:
        return False
    candidates = [p for p in parts if p.released and p.is_new and p.population]
    victim = min(candidates, key=lambda c: len(c.population)) if candidates else parent
    victim.withhold(DIFFERENCING)
    return True


def release(
    entries: dict[object, Entry], *, groups: list[str], months: list[datetime.date], k: int
) -> History:
    """Decide every cell of one series over consecutive complete `months` (see the module
    docstring). Entries outside `months` are ignored."""
    history: list[Cell] = []
    keys_by: dict[tuple[str, datetime.date], set] = {}
    for key, (group, month, _) in entries.items():
        keys_by.setdefault((group, month), set()).add(key)
    everyone: list[str | None] = [None, *groups]
    cumulative: dict[str | None, frozenset] = {g: frozenset() for g in everyone}
    month_cells: dict[str | None, list[Cell]] = {g: [] for g in everyone}
    released_old: list[Cell] = []
    for month in months:
        month_pop = {g: frozenset(keys_by.get((g, month), ())) for g in groups}
        month_pop[None] = frozenset().union(*month_pop.values())
        new_months = {g: Cell(g, month, month, month_pop[g]) for g in everyone}
        new_cumulative = {}
        for g in everyone:
            cumulative[g] = cumulative[g] | month_pop[g]
            new_cumulative[g] = Cell(g, None, month, cumulative[g])
        new = [*new_months.values(), *new_cumulative.values()]
        for cell in new:
            size = len(cell.population)
            cell.released = size >= k
            cell.reason = None if cell.released else (NO_ANSWERS if not size else FEWER_THAN_K)
        for g in everyone:
            month_cells[g].append(new_months[g])
        changed = True
        while changed:
            changed = _pairwise(new, released_old, k)
            changed = changed or _partition(new_months[None], [new_months[g] for g in groups], k)
            changed = changed or _partition(
                new_cumulative[None], [new_cumulative[g] for g in groups], k
            )
            for g in everyone:
                changed = changed or _partition(new_cumulative[g], month_cells[g], k)
        for cell in new:
            cell.is_new = False
        released_old.extend(c for c in new if c.released)
        history.extend(new)
    return History(history)

"""The ``cpd`` renewal requirement: verified continuing professional development (CPD) hours
over the accreditation cycle that ends.

The one home of the CPD rule: ``cpd_progress`` counts the hours, ``check_cpd`` (the rules
engine, at renewal) and the learner's dashboard and the daily sweep's reminder
(``educational.accreditation.cpd``) all read it.

How hours count:

- Only verified activities count (the record holds nothing else), dated by their day, from
  ``cycle_start`` to ``as_of`` inclusive; activities outside the cycle do not count.
- Cycle total: the hours of each category, each capped at the category's
  ``max_hours_per_cycle`` (none: no cap), added up, must reach ``hours_per_cycle``. Hours of a
  category the scheme no longer has count without a cap (they were verified against it).
- Cycle years: the cycle is cut at the anniversaries of ``cycle_start``: year 1 runs from
  ``cycle_start`` to the day before its first anniversary, year 2 from there, and so on (29
  February falls back to 28 February, as ``periods.add_months`` does). A year counts only once
  it is complete, i.e. its last day is on or before ``as_of``; the partial year that runs on
  ``as_of`` (at a renewal evaluated on an anniversary: the single day ``as_of``) is not
  checked, though its hours count toward the cycle total. Each complete year needs
  ``hours_per_year`` hours, all categories as logged (the caps are per cycle: they limit the
  total, not a year).

At renewal the engine sets ``cycle_start`` to ``as_of`` less the scheme's validity (three
years), so the three years before the evaluation day are checked. The dashboard and the
sweep read the holder's current cycle, from the accreditation's ``valid_from``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from educational.catalog.content.model import Scheme
from educational.core.records import CpdRecord, PersonRecord

from .periods import add_months, number
from .results import EvaluationContext, Reason, RequirementResult


@dataclass(frozen=True)
class CategoryHours:
    """One CPD category over the cycle."""

    code: str
    #: Verified hours in the cycle, as logged.
    hours: float
    #: The scheme's cap per cycle; None: no cap.
    cap: int | None
    #: What counts toward the cycle's total: ``hours`` up to ``cap``.
    counted: float

    @property
    def capped(self) -> float:
        """Hours over the cap, which do not count."""
        return round(self.hours - self.counted, 2)


@dataclass(frozen=True)
class CycleYear:
    """One year of the cycle, from ``start`` to ``end`` (its last day), both inclusive."""

    number: int
    start: date
    end: date
    #: The year has ended on or before the evaluation day: only then is it checked.
    complete: bool
    #: Verified hours dated in the year (up to the evaluation day), all categories.
    hours: float
    needed: float

    @property
    def met(self) -> bool:
        return self.hours >= self.needed

    @property
    def short(self) -> float:
        return max(0.0, round(self.needed - self.hours, 2))


@dataclass(frozen=True)
class CpdProgress:
    """Verified CPD hours over a cycle, against a ``cpd`` requirement."""

    cycle_start: date
    as_of: date
    hours_per_cycle: float
    hours_per_year: float
    categories: tuple[CategoryHours, ...]
    years: tuple[CycleYear, ...]

    @property
    def counted(self) -> float:
        """The cycle's total: every category's hours up to its cap."""
        return round(math.fsum(c.counted for c in self.categories), 2)

    @property
    def capped(self) -> float:
        """Hours over the categories' caps, which do not count."""
        return round(math.fsum(c.capped for c in self.categories), 2)

    @property
    def total_met(self) -> bool:
        return self.counted >= self.hours_per_cycle

    @property
    def checked_years(self) -> tuple[CycleYear, ...]:
        """The complete years, the only ones checked (none when no yearly minimum)."""
        if not self.hours_per_year:
            return ()
        return tuple(year for year in self.years if year.complete)

    @property
    def current_year(self) -> CycleYear | None:
        """The year that runs on ``as_of`` (None past the cycle's years)."""
        return next((y for y in self.years if y.start <= self.as_of <= y.end), None)

    @property
    def met(self) -> bool:
        return self.total_met and all(year.met for year in self.checked_years)


def cycle_years(cycle_start: date, as_of: date) -> list[tuple[date, date]]:
    """The years of the cycle that have started by ``as_of``, as (first day, last day)."""
    years = []
    index = 0
    while True:
        start = add_months(cycle_start, 12 * index)
        if start > as_of:
            return years
        years.append((start, add_months(cycle_start, 12 * (index + 1)) - timedelta(days=1)))
        index += 1


def cpd_progress(
    record_cpd: Iterable[CpdRecord],
    requirement_params: Mapping[str, Any],
    scheme: Scheme,
    cycle_start: date,
    as_of: date,
) -> CpdProgress:
    """Verified hours from ``cycle_start`` to ``as_of`` per category (capped) and per cycle
    year, against the requirement's ``hours_per_cycle`` and ``hours_per_year``. Pure."""
    in_cycle = [item for item in record_cpd if cycle_start <= item.day <= as_of]
    by_category: dict[str, float] = dict.fromkeys(scheme.cpd_categories, 0.0)
    for item in in_cycle:
        by_category[item.category] = by_category.get(item.category, 0.0) + item.hours
    categories = []
    for code, hours in by_category.items():
        found = scheme.cpd_categories.get(code)
        cap = found.max_hours_per_cycle if found is not None else None
        hours = round(hours, 2)
        counted = hours if cap is None else min(hours, float(cap))
        categories.append(CategoryHours(code, hours, cap, round(counted, 2)))
    per_year = float(requirement_params.get("hours_per_year") or 0)
    years = []
    for index, (start, end) in enumerate(cycle_years(cycle_start, as_of), start=1):
        hours = math.fsum(item.hours for item in in_cycle if start <= item.day <= end)
        years.append(CycleYear(index, start, end, end <= as_of, round(hours, 2), per_year))
    return CpdProgress(
        cycle_start=cycle_start,
        as_of=as_of,
        hours_per_cycle=float(requirement_params.get("hours_per_cycle") or 0),
        hours_per_year=per_year,
        categories=tuple(categories),
        years=tuple(years),
    )


def check_cpd(
    params: Mapping[str, Any], record: PersonRecord, context: EvaluationContext
) -> list[RequirementResult]:
    """At renewal: ``hours_per_cycle`` verified CPD hours over the cycle (categories capped),
    and ``hours_per_year`` in each complete cycle year. One result "cpd" for the total, then
    one "cpd:year:<first day>" per complete year. Nothing outside a renewal (no cycle)."""
    if context.cycle_start is None:
        return []
    progress = cpd_progress(record.cpd, params, context.scheme, context.cycle_start, context.as_of)
    return [_total_result(progress), *(_year_result(year) for year in progress.checked_years)]


def _categories(progress: CpdProgress) -> dict[str, dict[str, Any]]:
    return {
        c.code: {"hours": c.hours, "cap": c.cap, "counted": c.counted} for c in progress.categories
    }


def _total_result(progress: CpdProgress) -> RequirementResult:
    start = progress.cycle_start.isoformat()
    reason = (
        f"{number(progress.counted)} of {number(progress.hours_per_cycle)} verified CPD hours "
        f"in the cycle since {start}"
    )
    if progress.capped:
        reason += f" ({number(progress.capped)} hours over category caps not counted)"
    details = {
        "hours": progress.counted,
        "needed": progress.hours_per_cycle,
        "capped": progress.capped,
        "cycle_start": start,
        "categories": _categories(progress),
    }
    values = {
        "hours": progress.counted,
        "needed": progress.hours_per_cycle,
        "capped": progress.capped,
        "cycle_start": start,
    }
    return RequirementResult(
        "cpd", progress.total_met, reason, details, Reason("cpd.cycle", values)
    )


def _year_result(year: CycleYear) -> RequirementResult:
    start, end = year.start.isoformat(), year.end.isoformat()
    reason = (
        f"{number(year.hours)} of {number(year.needed)} verified CPD hours in cycle year "
        f"{year.number} ({start} to {end})"
    )
    values = {
        "hours": year.hours,
        "needed": year.needed,
        "year": year.number,
        "year_start": start,
        "year_end": end,
    }
    return RequirementResult(
        f"cpd:year:{start}", year.met, reason, dict(values), Reason("cpd.year", values)
    )

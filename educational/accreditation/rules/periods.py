"""Calendar arithmetic and wording shared by the checks.

Every period is whole days, both ends inclusive. A window of N years before a date D starts
on the same calendar day N years earlier (29 February falls back to 28 February) and ends on
D: an audit that ended on that first day still counts, one that ended the day before does not.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (negative: back), clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def years_before(day: date, years: int) -> date:
    return add_months(day, -12 * years)


@dataclass(frozen=True)
class Window:
    """The days from ``start`` (None: the beginning of time) to ``end``, both inclusive."""

    start: date | None
    end: date
    #: The length in years, for wording; None without a start.
    years: int | None = None

    @classmethod
    def last_years(cls, as_of: date, years: int | None) -> Window:
        """The last ``years`` years up to ``as_of``; everything up to ``as_of`` when None or 0."""
        if not years:
            return cls(None, as_of)
        return cls(years_before(as_of, years), as_of, years)

    def contains(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and day <= self.end

    def clip(self, start: date, end: date | None) -> tuple[date, date] | None:
        """The part of the period ``start``..``end`` (None: ongoing) inside the window."""
        first = start if self.start is None else max(start, self.start)
        last = self.end if end is None else min(end, self.end)
        return (first, last) if first <= last else None

    @property
    def phrase(self) -> str:
        """ " in the last 3 years (since 2023-11-26)", or "" for an open window."""
        if self.start is None:
            return ""
        span = "year" if self.years == 1 else f"{self.years} years"
        return f" in the last {span} (since {self.start.isoformat()})"

    def details(self) -> dict[str, object]:
        return {
            "window_years": self.years,
            "window_start": self.start.isoformat() if self.start else None,
        }


def covered_days(periods: Iterable[tuple[date, date]]) -> int:
    """How many distinct days the periods cover (overlaps counted once)."""
    total = 0
    reached: date | None = None  # the last day already counted
    for start, end in sorted(periods):
        if reached is not None and start <= reached:
            start = reached + timedelta(days=1)
        if start <= end:
            total += (end - start).days + 1
            reached = end
    return total


def valid_on(expires: date | None, day: date) -> bool:
    """Whether something that expires on ``expires`` (its last valid day) is valid on ``day``."""
    return expires is None or day <= expires


def valid_before(expires: date | None, day: date) -> bool:
    """Whether something no longer valid from ``expires`` on (a certificate) is valid on ``day``."""
    return expires is None or day < expires


def number(value: float) -> str:
    """12 for 12.0, 12.5 for 12.5."""
    value = round(value, 2)
    return str(int(value)) if value == int(value) else f"{value:g}"


def counted(count: float, noun: str, plural: str | None = None) -> str:
    """ "1 audit", "3 audits", "2.5 audit days"."""
    word = noun if count == 1 else (plural or noun + "s")
    return f"{number(count)} {word}"


def years_text(years: int) -> str:
    return "1 year" if years == 1 else f"{years} years"

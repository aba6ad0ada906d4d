"""Registry statistics: accredited people by role, standard, sector and country, and how
their number grew. Consenting people only, like everything public.

"Accredited" means holding an accreditation active today (see ``effective_status``); the
growth series counts, at the end of each quarter, the people who held one active on that
day, read from the status history (so suspensions and expiries count as they happened).
The figures are cached per process for ``REGISTRY_STATISTICS_SECONDS`` (default 600)."""

from __future__ import annotations

import time
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, timedelta

from flask import current_app
from sqlalchemy import distinct, func, select

from educational.accreditation.models import (
    Accreditation,
    AccreditationScope,
    RegistryProfile,
    StatusChange,
)
from educational.core.db import db

#: Quarters shown in the growth series.
GROWTH_QUARTERS = 20


@dataclass(frozen=True)
class RegistryStatistics:
    today: date
    people: int
    by_role: list[tuple[str, int]]
    by_standard: list[tuple[str, int]]
    by_sector: list[tuple[str, int]]
    by_country: list[tuple[str, int]]
    #: (quarter label, people active at its end; the last point is today).
    growth: list[tuple[str, int]]


def registry_statistics(today: date) -> RegistryStatistics:
    seconds = current_app.config.get("REGISTRY_STATISTICS_SECONDS", 600)
    cache = current_app.extensions.setdefault("registry_statistics", {})
    cached = cache.get("value")
    if cached and cached.today == today and time.monotonic() - cache["at"] < seconds:
        return cached
    value = compute_statistics(today)
    cache.update(value=value, at=time.monotonic())
    return value


def _active_today(today: date) -> tuple:
    return (
        RegistryProfile.public.is_(True),
        Accreditation.status == "active",
        Accreditation.valid_from <= today,
        Accreditation.valid_until >= today,
    )


def compute_statistics(today: date) -> RegistryStatistics:
    base = select().join_from(Accreditation, RegistryProfile).where(*_active_today(today))
    people = db.session.scalar(base.add_columns(func.count(distinct(Accreditation.profile_id))))
    by_role = db.session.execute(
        base.add_columns(Accreditation.role, func.count(distinct(Accreditation.profile_id)))
        .group_by(Accreditation.role)
        .order_by(Accreditation.role)
    ).all()
    scoped = base.join(AccreditationScope).where(AccreditationScope.status == "active")
    by_standard = db.session.execute(
        scoped.add_columns(
            AccreditationScope.standard, func.count(distinct(Accreditation.profile_id))
        )
        .group_by(AccreditationScope.standard)
        .order_by(AccreditationScope.standard)
    ).all()
    by_sector = db.session.execute(
        scoped.add_columns(
            AccreditationScope.sector, func.count(distinct(Accreditation.profile_id))
        ).group_by(AccreditationScope.sector)
    ).all()
    countries: dict[str, set[int]] = defaultdict(set)
    for profile_id, listed in db.session.execute(
        base.add_columns(Accreditation.profile_id, Accreditation.countries)
    ):
        for country in listed or ():
            countries[country.upper()].add(profile_id)
    by_country = sorted(((c, len(p)) for c, p in countries.items()), key=lambda i: (-i[1], i[0]))
    return RegistryStatistics(
        today=today,
        people=people or 0,
        by_role=[(role, count) for role, count in by_role],
        by_standard=[(standard, count) for standard, count in by_standard],
        by_sector=sorted(((s, c) for s, c in by_sector), key=lambda i: (-i[1], i[0])),
        by_country=by_country,
        growth=growth(today),
    )


def quarter_ends(today: date, count: int = GROWTH_QUARTERS) -> list[date]:
    """The last days of the ``count`` quarters before the current one, oldest first."""
    ends = []
    end = _quarter_start(today) - timedelta(days=1)
    for _ in range(count):
        ends.append(end)
        end = _quarter_start(end) - timedelta(days=1)
    return ends[::-1]


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def growth(today: date) -> list[tuple[str, int]]:
    points = [*quarter_ends(today), today]
    rows = db.session.execute(
        select(
            Accreditation.id,
            Accreditation.profile_id,
            Accreditation.status,
            Accreditation.valid_until,
            Accreditation.created_at,
        )
        .join(RegistryProfile)
        .where(RegistryProfile.public.is_(True))
    ).all()
    changes: dict[int, list] = defaultdict(list)
    for accreditation_id, from_status, to_status, occurred_at in db.session.execute(
        select(
            StatusChange.accreditation_id,
            StatusChange.from_status,
            StatusChange.to_status,
            StatusChange.occurred_at,
        )
        .join(Accreditation)
        .join(RegistryProfile)
        .where(RegistryProfile.public.is_(True))
        .order_by(StatusChange.occurred_at, StatusChange.id)
    ):
        changes[accreditation_id].append(
            (from_status, to_status, occurred_at.astimezone(UTC).date())
        )
    covered: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        for start, end in active_periods(row, changes.get(row.id, [])):
            first, last = bisect_left(points, start), bisect_right(points, end)
            covered[row.profile_id].update(range(first, last))
    counts = Counter(index for indexes in covered.values() for index in indexes)
    labels = [f"{d.year} Q{(d.month - 1) // 3 + 1}" for d in points[:-1]] + ["today"]
    return [(label, counts.get(index, 0)) for index, label in enumerate(labels)]


def active_periods(row, changes: list) -> list[tuple[date, date]]:
    """The periods (first day, last day) in which the accreditation was active, from its
    history: from its creation (or its created_at) through each change away from active,
    never past its last valid day."""
    created = next((on for f, _t, on in changes if f is None), None)
    start: date | None = created or row.created_at.astimezone(UTC).date()
    periods = []
    status = "active"
    for from_status, to_status, on in changes:
        if from_status is None:
            continue
        if status == "active" and to_status != "active" and start is not None:
            periods.append((start, on - timedelta(days=1)))
            start = None
        elif to_status == "active" and status != "active":
            start = on
        status = to_status
    if start is not None and row.status == "active":
        periods.append((start, row.valid_until))
    return [(first, min(last, row.valid_until)) for first, last in periods if first <= last]

"""Registry statistics: accredited people by role, standard, sector and country, and how
their number grew. Consenting people only, like everything public.

"Accredited" means holding an accreditation active today (``Accreditation.shows``); the
growth series counts, at the end of each quarter, the people who held one active on that
day, read from the status history (so suspensions and expiries count as they happened).

Every figure is one SQL aggregate: no row of the registry is read into Python. They are
computed by ``snapshot.refresh_statistics`` (cron, and after changes to the registry),
never on a visitor's request."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from sqlalchemy import (
    and_,
    case,
    distinct,
    exists,
    func,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session

from educational.accreditation.models import (
    Accreditation,
    AccreditationScope,
    RegistryProfile,
    StatusChange,
)
from educational.core.db import UTCDateTime
from educational.core.records import next_midnight

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

    def as_json(self) -> dict:
        return {**asdict(self), "today": self.today.isoformat()}

    @classmethod
    def from_json(cls, data: dict) -> RegistryStatistics:
        pairs = {key: [(name, n) for name, n in data[key]] for key in _SERIES}
        return cls(today=date.fromisoformat(data["today"]), people=data["people"], **pairs)


_SERIES = ("by_role", "by_standard", "by_sector", "by_country", "growth")


def _active_today(today: date) -> tuple:
    # Accreditations start on the day they are granted, never later: "active today" is the
    # registry's own (``Accreditation.shows``), as its search filters it.
    return (RegistryProfile.public.is_(True), Accreditation.shows("active", today))


def compute_statistics(session: Session, today: date) -> RegistryStatistics:
    """The figures for ``today``, read on ``session``."""
    people_count = func.count(distinct(Accreditation.profile_id))
    base = select().join_from(Accreditation, RegistryProfile).where(*_active_today(today))
    people = session.scalar(base.add_columns(people_count))
    by_role = session.execute(
        base.add_columns(Accreditation.role, people_count)
        .group_by(Accreditation.role)
        .order_by(Accreditation.role)
    ).all()
    scoped = base.join(AccreditationScope).where(AccreditationScope.status == "active")
    by_standard = session.execute(
        scoped.add_columns(AccreditationScope.standard, people_count)
        .group_by(AccreditationScope.standard)
        .order_by(AccreditationScope.standard)
    ).all()
    by_sector = session.execute(
        scoped.add_columns(AccreditationScope.sector, people_count).group_by(
            AccreditationScope.sector
        )
    ).all()
    country = _country_elements(session.get_bind().dialect.name)
    code = func.upper(country.c.value)
    by_country = session.execute(
        base.join(country, true()).add_columns(code, people_count).group_by(code)
    ).all()
    return RegistryStatistics(
        today=today,
        people=people or 0,
        by_role=[(role, count) for role, count in by_role],
        by_standard=[(standard, count) for standard, count in by_standard],
        by_sector=sorted(((s, c) for s, c in by_sector), key=lambda i: (-i[1], i[0])),
        by_country=sorted(((c, n) for c, n in by_country), key=lambda i: (-i[1], i[0])),
        growth=growth(session, today),
    )


def _country_elements(dialect: str):
    """The codes in an accreditation's JSON list of countries, as a table to join (the one
    place where SQLite and PostgreSQL need different SQL)."""
    if dialect == "postgresql":
        return func.json_array_elements_text(Accreditation.countries).table_valued("value")
    return func.json_each(Accreditation.countries).table_valued("value")


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


def active_periods():
    """SELECT of the periods in which each public accreditation was active: (profile_id,
    starts, ends or NULL for "still", valid_until, status).

    A period runs from a status change to active until the accreditation's next change
    (``lead`` over its history); before the history begins, an accreditation without a
    "new" change was active from its creation. A period without an end counts only while
    the accreditation is active now."""
    changes = select(
        StatusChange.accreditation_id,
        StatusChange.to_status,
        StatusChange.occurred_at.label("starts"),
        func.lead(StatusChange.occurred_at, type_=UTCDateTime)
        .over(
            partition_by=StatusChange.accreditation_id,
            order_by=(StatusChange.occurred_at, StatusChange.id),
        )
        .label("ends"),
    ).subquery("changes")
    columns = (Accreditation.profile_id, Accreditation.valid_until, Accreditation.status)
    from_changes = (
        select(*columns, changes.c.starts, changes.c.ends)
        .join_from(changes, Accreditation, Accreditation.id == changes.c.accreditation_id)
        .join(RegistryProfile, RegistryProfile.id == Accreditation.profile_id)
        .where(RegistryProfile.public.is_(True), changes.c.to_status == "active")
    )
    first_change = (
        select(func.min(StatusChange.occurred_at))
        .where(StatusChange.accreditation_id == Accreditation.id)
        .scalar_subquery()
    )
    created = exists().where(
        StatusChange.accreditation_id == Accreditation.id, StatusChange.from_status.is_(None)
    )
    before_changes = (
        select(
            *columns,
            Accreditation.created_at.label("starts"),
            first_change.label("ends"),
        )
        .join(RegistryProfile, RegistryProfile.id == Accreditation.profile_id)
        .where(RegistryProfile.public.is_(True), ~created)
    )
    return union_all(from_changes, before_changes).subquery("periods")


def growth(session: Session, today: date) -> list[tuple[str, int]]:
    """People active at the end of each quarter and today: one pass over the periods, one
    count per point."""
    points = [*quarter_ends(today), today]
    periods = active_periods()

    def covers(day: date):
        until = next_midnight(day)
        return and_(
            periods.c.starts < until,
            or_(
                periods.c.ends >= until,
                and_(periods.c.ends.is_(None), periods.c.status == "active"),
            ),
            periods.c.valid_until >= day,
        )

    counts = session.execute(
        select(*(func.count(distinct(case((covers(d), periods.c.profile_id)))) for d in points))
    ).one()
    labels = [f"{d.year} Q{(d.month - 1) // 3 + 1}" for d in points[:-1]] + ["today"]
    return list(zip(labels, counts, strict=True))

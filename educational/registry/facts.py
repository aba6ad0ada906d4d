"""What the eligibility engine reads about a person, as plain data (no Flask, no database):
``holders.py`` loads it, ``checks.py`` and ``eligibility.py`` read it.

Certificates are the rules' own ``CourseRecord`` (``educational.core.records``), the same
type the application checklist reads, so a course counts on a day by one rule,
``CourseRecord.valid_on``; declarations are ``InterestDeclaration``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from educational.accreditation.rules.status import ACTIVE
from educational.core.records import CourseRecord, InterestDeclaration, utc_day


class ScopeFacts(NamedTuple):
    standard: str
    version: str
    sector: str
    #: active or lapsed.
    status: str = ACTIVE
    #: The day it lapsed (None while active).
    lapsed_on: date | None = None

    def lapsed_by(self, day: date) -> bool:
        return self.status != ACTIVE and (self.lapsed_on is None or self.lapsed_on <= day)


class ChangeFacts(NamedTuple):
    """One row of the status history. ``from_status`` None: the accreditation was created."""

    from_status: str | None
    to_status: str
    occurred_on: date


class AccreditationFacts(NamedTuple):
    role: str
    #: The status now: active, suspended, withdrawn or expired.
    status: str
    valid_from: date
    #: The last valid day.
    valid_until: date
    countries: tuple[str, ...] = ()
    scopes: tuple[ScopeFacts, ...] = ()
    #: The status history, oldest first (only what happened after the day asked about is
    #: needed to tell the status on that day).
    changes: tuple[ChangeFacts, ...] = ()
    id: int = 0


class Holder(NamedTuple):
    """What the engine reads about one person."""

    registry_id: str
    name: str = ""
    accreditations: tuple[AccreditationFacts, ...] = ()
    #: Every certificate (revoked ones with their ``revoked_on``).
    certificates: tuple[CourseRecord, ...] = ()
    declarations: tuple[InterestDeclaration, ...] = ()


def status_on(accreditation: AccreditationFacts, day: date) -> str:
    """The status the accreditation had on ``day`` (``status_from_history``)."""
    return status_from_history(accreditation.changes, accreditation.status, day)


def status_from_history(changes: Iterable[ChangeFacts], current: str, day: date) -> str:
    """The status on ``day`` read from ``changes`` (oldest first; only those after ``day``
    matter): the status before the first change made after that day, or ``current``. A
    change counts from the day it was made. The one rule of the engine, the as-of pages
    (``asof.status_on``) and, in SQL, ``candidates.status_on_day``."""
    for change in changes:
        if change.from_status is not None and change.occurred_on > day:
            return change.from_status
    return current


def last_change_to(accreditation: AccreditationFacts, status: str, day: date) -> date | None:
    """The day of the last change to ``status`` made by ``day``."""
    days = [
        c.occurred_on
        for c in accreditation.changes
        if c.to_status == status and c.occurred_on <= day
    ]
    return max(days) if days else None


# From database rows (any object with these attributes)


def scope_facts(scope, status: str | None = None) -> ScopeFacts:
    """A scope row (standard, version, sector, status, lapsed_at)."""
    return ScopeFacts(
        scope.standard,
        scope.version,
        scope.sector,
        status or scope.status,
        utc_day(scope.lapsed_at),
    )


def accreditation_facts(accreditation, scopes, changes, *, id: int) -> AccreditationFacts:
    """An accreditation row (role, status, valid_from, valid_until, countries) with its scopes
    and status history; ``id`` is passed because the queries label the column differently."""
    return AccreditationFacts(
        id=id,
        role=accreditation.role,
        status=accreditation.status,
        valid_from=accreditation.valid_from,
        valid_until=accreditation.valid_until,
        countries=tuple(accreditation.countries or ()),
        scopes=tuple(scopes),
        changes=tuple(changes),
    )


def change_facts(change) -> ChangeFacts:
    """A status change row (from_status, to_status, occurred_at)."""
    return ChangeFacts(change.from_status, change.to_status, utc_day(change.occurred_at))

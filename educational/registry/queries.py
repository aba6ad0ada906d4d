"""What the registry's pages and the JSON API read, asked the same way by both: the search,
one person's entry, the firms, the eligibility engine's answers and the change feed.

Only people who consented to publication are ever returned. The questions come parsed
(``schemas``); the answers are ``entries.Entry`` objects, pages of them
(``educational.core.pagination.Page``), or the engine's verdicts."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import BigInteger, Select, bindparam, distinct, func, select

from educational.accreditation.models import (
    Accreditation,
    AuditFirm,
    FirmAffiliation,
    RegistryProfile,
    StatusChange,
)
from educational.appeals.public import under_appeal
from educational.catalog.content.model import Scheme
from educational.complaints.public import upheld_counts
from educational.core.collation import collation_key
from educational.core.db import db
from educational.core.pagination import Page

from . import search
from .entries import Entry, change_event, load_entries
from .holders import check_eligibility, eligible_holders
from .holders import eligible_page as holders_page

if TYPE_CHECKING:
    from .eligibility import AccreditationFacts, Holder, Verdict
    from .holders import EligibleHolder

# Questions


@dataclass(frozen=True)
class ScopeQuestion:
    """Who may audit as ``role`` against ``standard`` in ``sector`` and ``country`` on
    ``date``: the question of the shortlist and of /api/v1/eligible."""

    role: str
    standard: str
    sector: str
    country: str
    date: date


@dataclass(frozen=True)
class EligibilityQuestion(ScopeQuestion):
    """The scope question about one holder, optionally for an entity."""

    registry_id: str = ""
    entity: str | None = None


# The registry


def registry_page(
    query: search.RegistryQuery, scheme: Scheme | None, today: date, page: int, per_page: int
) -> Page[Entry]:
    """Page ``page`` of the people ``query`` finds, with their entries."""
    ids, total = search.search(query, scheme, today, page=page, per_page=per_page)
    return Page(load_entries(ids, today), total, page, per_page)


def public_entry(registry_id: str, today: date, *, with_history: bool = False) -> Entry | None:
    """The entry of the consenting person with ``registry_id``; None for anyone else."""
    profile_id = db.session.scalar(
        select(RegistryProfile.id).where(
            RegistryProfile.registry_id == registry_id, RegistryProfile.public.is_(True)
        )
    )
    entries = load_entries([profile_id], today, with_history=with_history) if profile_id else []
    return entries[0] if entries else None


def public_profile_id(registry_id: str) -> int | None:
    """The profile id of ``registry_id`` if the person is in the public registry."""
    return db.session.scalar(
        select(RegistryProfile.id).where(
            RegistryProfile.registry_id == registry_id, RegistryProfile.public.is_(True)
        )
    )


def holder_profile(user_id: int) -> RegistryProfile | None:
    """The registry profile of a user (consenting or not: it is their own)."""
    return db.session.scalar(select(RegistryProfile).where(RegistryProfile.user_id == user_id))


def accreditation(accreditation_id: int) -> Accreditation | None:
    return db.session.get(Accreditation, accreditation_id)


@dataclass(frozen=True)
class Published:
    """What the scheme publishes about an entry besides statuses (scheme.yml ``registry:``,
    both off by default): the accreditations with an open appeal against a decision about
    them, and the number of complaints upheld about the person."""

    under_appeal: frozenset[int] = frozenset()
    upheld_complaints: int = 0


def published(entry: Entry, scheme: Scheme | None) -> Published:
    rules = scheme.cycle if scheme is not None else None
    if rules is None or not (rules.publish_under_appeal or rules.publish_upheld_complaints):
        return Published()
    appealed = frozenset()
    if rules.publish_under_appeal:
        appealed = frozenset(under_appeal(a.id for a in entry.accreditations))
    upheld = 0
    if rules.publish_upheld_complaints:
        upheld = upheld_counts([entry.profile_id]).get(entry.profile_id, 0)
    return Published(appealed, upheld)


# Firms


def firm(firm_id: int) -> AuditFirm | None:
    return db.session.get(AuditFirm, firm_id)


def firms() -> list[AuditFirm]:
    return list(db.session.execute(select(AuditFirm).order_by(AuditFirm.name)).scalars())


def people_per_firm(today: date) -> dict[int, int]:
    """Firm id: how many consenting people with an active accreditation work with it now."""
    rows = db.session.execute(
        select(FirmAffiliation.firm_id, func.count(distinct(FirmAffiliation.profile_id)))
        .join(RegistryProfile, RegistryProfile.id == FirmAffiliation.profile_id)
        .join(Accreditation, Accreditation.profile_id == RegistryProfile.id)
        .where(
            RegistryProfile.public.is_(True),
            Accreditation.shows("active", today),
            FirmAffiliation.current_on(today),
        )
        .group_by(FirmAffiliation.firm_id)
    )
    return dict(rows.all())


def firm_entries(firm_id: int, today: date) -> list[Entry]:
    """The entries of the consenting people active now who work with the firm, by name."""
    profile_ids = db.session.scalars(
        select(FirmAffiliation.profile_id).where(
            FirmAffiliation.firm_id == firm_id, FirmAffiliation.current_on(today)
        )
    ).all()
    entries = [entry for entry in load_entries(profile_ids, today) if entry.active]
    entries.sort(key=lambda entry: (collation_key(entry.name), entry.registry_id))
    return entries


# Eligibility: the engine of ``eligibility.py``, through ``holders.py``


class Answer(NamedTuple):
    """The engine's answer about one holder: every check, on the day asked about."""

    holder: Holder
    verdict: Verdict
    as_of: date


def eligibility(question: EligibilityQuestion, scheme: Scheme | None) -> Answer | None:
    """Every check of one holder for the question; None when no consenting person has the
    registry id."""
    found = check_eligibility(
        question.registry_id,
        question.role,
        question.standard,
        question.sector,
        question.country,
        question.date,
        question.entity,
        scheme=scheme,
    )
    return Answer(*found, question.date) if found is not None else None


def eligible(question: ScopeQuestion, scheme: Scheme | None) -> list[EligibleHolder]:
    """Everyone who passes every check, by name."""
    return eligible_holders(
        question.role,
        question.standard,
        question.sector,
        question.country,
        question.date,
        scheme=scheme,
    )


def eligible_page(
    question: ScopeQuestion, scheme: Scheme | None, today: date, page: int, per_page: int
) -> Page[ShortlistRow]:
    """Page ``page`` of everyone who passes every check, by name, with the total: decided in
    SQL, so only that page is loaded (``holders.eligible_page``)."""
    found = holders_page(
        question.role,
        question.standard,
        question.sector,
        question.country,
        question.date,
        scheme=scheme,
        page=page,
        per_page=per_page,
    )
    return replace(found, items=shortlist_rows(found.items, today))


class ShortlistRow(NamedTuple):
    entry: Entry
    #: The accreditation that makes the person eligible.
    accreditation: AccreditationFacts


def shortlist_rows(found: list[EligibleHolder], today: date) -> list[ShortlistRow]:
    """The entries of ``found`` (at most ``sql.CHUNK`` at a time), in that order."""
    held = {item.profile_id: item.verdict.accreditation for item in found}
    entries = load_entries([item.profile_id for item in found], today)
    return [ShortlistRow(entry, held[entry.profile_id]) for entry in entries]


def shortlist_page(
    found: list[EligibleHolder], today: date, page: int, per_page: int
) -> Page[ShortlistRow]:
    shown = Page.of(found, page, per_page)
    return replace(shown, items=shortlist_rows(shown.items, today))  # type: ignore[arg-type]


# The change feed (GET /api/v1/registry/changes)


@dataclass(frozen=True)
class Change:
    #: The row id: grows in the order changes are recorded.
    cursor: int
    registry_id: str
    role: str
    from_status: str | None
    to_status: str
    occurred_at: datetime

    @property
    def event(self) -> str:
        return change_event(self.from_status, self.to_status)

    @property
    def occurred_on(self) -> date:
        return self.occurred_at.astimezone(UTC).date()


@dataclass(frozen=True)
class ChangeFeed:
    items: list[Change]
    #: Where to ask from next time.
    next_cursor: int
    has_more: bool


def _public(query: Select) -> Select:
    """``query`` over status changes, kept to people who consent to publication."""
    return (
        query.join(Accreditation, Accreditation.id == StatusChange.accreditation_id)
        .join(RegistryProfile, RegistryProfile.id == Accreditation.profile_id)
        .where(RegistryProfile.public.is_(True))
    )


def _public_changes() -> Select:
    """The columns of a ``Change``, over the public status changes."""
    return _public(
        select(
            StatusChange.id,
            RegistryProfile.registry_id,
            Accreditation.role,
            StatusChange.from_status,
            StatusChange.to_status,
            StatusChange.occurred_at,
        )
    )


def changes_of(registry_ids: list[str], after: int, limit: int = 1000) -> list[Change]:
    """The public changes of ``registry_ids`` recorded after the cursor ``after``, oldest
    first (a member's watch list)."""
    query = (
        _public_changes()
        .where(
            RegistryProfile.registry_id.in_(registry_ids),
            StatusChange.id > bindparam("after", after, type_=BigInteger),
        )
        .order_by(StatusChange.id)
        .limit(limit)
    )
    return [Change(*row) for row in db.session.execute(query)]


def last_change_id() -> int:
    """The cursor of the newest change recorded, public or not (where a new watch starts)."""
    return db.session.scalar(select(func.max(StatusChange.id))) or 0


def changes(since: int | date | None, limit: int) -> ChangeFeed:
    """At most ``limit`` public changes: recorded after the cursor ``since``, or that
    occurred on or after the day ``since``, or from the first."""
    query = _public_changes().order_by(StatusChange.id).limit(limit + 1)
    if isinstance(since, int):
        # A BIGINT parameter: PostgreSQL refuses a larger number as an INTEGER.
        query = query.where(StatusChange.id > bindparam("after", since, type_=BigInteger))
    elif since is not None:
        query = query.where(StatusChange.occurred_at >= datetime.combine(since, time(), UTC))
    rows = db.session.execute(query).all()
    items = [Change(*row) for row in rows[:limit]]
    if items:
        next_cursor = items[-1].cursor
    elif isinstance(since, date):
        # Nothing since that day yet: carry on after every public change recorded so far.
        # Only public ones: a cursor that moved with a hidden person's change would tell
        # that someone outside the registry changed status.
        next_cursor = db.session.scalar(_public(select(func.max(StatusChange.id)))) or 0
    else:
        next_cursor = since or 0
    return ChangeFeed(items, next_cursor, len(rows) > limit)

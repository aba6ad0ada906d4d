"""A person's public registry entry, as the pages, the CSV exports and the API show it.

``load_entries(profile_ids, today)`` reads consenting people only; each ``Entry`` has the
accreditations (their status as the registry shows it: an active one past its last valid day
is expired), scopes, countries, verified languages, current firms and, on request, the status
history. The API serialises it with ``educational.api.schemas.Entry``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date
from urllib.parse import quote

from sqlalchemy import bindparam, select

from educational.accounts.models import User
from educational.accreditation.models import (
    Accreditation,
    AccreditationScope,
    AuditFirm,
    FirmAffiliation,
    RegistryProfile,
    StatusChange,
)
from educational.accreditation.rules.status import shown_status
from educational.core.db import db
from educational.core.urls import external_url
from educational.experience.models import EntryStatus, LanguageSkill

from .sql import CHUNK, chunks

#: What a status change means to a reader of the registry (and of the change feed).
EVENTS = ("new", "suspended", "reinstated", "withdrawn", "expired")


def change_event(from_status: str | None, to_status: str) -> str:
    """new, suspended, reinstated (back to active after a suspension or, by renewal, an
    expiry), withdrawn or expired."""
    if from_status is None:
        return "new"
    if to_status == "active":
        return "reinstated"
    return to_status


@dataclass(frozen=True)
class ScopeEntry:
    standard: str
    version: str
    sector: str
    status: str
    lapsed_on: date | None = None


@dataclass(frozen=True)
class HistoryItem:
    event: str
    from_status: str | None
    to_status: str
    on: date


@dataclass
class AccreditationEntry:
    id: int
    role: str
    #: As the registry shows it (``Accreditation.shown_status``).
    status: str
    valid_from: date
    valid_until: date
    countries: list[str]
    specialist_areas: list[str]
    scopes: list[ScopeEntry] = field(default_factory=list)
    history: list[HistoryItem] = field(default_factory=list)

    @property
    def active_scopes(self) -> list[ScopeEntry]:
        return [scope for scope in self.scopes if scope.status == "active"]


@dataclass(frozen=True)
class FirmRef:
    id: int
    name: str
    country: str


@dataclass
class Entry:
    profile_id: int
    user_id: int
    registry_id: str
    name: str
    languages: list[str] = field(default_factory=list)
    firms: list[FirmRef] = field(default_factory=list)
    accreditations: list[AccreditationEntry] = field(default_factory=list)

    @property
    def countries(self) -> list[str]:
        return sorted({c for a in self.accreditations for c in a.countries})

    @property
    def active(self) -> list[AccreditationEntry]:
        return [a for a in self.accreditations if a.status == "active"]


def load_entries(
    profile_ids: Iterable[int], today: date, *, with_history: bool = False
) -> list[Entry]:
    """The entries of the consenting people among ``profile_ids``, in that order."""
    ids = list(dict.fromkeys(profile_ids))
    entries: dict[int, Entry] = {}
    for part in chunks(ids):
        for row in db.session.execute(
            select(
                RegistryProfile.id, RegistryProfile.user_id, RegistryProfile.registry_id, User.name
            )
            .join(User, User.id == RegistryProfile.user_id)
            .where(RegistryProfile.id.in_(part), RegistryProfile.public.is_(True))
        ):
            entries[row.id] = Entry(row.id, row.user_id, row.registry_id, row.name)
    found = list(entries.values())
    for start in range(0, len(found), CHUNK):
        _fill_entries(found[start : start + CHUNK], today, with_history=with_history)
    return [entries[i] for i in ids if i in entries]


# What ``_fill_entries`` reads, built once (building a statement costs more than running it
# for a batch), for a batch of ids each.
_ACCREDITATIONS = (
    select(
        Accreditation.id,
        Accreditation.profile_id,
        Accreditation.role,
        Accreditation.status,
        Accreditation.valid_from,
        Accreditation.valid_until,
        Accreditation.countries,
        Accreditation.specialist_areas,
    )
    .where(Accreditation.profile_id.in_(bindparam("ids", expanding=True)))
    .order_by(Accreditation.id)
)
#: By accreditation id: the unique (accreditation, standard, sector) index gives the scopes
#: in order, with no join and no sort.
_SCOPES = (
    select(
        AccreditationScope.accreditation_id,
        AccreditationScope.standard,
        AccreditationScope.version,
        AccreditationScope.sector,
        AccreditationScope.status,
        AccreditationScope.lapsed_at,
    )
    .where(AccreditationScope.accreditation_id.in_(bindparam("ids", expanding=True)))
    .order_by(
        AccreditationScope.accreditation_id, AccreditationScope.standard, AccreditationScope.sector
    )
)
_HISTORY = (
    select(
        StatusChange.accreditation_id,
        StatusChange.from_status,
        StatusChange.to_status,
        StatusChange.occurred_at,
    )
    .where(StatusChange.accreditation_id.in_(bindparam("ids", expanding=True)))
    .order_by(StatusChange.occurred_at, StatusChange.id)
)
# Status and withdrawal are tested in Python rather than in SQL, where an index on the
# status (most entries are verified) could lure the planner away from the user_id index.
_LANGUAGES = select(
    LanguageSkill.user_id,
    LanguageSkill.language,
    LanguageSkill.status,
    LanguageSkill.withdrawn_at.is_not(None),
).where(LanguageSkill.user_id.in_(bindparam("ids", expanding=True)))
_FIRMS = (
    select(FirmAffiliation.profile_id, AuditFirm.id, AuditFirm.name, AuditFirm.country)
    .join(AuditFirm, AuditFirm.id == FirmAffiliation.firm_id)
    .where(
        FirmAffiliation.profile_id.in_(bindparam("ids", expanding=True)),
        FirmAffiliation.current_on(bindparam("today")),
    )
    .order_by(AuditFirm.name)
)


def _fill_entries(entries: Sequence[Entry], today: date, *, with_history: bool = False) -> None:
    """Read what ``entries`` (at most ``CHUNK``, made from their profile rows) show: one
    query each for their accreditations, scopes, history, languages and firms. Core rows on
    the session's connection, fetched at once and unpacked as tuples (no ORM bookkeeping):
    the API and the shortlist CSV read hundreds of entries at a time."""
    by_profile = {entry.profile_id: entry for entry in entries}
    if not by_profile:
        return
    connection = db.session.connection()
    accreditations: dict[int, AccreditationEntry] = {}
    rows = connection.execute(_ACCREDITATIONS, {"ids": list(by_profile)}).all()
    for id_, profile_id, role, status, valid_from, valid_until, countries, areas in rows:
        accreditation = AccreditationEntry(
            id=id_,
            role=role,
            status=shown_status(status, valid_until, today),
            valid_from=valid_from,
            valid_until=valid_until,
            countries=sorted(c.upper() for c in countries or ()),
            specialist_areas=list(areas or ()),
        )
        accreditations[id_] = accreditation
        by_profile[profile_id].accreditations.append(accreditation)
    for part in chunks(list(accreditations)):
        rows = connection.execute(_SCOPES, {"ids": part}).all()
        for accreditation_id, standard, version, sector, status, lapsed_at in rows:
            lapsed = lapsed_at.astimezone(UTC).date() if lapsed_at else None
            accreditations[accreditation_id].scopes.append(
                ScopeEntry(standard, version, sector, status, lapsed)
            )
        if with_history:
            for accreditation_id, from_status, to_status, occurred_at in connection.execute(
                _HISTORY, {"ids": part}
            ):
                accreditations[accreditation_id].history.append(
                    HistoryItem(
                        change_event(from_status, to_status),
                        from_status,
                        to_status,
                        occurred_at.astimezone(UTC).date(),
                    )
                )
    by_user = {entry.user_id: entry for entry in entries}
    languages = defaultdict(set)
    rows = connection.execute(_LANGUAGES, {"ids": list(by_user)}).all()
    for user_id, language, status, withdrawn in rows:
        if status == EntryStatus.VERIFIED and not withdrawn:
            languages[user_id].add(language)
    for user_id, found in languages.items():
        by_user[user_id].languages = sorted(found)
    rows = connection.execute(_FIRMS, {"ids": list(by_profile), "today": today}).all()
    for profile_id, firm_id, name, country in rows:
        by_profile[profile_id].firms.append(FirmRef(firm_id, name, country))


def current_affiliation(today: date) -> tuple:
    """SQL conditions: the affiliation holds today (``FirmAffiliation.current_on``)."""
    return (FirmAffiliation.current_on(today),)


def entry_url(registry_id: str) -> str:
    return external_url("registry.person", registry_id=registry_id)


def entry_url_maker() -> Callable[[str], str]:
    """``entry_url`` for a whole export: the route is built once, not once per person (a
    third of the time of a 100,000-person CSV). Registry ids are letters, digits and
    dashes, which a URL carries as they are; anything else is quoted as the route would."""
    marker = "REGISTRY-ID"
    head, _marker, tail = entry_url(marker).rpartition(marker)
    return lambda registry_id: head + quote(registry_id, safe="!$&'()*+,/:;=@") + tail

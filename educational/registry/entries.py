"""A person's public registry entry, as the pages, the CSV exports and the API show it.

``load_entries(profile_ids, today)`` reads consenting people only; each ``Entry`` has the
accreditations (their status as the registry shows it: an active one past its last valid day
is expired), scopes, countries, verified languages, current firms and, on request, the status
history. ``entry_json`` is the API's Entry of DESIGN.md."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date

from flask import url_for
from sqlalchemy import or_, select

from educational.accounts.models import User
from educational.accreditation.models import (
    Accreditation,
    AccreditationScope,
    AuditFirm,
    FirmAffiliation,
    RegistryProfile,
    StatusChange,
)
from educational.core.db import db
from educational.experience.models import EntryStatus, LanguageSkill

from .eligibility import effective_status
from .holders import chunks

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
    #: As the registry shows it (see ``effective_status``).
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
        _load_part(part, today, with_history, entries)
    return [entries[i] for i in ids if i in entries]


def _load_part(ids: Sequence[int], today: date, with_history: bool, entries: dict) -> None:
    for row in db.session.execute(
        select(RegistryProfile.id, RegistryProfile.user_id, RegistryProfile.registry_id, User.name)
        .join(User, User.id == RegistryProfile.user_id)
        .where(RegistryProfile.id.in_(ids), RegistryProfile.public.is_(True))
    ):
        entries[row.id] = Entry(row.id, row.user_id, row.registry_id, row.name)
    if not entries:
        return
    accreditations: dict[int, AccreditationEntry] = {}
    for row in db.session.scalars(
        select(Accreditation).where(Accreditation.profile_id.in_(ids)).order_by(Accreditation.id)
    ):
        if row.profile_id not in entries:
            continue
        accreditation = AccreditationEntry(
            id=row.id,
            role=row.role,
            status=effective_status(row.status, row.valid_until, today),
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            countries=sorted(c.upper() for c in row.countries or ()),
            specialist_areas=list(row.specialist_areas or ()),
        )
        accreditations[row.id] = accreditation
        entries[row.profile_id].accreditations.append(accreditation)
    for scope in db.session.scalars(
        select(AccreditationScope)
        .join(Accreditation)
        .where(Accreditation.profile_id.in_(ids))
        .order_by(AccreditationScope.standard, AccreditationScope.sector)
    ):
        if scope.accreditation_id in accreditations:
            lapsed = scope.lapsed_at.astimezone(UTC).date() if scope.lapsed_at else None
            accreditations[scope.accreditation_id].scopes.append(
                ScopeEntry(scope.standard, scope.version, scope.sector, scope.status, lapsed)
            )
    if with_history:
        for change in db.session.scalars(
            select(StatusChange)
            .join(Accreditation)
            .where(Accreditation.profile_id.in_(ids))
            .order_by(StatusChange.occurred_at, StatusChange.id)
        ):
            if change.accreditation_id in accreditations:
                accreditations[change.accreditation_id].history.append(
                    HistoryItem(
                        change_event(change.from_status, change.to_status),
                        change.from_status,
                        change.to_status,
                        change.occurred_at.astimezone(UTC).date(),
                    )
                )
    by_user = {entry.user_id: entry for entry in entries.values() if entry.profile_id in ids}
    languages = defaultdict(set)
    # Status and withdrawal are tested here rather than in SQL, where an index on the status
    # (most entries are verified) could lure the planner away from the user_id index.
    for user_id, language, status, withdrawn_at in db.session.execute(
        select(
            LanguageSkill.user_id,
            LanguageSkill.language,
            LanguageSkill.status,
            LanguageSkill.withdrawn_at,
        ).where(LanguageSkill.user_id.in_(list(by_user)))
    ):
        if status == EntryStatus.VERIFIED and withdrawn_at is None:
            languages[user_id].add(language)
    for user_id, found in languages.items():
        by_user[user_id].languages = sorted(found)
    for profile_id, firm_id, name, country in db.session.execute(
        select(FirmAffiliation.profile_id, AuditFirm.id, AuditFirm.name, AuditFirm.country)
        .join(AuditFirm, AuditFirm.id == FirmAffiliation.firm_id)
        .where(FirmAffiliation.profile_id.in_(ids), *current_affiliation(today))
        .order_by(AuditFirm.name)
    ):
        if profile_id in entries:
            entries[profile_id].firms.append(FirmRef(firm_id, name, country))


def current_affiliation(today: date) -> tuple:
    """SQL conditions: the affiliation holds today."""
    return (
        FirmAffiliation.since <= today,
        or_(FirmAffiliation.until.is_(None), FirmAffiliation.until >= today),
    )


def entry_url(registry_id: str) -> str:
    return url_for("registry.person", registry_id=registry_id, _external=True)


def entry_json(entry: Entry) -> dict:
    """The API's Entry (DESIGN.md, JSON API v1). Scopes that lapsed are left out: they no
    longer cover anything."""
    return {
        "registry_id": entry.registry_id,
        "name": entry.name,
        "countries": entry.countries,
        "languages": entry.languages,
        "firms": [firm.name for firm in entry.firms],
        "accreditations": [
            {
                "role": a.role,
                "status": a.status,
                "valid_from": a.valid_from.isoformat(),
                "valid_until": a.valid_until.isoformat(),
                "scopes": [
                    {"standard": s.standard, "version": s.version, "sector": s.sector}
                    for s in a.active_scopes
                ],
                "countries": a.countries,
                "specialist_areas": a.specialist_areas,
            }
            for a in entry.accreditations
        ],
        "url": entry_url(entry.registry_id),
    }

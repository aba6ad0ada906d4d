"""Searching the public registry: one filter for the pages, the CSV export and the API.

A person matches when they consented to publication and hold one accreditation that meets
every accreditation filter at once (role, status, country, and an active scope for the
standard and sector). ``role`` also finds holders of roles that include it (lead auditors
for auditor), as eligibility does; a role held for the whole scheme (``scoped: false`` in
scheme.yml, the specialist) matches any standard and sector, as eligibility passes its scope
checks. ``status`` is the status the registry shows (``Accreditation.shows``), so ``active``
leaves out an accreditation past its last valid day even before the sweep marks it expired.
``q`` matches part of the name, or the registry id. ``tests/registry/test_faces_agree.py``
proves that ``status=active`` lists exactly the people eligibility calls active."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select, union_all

from educational.accounts.models import User
from educational.accreditation.models import (
    Accreditation,
    AccreditationScope,
    RegistryProfile,
)
from educational.catalog.content.model import Scheme
from educational.core.db import db
from educational.experience.models import EntryStatus, LanguageSkill

from .sql import countries_contain

#: Orders the pages offer; the API always sorts by name.
SORTS = ("name", "registry_id", "valid_until")


@dataclass(frozen=True)
class RegistryQuery:
    q: str = ""
    role: str | None = None
    standard: str | None = None
    sector: str | None = None
    country: str | None = None
    language: str | None = None
    #: None: any status.
    status: str | None = "active"
    sort: str = "name"

    def args(self) -> dict[str, str]:
        """As query-string arguments (for links to other pages and the CSV export)."""
        values = {
            "q": self.q,
            "role": self.role,
            "standard": self.standard,
            "sector": self.sector,
            "country": self.country,
            "language": self.language,
            "status": self.status or "any",
            "sort": self.sort if self.sort != "name" else None,
        }
        return {key: value for key, value in values.items() if value}


def _matching(query: RegistryQuery, scheme: Scheme | None, today: date, *extra):
    """SELECT of the matching profile ids (with the columns the orders need).

    The accreditation filters are one uncorrelated ``IN (SELECT ...)``, so the database
    starts from the most selective index (a sector, a standard) instead of testing every
    profile in turn."""
    accreditations = select(Accreditation.profile_id)
    roles = None
    if query.role:
        roles = scheme.roles_satisfying(query.role) if scheme else (query.role,)
        accreditations = accreditations.where(Accreditation.role.in_(roles))
    if query.status:
        accreditations = accreditations.where(Accreditation.shows(query.status, today))
    if query.country:
        accreditations = accreditations.where(
            countries_contain(Accreditation.countries, query.country)
        )
    if query.standard or query.sector:
        scopes = select(AccreditationScope.accreditation_id).where(
            AccreditationScope.status == "active"
        )
        if query.standard:
            scopes = scopes.where(AccreditationScope.standard == query.standard)
        if query.sector:
            scopes = scopes.where(AccreditationScope.sector == query.sector)
        unscoped = [r for r in (scheme.unscoped_roles if scheme else ()) if r in (roles or (r,))]
        scoped = accreditations.where(Accreditation.id.in_(scopes))
        # Roles held for the whole scheme match any scope: a second branch, not an OR, so
        # each branch keeps its index.
        accreditations = (
            union_all(scoped, accreditations.where(Accreditation.role.in_(unscoped)))
            if unscoped
            else scoped
        )
    statement = (
        select(RegistryProfile.id, *extra)
        .join(User, User.id == RegistryProfile.user_id)
        .where(RegistryProfile.public.is_(True), RegistryProfile.id.in_(accreditations))
    )
    if query.q:
        like = "%" + query.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(
            or_(
                User.name.ilike(like, escape="\\"),
                RegistryProfile.registry_id == query.q.upper(),
            )
        )
    if query.language:
        statement = statement.where(
            select(LanguageSkill.id)
            .where(
                LanguageSkill.user_id == User.id,
                LanguageSkill.language == query.language,
                LanguageSkill.status == EntryStatus.VERIFIED,
                LanguageSkill.withdrawn_at.is_(None),
            )
            .exists()
        )
    return statement


def _ordered(statement, query: RegistryQuery, today: date):
    if query.sort == "registry_id":
        return statement.order_by(RegistryProfile.registry_id)
    if query.sort == "valid_until":
        # Longest validity first: the latest last valid day of the person's accreditations.
        latest = (
            select(func.max(Accreditation.valid_until))
            .where(Accreditation.profile_id == RegistryProfile.id)
            .scalar_subquery()
        )
        return statement.order_by(latest.desc(), User.name, RegistryProfile.registry_id)
    return statement.order_by(User.name, RegistryProfile.registry_id)


def search(
    query: RegistryQuery, scheme: Scheme | None, today: date, *, page: int, per_page: int
) -> tuple[list[int], int]:
    """The profile ids on ``page`` (from 1) and the total number of matches.

    One query: the page and, beside each row, the total (a window count, which costs
    nothing more since sorting already reads every match). Past the last page there is no
    row to carry the total, so it is counted apart."""
    offset = (page - 1) * per_page
    # Past any real registry (and past what PostgreSQL takes as an INTEGER): count only.
    if offset < 2**31 - 1:
        rows = db.session.execute(
            _ordered(_matching(query, scheme, today, func.count().over()), query, today)
            .limit(per_page)
            .offset(offset)
        ).all()
        if rows:
            return [row[0] for row in rows], rows[0][1]
        if page == 1:
            return [], 0
    statement = _matching(query, scheme, today)
    return [], db.session.scalar(select(func.count()).select_from(statement.subquery()))


def matching_people(query: RegistryQuery, scheme: Scheme | None, today: date, *extra):
    """SELECT of every match in order: profile id, user id, registry id, name and the
    ``extra`` columns (for the CSV export, which streams it through a server-side cursor)."""
    columns = (RegistryProfile.user_id, RegistryProfile.registry_id, User.name, *extra)
    return _ordered(_matching(query, scheme, today, *columns), query, today)

"""Loading what the eligibility engine reads, and "find eligible auditors".

``check_eligibility`` loads one holder by registry id and asks the engine. ``eligible_holders``
first narrows the candidates in SQL (consent, role, validity dates, status on the day, an
unlapsed scope for the standard and sector, the country), then loads only what the remaining
checks need for those candidates (their certificates of the relevant courses, their status
changes after the day) and applies the same engine to each: the SQL never decides alone, so
the shortlist, the members' form and the API cannot disagree.

Only people who consented to publication (``RegistryProfile.public``) are ever loaded here.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import String, and_, bindparam, cast, exists, func, or_, select

from educational.accounts.models import User
from educational.accreditation.models import (
    Accreditation,
    AccreditationScope,
    RegistryProfile,
    StatusChange,
)
from educational.accreditation.records import InterestDeclaration
from educational.catalog.content.model import Scheme
from educational.catalog.models import Course
from educational.certificates.models import Certificate
from educational.core.db import db
from educational.experience.models import ConflictDeclaration

from .eligibility import (
    UNSCOPED_ROLES,
    AccreditationFacts,
    CertificateFacts,
    ChangeFacts,
    Holder,
    ScopeFacts,
    Verdict,
    is_eligible,
    roles_satisfying,
)

#: Ids per IN (...) list: below SQLite's oldest limit on bound parameters (999).
CHUNK = 900


@dataclass(frozen=True)
class EligibleHolder:
    profile_id: int
    holder: Holder
    verdict: Verdict


def next_midnight(day: date) -> datetime:
    """The first moment after ``day`` (UTC); the end of time for the last representable day."""
    if day >= date.max:
        return datetime.max.replace(tzinfo=UTC)
    return datetime.combine(day + timedelta(days=1), time(), UTC)


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def countries_contain(column, country: str):
    """A JSON list column holds ``country`` (a validated two-letter code, stored in capitals
    as everywhere): a text match on the serialised list, portable across SQLite and
    PostgreSQL."""
    return cast(column, String).like(f'%"{country}"%')


def active_on(day: date):
    """SQL: the accreditation may have been active on ``day`` (its status now is active, or
    a change after that day moved it away from active). Over-inclusive, never under."""
    changed_later = exists().where(
        StatusChange.accreditation_id == Accreditation.id,
        StatusChange.from_status == "active",
        StatusChange.occurred_at >= next_midnight(day),
    )
    return or_(Accreditation.status == "active", changed_later)


# One holder
#
# Built once: the member's single check is the hot path of the API, and building a
# statement costs more than running it. They run on the session's connection (Core rows,
# no ORM bookkeeping).

#: The holder, their accreditations and scopes in one query (one row per scope), with the
#: time of each accreditation's last status change, so that the history is read only when
#: it can matter.
_HOLDER = (
    select(
        RegistryProfile.id.label("profile_id"),
        RegistryProfile.registry_id,
        RegistryProfile.user_id,
        User.name,
        Accreditation.id,
        Accreditation.role,
        Accreditation.status,
        Accreditation.valid_from,
        Accreditation.valid_until,
        Accreditation.countries,
        select(func.max(StatusChange.occurred_at))
        .where(StatusChange.accreditation_id == Accreditation.id)
        .scalar_subquery()
        .label("last_change_at"),
        AccreditationScope.standard,
        AccreditationScope.version,
        AccreditationScope.sector,
        AccreditationScope.status.label("scope_status"),
        AccreditationScope.lapsed_at,
    )
    .join(User, User.id == RegistryProfile.user_id)
    .outerjoin(Accreditation, Accreditation.profile_id == RegistryProfile.id)
    .outerjoin(AccreditationScope, AccreditationScope.accreditation_id == Accreditation.id)
    .where(
        RegistryProfile.registry_id == bindparam("registry_id"),
        RegistryProfile.public.is_(True),
    )
    .order_by(Accreditation.id, AccreditationScope.id)
)
_CHANGES = (
    select(
        StatusChange.accreditation_id,
        StatusChange.from_status,
        StatusChange.to_status,
        StatusChange.occurred_at,
    )
    .join(Accreditation, Accreditation.id == StatusChange.accreditation_id)
    .where(Accreditation.profile_id == bindparam("profile_id"))
    .order_by(StatusChange.occurred_at, StatusChange.id)
)
_CERTIFICATES = (
    select(
        Course.slug,
        Course.standard_code,
        Course.standard_version,
        Certificate.issued_on,
        Certificate.expires_on,
        Certificate.revoked_at,
    )
    .join(Course, Course.id == Certificate.course_id)
    .where(Certificate.user_id == bindparam("user_id"))
    .order_by(Certificate.issued_on, Certificate.id)
)
_DECLARATIONS = (
    select(
        ConflictDeclaration.entity,
        ConflictDeclaration.nature,
        ConflictDeclaration.start_date,
        ConflictDeclaration.end_date,
    )
    .where(
        ConflictDeclaration.user_id == bindparam("user_id"),
        ConflictDeclaration.withdrawn_at.is_(None),
    )
    .order_by(ConflictDeclaration.start_date, ConflictDeclaration.id)
)


def check_eligibility(
    registry_id: str,
    role: str,
    standard: str,
    sector: str,
    country: str,
    day: date,
    entity: str | None = None,
    *,
    scheme: Scheme,
) -> tuple[Holder, Verdict] | None:
    """The verdict for the consenting holder with ``registry_id``; None when there is none."""
    holder = load_holder(registry_id, day=day, with_declarations=bool(entity))
    if holder is None:
        return None
    verdict = is_eligible(holder, role, standard, sector, country, day, entity, scheme=scheme)
    return holder, verdict


def load_holder(
    registry_id: str, *, day: date | None = None, with_declarations: bool = True
) -> Holder | None:
    """Everything the engine reads about the consenting holder with ``registry_id`` (for a
    question about ``day``: the status history is left out when nothing in it can change
    the answer, i.e. every accreditation is active and unchanged since that day)."""
    connection = db.session.connection()
    rows = connection.execute(_HOLDER, {"registry_id": registry_id}).all()
    if not rows:
        return None
    profile = rows[0]
    accreditations: dict[int, list] = {}
    for row in rows:
        if row.id is None:
            continue
        found = accreditations.setdefault(row.id, [row, [], []])
        if row.standard is not None:
            found[1].append(scope_facts(row, status=row.scope_status))
    if accreditations and _history_matters(accreditations, day):
        for change in connection.execute(_CHANGES, {"profile_id": profile.profile_id}):
            accreditations[change.accreditation_id][2].append(change_facts(change))
    certificates = tuple(
        CertificateFacts(
            row.slug,
            row.standard_code,
            row.standard_version,
            row.issued_on,
            row.expires_on,
            row.revoked_at.astimezone(UTC).date() if row.revoked_at else None,
        )
        for row in connection.execute(_CERTIFICATES, {"user_id": profile.user_id})
    )
    declarations = ()
    if with_declarations:
        declarations = tuple(
            InterestDeclaration(
                entity=r.entity, nature=r.nature, start=r.start_date, end=r.end_date
            )
            for r in connection.execute(_DECLARATIONS, {"user_id": profile.user_id})
        )
    return Holder(
        registry_id=profile.registry_id,
        name=profile.name,
        accreditations=tuple(
            AccreditationFacts(
                id=row.id,
                role=row.role,
                status=row.status,
                valid_from=row.valid_from,
                valid_until=row.valid_until,
                countries=tuple(row.countries or ()),
                scopes=tuple(scopes),
                changes=tuple(changes),
            )
            for row, scopes, changes in accreditations.values()
        ),
        certificates=certificates,
        declarations=declarations,
    )


def _history_matters(accreditations: dict, day: date | None) -> bool:
    for row, _scopes, _changes in accreditations.values():
        if row.status != "active" or day is None:
            return True
        if row.last_change_at is not None and row.last_change_at >= next_midnight(day):
            return True
    return False


def scope_facts(scope, status: str | None = None) -> ScopeFacts:
    lapsed = scope.lapsed_at.astimezone(UTC).date() if scope.lapsed_at else None
    return ScopeFacts(scope.standard, scope.version, scope.sector, status or scope.status, lapsed)


def change_facts(change) -> ChangeFacts:
    return ChangeFacts(
        change.from_status, change.to_status, change.occurred_at.astimezone(UTC).date()
    )


# Everyone eligible


def eligible_holders(
    role: str,
    standard: str,
    sector: str,
    country: str,
    date: date,
    *,
    scheme: Scheme,
) -> list[EligibleHolder]:
    """Every consenting holder who passes every check for ``role``, ``standard``, ``sector``
    and ``country`` on ``date``, sorted by name (then registry id)."""
    with _no_cycle_collection():
        return _eligible_holders(role, standard, sector, country, date, scheme)


def _eligible_holders(
    role: str, standard: str, sector: str, country: str, day: date, scheme: Scheme
) -> list[EligibleHolder]:
    rows = db.session.execute(candidates_query(role, standard, sector, country, day, scheme)).all()
    if not rows:
        return []
    by_profile: dict[int, dict] = {}
    for row in rows:
        entry = by_profile.setdefault(row.profile_id, {"row": row, "accreditations": {}})
        accreditation = entry["accreditations"].setdefault(row.accreditation_id, [row, []])
        if row.scope_version is not None:
            accreditation[1].append(
                ScopeFacts(
                    standard,
                    row.scope_version,
                    sector,
                    row.scope_status,
                    row.scope_lapsed_at.astimezone(UTC).date() if row.scope_lapsed_at else None,
                )
            )
    accreditation_ids = [a for entry in by_profile.values() for a in entry["accreditations"]]
    changes = _changes_after(accreditation_ids, day)
    user_ids = [entry["row"].user_id for entry in by_profile.values()]
    certificates = _certificates_valid_on(user_ids, _relevant_courses(scheme, role, standard), day)
    eligible = []
    for profile_id, entry in by_profile.items():
        first = entry["row"]
        holder = Holder(
            registry_id=first.registry_id,
            name=first.name,
            accreditations=tuple(
                AccreditationFacts(
                    id=row.accreditation_id,
                    role=row.role,
                    status=row.status,
                    valid_from=row.valid_from,
                    valid_until=row.valid_until,
                    countries=tuple(row.countries or ()),
                    scopes=tuple(scopes),
                    changes=tuple(changes.get(row.accreditation_id, ())),
                )
                for row, scopes in entry["accreditations"].values()
            ),
            certificates=tuple(certificates.get(first.user_id, ())),
        )
        verdict = is_eligible(holder, role, standard, sector, country, day, scheme=scheme)
        if verdict.eligible:
            eligible.append(EligibleHolder(profile_id, holder, verdict))
    return eligible


@contextmanager
def _no_cycle_collection():
    """Checking thousands of candidates makes many small objects, none of them in a cycle;
    they would set off full garbage collections over every object of the process (a third
    of the time on a 100,000-person registry) although reference counting frees them all."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def candidates_query(
    role: str, standard: str, sector: str, country: str, day: date, scheme: Scheme
):
    """The SQL pre-filter of ``eligible_holders``: one row per candidate accreditation (and
    its scope for the standard and sector), in name order."""
    scoped = role not in UNSCOPED_ROLES
    columns = [
        RegistryProfile.id.label("profile_id"),
        RegistryProfile.registry_id,
        RegistryProfile.user_id,
        User.name,
        Accreditation.id.label("accreditation_id"),
        Accreditation.role,
        Accreditation.status,
        Accreditation.valid_from,
        Accreditation.valid_until,
        Accreditation.countries,
    ]
    if scoped:
        columns += [
            AccreditationScope.version.label("scope_version"),
            AccreditationScope.status.label("scope_status"),
            AccreditationScope.lapsed_at.label("scope_lapsed_at"),
        ]
    else:
        columns += [
            cast(None, String).label("scope_version"),
            cast(None, String).label("scope_status"),
            cast(None, String).label("scope_lapsed_at"),
        ]
    query = (
        select(*columns)
        .join(User, User.id == RegistryProfile.user_id)
        .join(Accreditation, Accreditation.profile_id == RegistryProfile.id)
        .where(
            RegistryProfile.public.is_(True),
            Accreditation.role.in_(roles_satisfying(scheme, role)),
            Accreditation.valid_from <= day,
            Accreditation.valid_until >= day,
            countries_contain(Accreditation.countries, country),
            active_on(day),
        )
    )
    if scoped:
        query = query.join(
            AccreditationScope,
            and_(
                AccreditationScope.accreditation_id == Accreditation.id,
                AccreditationScope.standard == standard,
                AccreditationScope.sector == sector,
            ),
        ).where(
            or_(
                AccreditationScope.status == "active",
                AccreditationScope.lapsed_at >= next_midnight(day),
            )
        )
    return query.order_by(User.name, RegistryProfile.registry_id, Accreditation.id)


def _changes_after(accreditation_ids: Sequence[int], day: date) -> dict[int, list[ChangeFacts]]:
    found: dict[int, list[ChangeFacts]] = defaultdict(list)
    for ids in chunks(accreditation_ids):
        query = (
            select(
                StatusChange.accreditation_id,
                StatusChange.from_status,
                StatusChange.to_status,
                StatusChange.occurred_at,
            )
            .where(
                StatusChange.accreditation_id.in_(ids),
                StatusChange.occurred_at >= next_midnight(day),
            )
            .order_by(StatusChange.occurred_at, StatusChange.id)
        )
        for change in db.session.execute(query):
            found[change.accreditation_id].append(change_facts(change))
    return found


def _relevant_courses(scheme: Scheme, role: str, standard: str) -> dict[int, tuple]:
    """The courses the training check reads for ``role`` and ``standard``: course id ->
    (slug, standard, version)."""
    slugs = [
        requirement.params["course"]
        for requirement in scheme.role_requirements(role)
        if requirement.kind == "course"
    ]
    rows = db.session.execute(
        select(Course.id, Course.slug, Course.standard_code, Course.standard_version).where(
            or_(Course.slug.in_(slugs), Course.standard_code == standard)
        )
    )
    return {row.id: (row.slug, row.standard_code, row.standard_version) for row in rows}


def _certificates_valid_on(
    user_ids: Sequence[int], courses: dict[int, tuple], day: date
) -> dict[int, list[CertificateFacts]]:
    """The users' certificates of ``courses`` that are valid on ``day``: the only ones that
    can make a holder eligible (the others only feed the reasons of a refusal)."""
    found: dict[int, list[CertificateFacts]] = defaultdict(list)
    if not courses:
        return found
    for ids in chunks(user_ids):
        query = select(
            Certificate.user_id,
            Certificate.course_id,
            Certificate.issued_on,
            Certificate.expires_on,
            Certificate.revoked_at,
        ).where(
            Certificate.user_id.in_(ids),
            Certificate.issued_on <= day,
            or_(Certificate.expires_on.is_(None), Certificate.expires_on > day),
            or_(Certificate.revoked_at.is_(None), Certificate.revoked_at >= next_midnight(day)),
        )
        # The course is tested here: in SQL, its index would lure the planner away from
        # the user_id index.
        for user_id, course_id, issued_on, expires_on, revoked_at in db.session.execute(query):
            if course_id not in courses:
                continue
            slug, standard, version = courses[course_id]
            found[user_id].append(
                CertificateFacts(
                    slug,
                    standard,
                    version,
                    issued_on,
                    expires_on,
                    revoked_at.astimezone(UTC).date() if revoked_at else None,
                )
            )
    return found

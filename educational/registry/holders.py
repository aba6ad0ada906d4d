"""Loading what the eligibility engine reads, and "find eligible auditors".

``check_eligibility`` loads one holder by registry id and asks the engine. ``eligible_holders``
first narrows the candidates in SQL (``candidates.py``: consent, role, validity dates, status
on the day, an unlapsed scope for the standard and sector, the country), then loads only what
the remaining checks need for those candidates (their certificates of the relevant courses,
their status changes after the day) and applies the same engine to each: the SQL never
decides alone, so the shortlist, the members' form and the API cannot disagree.

Only people who consented to publication (``RegistryProfile.public``) are ever loaded here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, func, select

from educational.accounts.models import User
from educational.accreditation.checklist import course_record
from educational.accreditation.models import (
    Accreditation,
    AccreditationScope,
    RegistryProfile,
    StatusChange,
)
from educational.accreditation.rules.status import ACTIVE
from educational.catalog.content.model import Scheme
from educational.catalog.models import Course
from educational.certificates.models import Certificate
from educational.core.cycles import no_cycle_collection
from educational.core.db import db, generic_plans
from educational.core.pagination import Page
from educational.core.records import CourseRecord, InterestDeclaration, next_midnight, utc_day
from educational.experience.models import ConflictDeclaration

from . import candidates
from .eligibility import Verdict, is_eligible
from .facts import Holder, ScopeFacts, accreditation_facts, change_facts, scope_facts

#: Pages start before this many people (a 64-bit OFFSET can hold more; no registry needs it).
MAX_OFFSET = 2**31


@dataclass(frozen=True)
class EligibleHolder:
    profile_id: int
    holder: Holder
    verdict: Verdict


# One holder
#
# Built once: the member's single check is the hot path of the API, and building a
# statement costs more than running it. They run on the session's connection (Core rows,
# no ORM bookkeeping).

#: The holder, their accreditations and scopes, and their certificates in one query: one row
#: per (scope, certificate) pair, a handful for one person, one round trip to the database
#: instead of two. With the time of each accreditation's last status change, so that the
#: history is read only when it can matter.
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
        AccreditationScope.id.label("scope_id"),
        AccreditationScope.standard,
        AccreditationScope.version,
        AccreditationScope.sector,
        AccreditationScope.status.label("scope_status"),
        AccreditationScope.lapsed_at,
        # The course columns the rules read (``checklist.course_record``).
        Certificate.id.label("certificate_id"),
        Course.slug,
        Course.standard_code,
        Course.standard_version,
        Certificate.issued_on,
        Certificate.expires_on,
        Certificate.revoked_at,
    )
    .join(User, User.id == RegistryProfile.user_id)
    .outerjoin(Accreditation, Accreditation.profile_id == RegistryProfile.id)
    .outerjoin(AccreditationScope, AccreditationScope.accreditation_id == Accreditation.id)
    # Joined directly, not through a sub-query: SQLite cannot flatten a sub-query on the
    # right of a LEFT JOIN and would build every certificate of the registry first.
    .outerjoin(Certificate, Certificate.user_id == RegistryProfile.user_id)
    .outerjoin(Course, Course.id == Certificate.course_id)
    .where(
        RegistryProfile.registry_id == bindparam("registry_id"),
        RegistryProfile.public.is_(True),
    )
    .order_by(
        Accreditation.id,
        AccreditationScope.id,
        Certificate.issued_on,
        Certificate.id,
    )
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
    with generic_plans(connection):
        rows = connection.execute(_HOLDER, {"registry_id": registry_id}).all()
    if not rows:
        return None
    profile = rows[0]
    accreditations: dict[int, list] = {}
    scopes_seen: set[int] = set()
    held: dict[int, CourseRecord] = {}
    for row in rows:
        if row.certificate_id is not None and row.certificate_id not in held:
            held[row.certificate_id] = course_record(row)
        if row.id is None:
            continue
        found = accreditations.setdefault(row.id, [row, [], []])
        if row.scope_id is not None and row.scope_id not in scopes_seen:
            scopes_seen.add(row.scope_id)
            found[1].append(scope_facts(row, status=row.scope_status))
    if accreditations and _history_matters(accreditations, day):
        for change in connection.execute(_CHANGES, {"profile_id": profile.profile_id}):
            accreditations[change.accreditation_id][2].append(change_facts(change))
    # Oldest first, as ``checklist.courses_of`` gives them.
    certificates = tuple(
        record
        for _key, record in sorted(held.items(), key=lambda item: (item[1].completed_on, item[0]))
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
            accreditation_facts(row, scopes, changes, id=row.id)
            for row, scopes, changes in accreditations.values()
        ),
        certificates=certificates,
        declarations=declarations,
    )


def _history_matters(accreditations: dict, day: date | None) -> bool:
    for row, _scopes, _changes in accreditations.values():
        if row.status != ACTIVE or day is None:
            return True
        if row.last_change_at is not None and row.last_change_at >= next_midnight(day):
            return True
    return False


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
    with no_cycle_collection():
        return _eligible_holders(role, standard, sector, country, date, scheme)


def eligible_page(
    role: str,
    standard: str,
    sector: str,
    country: str,
    day: date,
    *,
    scheme: Scheme,
    page: int,
    per_page: int,
) -> Page[EligibleHolder]:
    """Page ``page`` of ``eligible_holders``, with its total, decided in SQL
    (``candidates.eligible_query``): a count and a page of people, then the engine's verdict
    for that page only (the members' shortlist shows which accreditation qualifies). The
    engine agrees with the SQL (``tests/registry/test_faces_agree.py``); if it ever did not,
    the person would be left out of the page rather than shown as eligible."""
    query = candidates.eligible_query(role, standard, sector, country, day, scheme)
    # The page and the total in one pass over the people (a window count), not two.
    counted = query.add_columns(func.count().over().label("total"))
    offset = (page - 1) * per_page
    rows = []
    if offset < MAX_OFFSET:  # beyond, no registry has a page (and the databases refuse it)
        rows = db.session.execute(counted.limit(per_page).offset(offset)).all()
    if rows:
        total = rows[0].total
    else:  # a page past the last: the total still shows
        total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    checked = {
        item.profile_id: item
        for item in _eligible_holders(
            role, standard, sector, country, day, scheme, [row.profile_id for row in rows]
        )
    }
    items = [checked[row.profile_id] for row in rows if row.profile_id in checked]
    return Page(items, total or 0, page, per_page)


def _eligible_holders(
    role: str,
    standard: str,
    sector: str,
    country: str,
    day: date,
    scheme: Scheme,
    profile_ids: list[int] | None = None,
) -> list[EligibleHolder]:
    query = candidates.candidates_query(role, standard, sector, country, day, scheme)
    if profile_ids is not None:
        if not profile_ids:
            return []
        query = query.where(RegistryProfile.id.in_(profile_ids))
    rows = db.session.execute(query).all()
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
                    utc_day(row.scope_lapsed_at),
                )
            )
    accreditation_ids = [a for entry in by_profile.values() for a in entry["accreditations"]]
    changes = candidates.changes_after(accreditation_ids, day)
    user_ids = [entry["row"].user_id for entry in by_profile.values()]
    courses = candidates.relevant_courses(scheme, role, standard)
    certificates = candidates.certificates_valid_on(user_ids, courses, day)
    eligible = []
    for profile_id, entry in by_profile.items():
        first = entry["row"]
        holder = Holder(
            registry_id=first.registry_id,
            name=first.name,
            accreditations=tuple(
                accreditation_facts(
                    row,
                    scopes,
                    changes.get(row.accreditation_id, ()),
                    id=row.accreditation_id,
                )
                for row, scopes in entry["accreditations"].values()
            ),
            certificates=tuple(certificates.get(first.user_id, ())),
        )
        verdict = is_eligible(holder, role, standard, sector, country, day, scheme=scheme)
        if verdict.eligible:
            eligible.append(EligibleHolder(profile_id, holder, verdict))
    return eligible

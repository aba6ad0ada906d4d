"""The shortlist's SQL (``holders.eligible_holders``): the candidates narrowed in the
database, then only what the remaining checks need for them, in batches.

The SQL only narrows (over-inclusive, never under): the engine decides for each candidate, so
the shortlist, the members' form and the API cannot disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import String, and_, cast, exists, false, func, or_, select

from educational.accounts.models import User
from educational.accreditation.models import (
    Accreditation,
    AccreditationScope,
    RegistryProfile,
    StatusChange,
)
from educational.accreditation.rules.status import ACTIVE
from educational.accreditation.rules.training import required_courses
from educational.accreditation.rules.versions import usable_versions
from educational.catalog.content.model import Scheme
from educational.catalog.models import Course
from educational.certificates.models import Certificate
from educational.core.db import db
from educational.core.records import CourseRecord, next_midnight, utc_day

from .facts import ChangeFacts, change_facts
from .sql import chunks, countries_contain

# The conditions the SQL shares, each mirroring its rule in Python.


def changed_after(day: date):
    """SQL: a status change made after ``day`` (a change counts from the day it was made,
    ``facts.status_from_history``)."""
    return StatusChange.occurred_at >= next_midnight(day)


def valid_on(day: date):
    """SQL: ``day`` is inside the accreditation's valid_from..valid_until (``checks.active``)."""
    return and_(Accreditation.valid_from <= day, Accreditation.valid_until >= day)


def scope_held_on(day: date):
    """SQL: the scope had not lapsed by the end of ``day`` (``ScopeFacts.lapsed_by``: a
    lapsed scope without a day counts as lapsed, as NULL fails the comparison)."""
    return or_(
        AccreditationScope.status == ACTIVE, AccreditationScope.lapsed_at >= next_midnight(day)
    )


def maybe_active_on(day: date):
    """SQL: the accreditation may have been active on ``day`` (its status now is active, or
    a change after that day moved it away from active). Over-inclusive, never under: the
    engine reads the history (``facts.status_on``)."""
    changed_later = exists().where(
        StatusChange.accreditation_id == Accreditation.id,
        StatusChange.from_status == ACTIVE,
        changed_after(day),
    )
    return or_(Accreditation.status == ACTIVE, changed_later)


def candidates_query(
    role: str, standard: str, sector: str, country: str, day: date, scheme: Scheme
):
    """The SQL pre-filter of ``eligible_holders``: one row per candidate accreditation (and
    its scope for the standard and sector), in name order."""
    scoped = scheme.is_scoped(role)
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
            Accreditation.role.in_(scheme.roles_satisfying(role)),
            valid_on(day),
            countries_contain(Accreditation.countries, country),
            maybe_active_on(day),
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
        ).where(scope_held_on(day))
    return query.order_by(User.name, RegistryProfile.registry_id, Accreditation.id)


def changes_after(accreditation_ids: Sequence[int], day: date) -> dict[int, list[ChangeFacts]]:
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
                changed_after(day),
            )
            .order_by(StatusChange.occurred_at, StatusChange.id)
        )
        for change in db.session.execute(query):
            found[change.accreditation_id].append(change_facts(change))
    return found


def relevant_courses(scheme: Scheme, role: str, standard: str) -> dict[int, tuple]:
    """The courses the training check reads for ``role`` and ``standard``
    (``required_courses``): course id -> (slug, standard, version)."""
    slugs, standard_course = required_courses(scheme, role)
    wanted = Course.slug.in_(slugs)
    if standard_course:
        wanted = or_(wanted, Course.standard_code == standard)
    rows = db.session.execute(
        select(Course.id, Course.slug, Course.standard_code, Course.standard_version).where(wanted)
    )
    return {row.id: (row.slug, row.standard_code, row.standard_version) for row in rows}


def certificates_valid_on(
    user_ids: Sequence[int], courses: dict[int, tuple], day: date
) -> dict[int, list[CourseRecord]]:
    """The users' certificates of ``courses`` that are valid on ``day``
    (``Certificate.is_valid_on``): the only ones that can make a holder eligible (the others
    only feed the reasons of a refusal)."""
    found: dict[int, list[CourseRecord]] = defaultdict(list)
    if not courses:
        return found
    for ids in chunks(user_ids):
        query = select(
            Certificate.user_id,
            Certificate.course_id,
            Certificate.issued_on,
            Certificate.expires_on,
            Certificate.revoked_at,
        ).where(Certificate.user_id.in_(ids), Certificate.is_valid_on(day))
        # The course is tested here: in SQL, its index would lure the planner away from
        # the user_id index.
        for user_id, course_id, issued_on, expires_on, revoked_at in db.session.execute(query):
            if course_id not in courses:
                continue
            slug, standard, version = courses[course_id]
            found[user_id].append(
                CourseRecord(slug, issued_on, expires_on, standard, version, utc_day(revoked_at))
            )
    return found


# Everyone eligible, decided in SQL (/api/v1/eligible and the shortlist's pages)


def status_on_day(day: date):
    """SQL: the accreditation's status on ``day``, as ``facts.status_from_history`` reads
    the history: the status before the first change made after that day (the oldest first),
    else the status now."""
    before_first_later_change = (
        select(StatusChange.from_status)
        .where(
            StatusChange.accreditation_id == Accreditation.id,
            StatusChange.from_status.is_not(None),
            changed_after(day),
        )
        .order_by(StatusChange.occurred_at, StatusChange.id)
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(before_first_later_change, Accreditation.status)


def eligible_query(role: str, standard: str, sector: str, country: str, day: date, scheme: Scheme):
    """Every consenting holder who passes every check of ``eligibility.is_eligible`` (without
    an entity), decided in SQL: one row (profile_id, registry_id, user_id, name) per holder,
    in name order. The same conditions as the checks, each written from the rule it mirrors
    (``facts.status_on``, ``ScopeFacts.lapsed_by``, ``usable_versions``,
    ``Certificate.is_valid_on``, ``required_courses``); ``tests/registry/test_faces_agree.py``
    proves both give the same people."""
    country = country.strip().upper()
    # IN sub-queries, not correlated EXISTS: SQLite then starts from the few scopes of the
    # standard and sector instead of testing every profile (0.18 -> 0.07 s on 100k people);
    # PostgreSQL plans both as the same semi-join.
    held = select(Accreditation.profile_id).where(
        Accreditation.role.in_(scheme.roles_satisfying(role)),
        valid_on(day),
        countries_contain(Accreditation.countries, country),
        status_on_day(day) == ACTIVE,
    )
    found = scheme.standards.get(standard)
    usable = [v.version for v in usable_versions(found, day)] if found is not None else []
    if scheme.is_scoped(role):
        held = held.where(
            Accreditation.id.in_(
                select(AccreditationScope.accreditation_id).where(
                    AccreditationScope.standard == standard,
                    AccreditationScope.sector == sector,
                    AccreditationScope.version.in_(usable),
                    scope_held_on(day),
                )
            )
        )
    query = (
        select(
            RegistryProfile.id.label("profile_id"),
            RegistryProfile.registry_id,
            RegistryProfile.user_id,
            User.name,
        )
        .join(User, User.id == RegistryProfile.user_id)
        .where(RegistryProfile.public.is_(True), RegistryProfile.id.in_(held))
    )
    if role not in scheme.roles:
        return query.where(false())
    slugs, standard_course = required_courses(scheme, role)
    for slug in slugs:
        query = query.where(_holds_valid(day, Course.slug == slug))
    if standard_course:
        query = query.where(
            _holds_valid(day, Course.standard_code == standard, Course.standard_version.in_(usable))
        )
    return query.order_by(User.name, RegistryProfile.registry_id)


def _holds_valid(day: date, *course):
    """SQL: the holder has a certificate valid on ``day`` of a course meeting ``course``."""
    return exists().where(
        Certificate.user_id == RegistryProfile.user_id,
        Certificate.course_id == Course.id,
        Certificate.is_valid_on(day),
        *course,
    )

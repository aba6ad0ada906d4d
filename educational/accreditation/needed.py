"""The courses a learner's intended scope still needs, for their dashboard: the roles and
standards of their open applications (a draft included) and of the accreditations they hold,
read against the scheme's training rules (``rules.training``: the same ``required_courses``,
``course_on`` and ``standard_course_on`` the checklist and the eligibility engine read), so
the dashboard can never disagree with the checklist about training. Read only."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from educational.catalog.content import Scheme
from educational.catalog.models import Course
from educational.catalog.scheme import current_scheme, named
from educational.catalog.services import find_enrolment
from educational.core.db import db, utcnow
from educational.core.panels import Shown
from educational.core.records import CourseRecord, utc_day

from .checklist import courses_of
from .models import AccreditationStatus
from .queries import accreditations_of, applications_of
from .rules.training import course_on, required_courses, standard_course_on
from .rules.versions import current_version

#: (role, standard codes in scope) a learner intends to hold.
Intent = tuple[str, tuple[str, ...]]


@dataclass(frozen=True)
class Need:
    """A course still to pass: a course named by the scheme (``slug``), or the course of a
    standard's current version (``standard``, ``version``)."""

    slug: str | None = None
    standard: str | None = None
    version: str | None = None


def needed_courses(
    scheme: Scheme, intents: Iterable[Intent], courses: Iterable[CourseRecord], day: date
) -> list[Need]:
    """What the training requirements of ``intents`` still lack on ``day``, in the order
    the roles and standards come, each once. Pure."""
    courses = tuple(courses)
    needs: dict[Need, None] = {}
    for role, standards in intents:
        if role not in scheme.roles:
            continue
        slugs, per_standard = required_courses(scheme, role)
        for slug in slugs:
            if course_on(slug, courses, day) is None:
                needs[Need(slug=slug)] = None
        if not per_standard:
            continue
        for code in standards:
            standard = scheme.standards.get(code)
            version = current_version(standard, day) if standard is not None else None
            if version is not None and standard_course_on(standard, courses, day) is None:
                needs[Need(standard=code, version=version.version)] = None
    return list(needs)


def intents_of(user_id: int) -> list[Intent]:
    """The open applications first (newest first), then the accreditations held."""
    intents: list[Intent] = []
    for application in applications_of(user_id):
        if application.is_open:
            standards = tuple(dict.fromkeys(s["standard"] for s in application.scopes or []))
            intents.append((application.role, standards))
    live = (AccreditationStatus.ACTIVE, AccreditationStatus.SUSPENDED)
    for accreditation in accreditations_of(user_id):
        if accreditation.status in live:
            standards = tuple(dict.fromkeys(s.standard for s in accreditation.scopes))
            intents.append((accreditation.role, standards))
    return intents


def _course_for(need: Need) -> Course | None:
    """The live course that meets ``need``."""
    query = select(Course).where(Course.retired_at.is_(None))
    if need.slug is not None:
        query = query.where(Course.slug == need.slug)
    else:
        query = query.where(
            Course.standard_code == need.standard, Course.standard_version == need.version
        )
    return db.session.scalars(query.order_by(Course.id)).first()


def needed_courses_panel(*, user) -> Shown | None:
    """The dashboard box: each course still needed, with its page and whether the learner
    is already enrolled; nothing when no application or accreditation asks for one."""
    scheme = current_scheme()
    intents = intents_of(user.id) if scheme is not None else []
    if not intents:
        return None
    needs = needed_courses(scheme, intents, courses_of(user.id), utc_day(utcnow()))
    if not needs:
        return None
    rows = []
    for need in needs:
        course = _course_for(need)
        enrolment = find_enrolment(user, course) if course is not None else None
        standard = named(scheme, "standards", need.standard) if need.standard else None
        rows.append((need, course, enrolment, standard))
    return Shown("accreditation/_needed_courses.html", {"rows": rows})

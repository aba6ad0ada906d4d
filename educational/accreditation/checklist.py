"""Glue between the database and the pure rules engine: a person's ``PersonRecord`` built from
their verified experience and their certificates, evaluated against a role of the
synced scheme, and the evaluation as JSON (the snapshot an application keeps).

Renewals are evaluated on the last ``validity_years`` years only (``within_years``): audits
that ended, work done and specialist evidence dated in that window; courses and
qualifications count by their own validity, declarations whatever their date.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from educational.catalog.content import Scheme
from educational.catalog.models import Course
from educational.certificates.models import Certificate
from educational.core.db import db
from educational.core.names import country_name
from educational.core.records import CourseRecord, PersonRecord, utc_day
from educational.experience.services import verified_record

from .rules import Evaluation, Window, evaluate

Scope = tuple[str, str]


def person_record(user_id: int) -> PersonRecord:
    """Everything that counts for ``user_id``: verified experience (see
    ``educational.experience.records``) and every certificate (which ones count on the day is
    the rules' business: ``CourseRecord.valid_on``)."""
    verified = verified_record(user_id)
    return PersonRecord(
        audits=verified.audits,
        work=verified.work,
        qualifications=verified.qualifications,
        courses=courses_of(user_id),
        declarations=verified.conflicts,
    )


#: A person's certificates with what the rules read of their courses, oldest first (built
#: once; the eligibility engine's loader runs it too).
COURSES_OF = (
    select(
        Course.slug,
        Course.standard_code,
        Course.standard_version,
        Certificate.issued_on,
        Certificate.expires_on,
        Certificate.revoked_at,
    )
    .join(Course, Certificate.course_id == Course.id)
    .where(Certificate.user_id == bindparam("user_id"))
    .order_by(Certificate.issued_on, Certificate.id)
)


def courses_of(user_id: int) -> tuple[CourseRecord, ...]:
    """The user's certificates as courses, oldest first, revoked ones included with the day
    of their revocation (as the eligibility engine reads them, so the two cannot differ)."""
    rows = db.session.execute(COURSES_OF, {"user_id": user_id})
    return tuple(course_record(row) for row in rows)


def course_record(row) -> CourseRecord:
    """A certificate row (course slug, standard_code, standard_version; certificate
    issued_on, expires_on, revoked_at) as the rules read it."""
    return CourseRecord(
        slug=row.slug,
        completed_on=row.issued_on,
        expires_on=row.expires_on,
        standard=row.standard_code,
        version=row.standard_version,
        revoked_on=utc_day(row.revoked_at),
    )


def within_years(record: PersonRecord, as_of: date, years: int) -> PersonRecord:
    """The record as a renewal reads it: experience of the last ``years`` years only."""
    window = Window.last_years(as_of, years)
    work = []
    for item in record.work:
        clipped = window.clip(item.start, item.end)
        if clipped is not None:
            work.append(replace(item, start=clipped[0], end=clipped[1]))
    return PersonRecord(
        audits=tuple(a for a in record.audits if window.contains(a.end)),
        work=tuple(work),
        qualifications=record.qualifications,
        courses=record.courses,
        specialist_evidence=tuple(
            e for e in record.specialist_evidence if window.contains(e.dated)
        ),
        declarations=record.declarations,
    )


def evaluate_person(
    scheme: Scheme,
    user_id: int,
    role: str,
    *,
    scopes: Iterable[Scope] = (),
    countries: Iterable[str] = (),
    specialist_areas: Iterable[str] = (),
    as_of: date,
    renewal: bool = False,
) -> Evaluation:
    """The role's requirements checked against the person's verified record on ``as_of``."""
    record = person_record(user_id)
    if renewal:
        record = within_years(record, as_of, scheme.validity_years)
    return evaluate(
        scheme,
        role,
        record,
        scopes=scopes,
        countries=countries,
        specialist_areas=specialist_areas,
        as_of=as_of,
    )


def as_json(evaluation: Evaluation) -> list[dict[str, Any]]:
    """The results as stored in ``Application.checklist``; ``as_of`` repeated on each row so
    a snapshot reads on its own."""
    return [
        {
            "code": result.code,
            "met": result.met,
            "reason": result.reason,
            "details": result.details,
            "as_of": evaluation.as_of.isoformat(),
        }
        for result in evaluation.results
    ]


def unmet_codes(checklist: list[dict[str, Any]] | None) -> list[str]:
    return [row["code"] for row in checklist or () if not row.get("met")]


# Presentation: a title for each result code, for the pages.


@dataclass(frozen=True)
class Row:
    """One requirement as a page shows it."""

    code: str
    title: str
    met: bool
    reason: str


def rows(checklist: list[dict[str, Any]] | None, scheme: Scheme | None) -> list[Row]:
    if not checklist:
        return []
    courses = dict(db.session.execute(select(Course.slug, Course.title)).all())
    return [
        Row(item["code"], title(item["code"], scheme, courses), bool(item["met"]), item["reason"])
        for item in checklist
    ]


def title(code: str, scheme: Scheme | None, courses: dict[str, str] | None = None) -> str:
    """ "course:asi-auditor" -> "Course ASI Auditor Course passed", and so on (``courses``:
    course titles by slug); an unknown code as is."""
    kind, _sep, rest = code.partition(":")
    if kind == "audits":
        return _("Audit experience as %(role)s", role=rest) if rest else _("Audit experience")
    if kind == "course":
        name = (courses or {}).get(rest, rest)
        return _("Course passed: %(course)s", course=name or "…")
    if kind == "qualification":
        return _("Qualification: %(kind)s", kind=rest or "…")
    if kind == "standard_course":
        if scheme and rest in scheme.standards:
            rest = f"{rest} ({scheme.standards[rest].name})"
        return _("Course for the standard %(standard)s passed", standard=rest or "…")
    if kind == "sector_experience":
        standard, _slash, sector = rest.partition("/")
        name = scheme.sectors[sector].name if scheme and sector in scheme.sectors else sector
        where = f"{name} ({standard})" if rest else "…"
        return _("Experience in the sector %(sector)s", sector=where)
    if kind == "country_experience":
        return _("Experience in %(country)s", country=country_name(rest) if rest else "…")
    if kind == "specialist_area":
        if scheme and rest in scheme.specialist_areas:
            rest = scheme.specialist_areas[rest].name
        return _("Evidence in the specialist area %(area)s", area=rest or "…")
    return code

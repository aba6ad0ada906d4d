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

from flask import has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from educational.catalog.content import Scheme
from educational.catalog.models import Course
from educational.catalog.scheme import named, reader_language
from educational.certificates.models import Certificate
from educational.core.db import db, today
from educational.core.names import country_name
from educational.core.recordparts import record_parts
from educational.core.records import CourseRecord, PersonRecord, utc_day
from educational.experience.models import EntryStatus, ExperienceEntry
from educational.experience.records import build_record
from educational.experience.services import verified_record

from . import reasons
from .rules import Evaluation, Reason, RequirementResult, Window, evaluate
from .rules.versions import versions_on

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
        cpd=verified.cpd,
        **record_parts(user_id),
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
    return replace(
        record,
        audits=tuple(a for a in record.audits if window.contains(a.end)),
        work=tuple(work),
        specialist_evidence=tuple(
            e for e in record.specialist_evidence if window.contains(e.dated)
        ),
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
    pending = pending_record(user_id)
    waiting = with_pending(record, pending)
    if renewal:
        record = within_years(record, as_of, scheme.validity_years)
        waiting = within_years(waiting, as_of, scheme.validity_years)
    scope = {
        "scopes": tuple(scopes),
        "countries": tuple(countries),
        "specialist_areas": tuple(specialist_areas),
        "as_of": as_of,
        "renewal": renewal,
    }
    evaluation = evaluate(scheme, role, record, **scope)
    if pending.audits or pending.work or pending.qualifications:
        evaluation = with_waiting(evaluation, evaluate(scheme, role, waiting, **scope), pending)
    return evaluation


# Entries waiting for verification: counted apart, so that "0 of 4 audits" says that 4 wait.


def pending_record(user_id: int) -> PersonRecord:
    """The audits, work and qualifications the person submitted that wait for verification."""
    entries = db.session.scalars(
        select(ExperienceEntry).where(
            ExperienceEntry.user_id == user_id,
            ExperienceEntry.withdrawn_at.is_(None),
            ExperienceEntry.status == EntryStatus.SUBMITTED,
            ExperienceEntry.kind.in_(("audit", "work", "qualification")),
        )
    )
    found = build_record(user_id, entries)
    return PersonRecord(audits=found.audits, work=found.work, qualifications=found.qualifications)


def with_pending(record: PersonRecord, pending: PersonRecord) -> PersonRecord:
    """``record`` as it would be once every pending entry is verified."""
    return replace(
        record,
        audits=record.audits + pending.audits,
        work=record.work + pending.work,
        qualifications=record.qualifications + pending.qualifications,
    )


#: Per result kind, the figures of ``details`` that pending entries add to.
_WAITING_FIGURES = {
    "audits": ("audits",),
    "sector_experience": ("audits",),
    "country_experience": ("audits", "work_entries"),
}


def with_waiting(
    evaluation: Evaluation, if_verified: Evaluation, pending: PersonRecord
) -> Evaluation:
    """``evaluation`` with, on each unmet result's message, how many pending entries would
    count toward it (``if_verified``: the same evaluation with them verified)."""
    results = []
    for result, other in zip(evaluation.results, if_verified.results, strict=True):
        count = 0 if result.met else _waiting_for(result, other, pending)
        if count and result.message is not None:
            values = dict(result.message.values) | {"waiting": count}
            result = replace(result, message=Reason(result.message.id, values))
        results.append(result)
    return replace(evaluation, results=tuple(results))


def _waiting_for(result: RequirementResult, other: RequirementResult, pending: PersonRecord) -> int:
    kind, _sep, rest = result.code.partition(":")
    count = sum(
        (other.details.get(name) or 0) - (result.details.get(name) or 0)
        for name in _WAITING_FIGURES.get(kind, ())
    )
    if kind == "sector_experience" and rest:
        if (other.details.get("work_days") or 0) > (result.details.get("work_days") or 0):
            sector = rest.partition("/")[2]
            count += len([work for work in pending.work if work.sector == sector])
    elif kind == "qualification":
        count = len([q for q in pending.qualifications if q.kind == rest])
    return max(count, 0)


def as_json(evaluation: Evaluation) -> list[dict[str, Any]]:
    """The results as stored in ``Application.checklist``; ``as_of`` repeated on each row so
    a snapshot reads on its own. "reason" is the English record; "message" (id and values)
    is what pages render in the reader's language (``reasons.render``)."""
    return [
        {
            "code": result.code,
            "met": result.met,
            "reason": result.reason,
            "details": result.details,
            "message": result.message.as_json() if result.message else None,
            "as_of": evaluation.as_of.isoformat(),
        }
        for result in evaluation.results
    ]


def unmet_codes(checklist: list[dict[str, Any]] | None) -> list[str]:
    return [row["code"] for row in checklist or () if not row.get("met")]


# Presentation: a title, a reason and the way to fix it, for the pages.


@dataclass(frozen=True)
class Fix:
    """A link to the page where an unmet requirement can be worked on."""

    url: str
    label: str


@dataclass(frozen=True)
class Row:
    """One requirement as a page shows it, in the reader's language."""

    code: str
    title: str
    met: bool
    reason: str
    #: Entries waiting for verification that would count toward it.
    waiting: int = 0
    #: Where to fix it (only for unmet requirements).
    fixes: tuple[Fix, ...] = ()


def rows(checklist: list[dict[str, Any]] | None, scheme: Scheme | None) -> list[Row]:
    if not checklist:
        return []
    courses = _courses()
    names = reasons.Names(scheme, {slug: course.title for slug, course in courses.items()})
    found = []
    for item in checklist:
        met, message = bool(item["met"]), item.get("message")
        values = (message or {}).get("values") or {}
        found.append(
            Row(
                code=item["code"],
                title=title(item["code"], scheme, names.courses),
                met=met,
                reason=reasons.render(message, met, names, item.get("reason", "")),
                waiting=0 if met else int(values.get("waiting") or 0),
                fixes=() if met else fixes(item["code"], scheme, courses, item.get("as_of")),
            )
        )
    return found


def reason_renderer(scheme: Scheme | None):
    """``render(reason, met, fallback)``: a ``Reason`` (or None: ``fallback``) as a sentence in
    the reader's language; course titles are read once, at the first call. For the pages
    that show the eligibility engine's checks (``educational.registry``)."""
    found: dict[str, reasons.Names] = {}

    def render(reason: Reason | None, met: bool, fallback: str = "") -> str:
        if reason is None:
            return fallback
        if "names" not in found:
            titles = {slug: course.title for slug, course in _courses().items()}
            found["names"] = reasons.Names(scheme, titles)
        return reasons.render(reason.as_json(), met, found["names"], fallback)

    return render


@dataclass(frozen=True)
class _Course:
    title: str
    standard: str | None
    version: str | None
    retired: bool


def _courses() -> dict[str, _Course]:
    """Every course by slug, with its title in the reader's language."""
    language = reader_language()
    query = select(
        Course.slug,
        Course.title,
        Course.language,
        Course.translations,
        Course.standard_code,
        Course.standard_version,
        Course.retired_at,
    )
    found = {}
    for row in db.session.execute(query):
        text = (row.translations or {}).get(language) if language != row.language else None
        found[row.slug] = _Course(
            (text or {}).get("title") or row.title,
            row.standard_code,
            row.standard_version,
            row.retired_at is not None,
        )
    return found


def fixes(
    code: str, scheme: Scheme | None, courses: dict[str, _Course], as_of: str | None = None
) -> tuple[Fix, ...]:
    """The pages where the unmet requirement ``code`` can be worked on: the course to take,
    the experience form to log an audit, work or a qualification. None for a choice still
    to make (the form is on the page already)."""
    if not has_request_context():
        return ()
    kind, _sep, rest = code.partition(":")
    if kind == "course" and rest in courses:
        return (_course_fix(rest, courses[rest]),)
    if kind == "standard_course" and rest:
        return tuple(
            _course_fix(slug, course)
            for slug, course in courses.items()
            if course.standard == rest
            and not course.retired
            and course.version in _usable_versions(scheme, rest, as_of)
        ) or (Fix(url_for("catalog.index"), _("See the courses")),)
    if kind == "qualification":
        return (_log("qualification", _("Log a qualification")),)
    if kind == "audits":
        return (_log("audit", _("Log an audit")),)
    if kind in ("sector_experience", "country_experience") and rest:
        return (_log("audit", _("Log an audit")), _log("work", _("Log work experience")))
    if kind == "specialist_area" and rest:
        return (_log("work", _("Log work experience")),)
    if kind == "cpd":
        return (_log("cpd", _("Log a CPD activity")),)
    return ()


def _course_fix(slug: str, course: _Course) -> Fix:
    return Fix(
        url_for("catalog.course", slug=slug), _("Take the course %(course)s", course=course.title)
    )


def _log(kind: str, label: str) -> Fix:
    return Fix(url_for("experience.create", kind=kind), label)


def _usable_versions(scheme: Scheme | None, code: str, as_of: str | None) -> tuple[str, ...]:
    standard = scheme.standards.get(code) if scheme else None
    if standard is None:
        return ()
    day = date.fromisoformat(as_of) if as_of else today()
    return versions_on(standard, day).usable


def title(code: str, scheme: Scheme | None, courses: dict[str, str] | None = None) -> str:
    """ "course:asi-auditor" -> "Course passed: ASI Auditor Course", and so on (``courses``:
    course titles by slug), with the scheme's names in the reader's language; an unknown
    code as is."""
    kind, _sep, rest = code.partition(":")
    if kind == "audits":
        if rest == "lead":
            return _("Audit experience as lead auditor")
        return _("Audit experience as %(role)s", role=rest) if rest else _("Audit experience")
    if kind == "course":
        name = (courses or {}).get(rest, rest)
        return _("Course passed: %(course)s", course=name or "…")
    if kind == "qualification":
        name = reasons.Names.kind(rest) if rest else "…"
        return _("Qualification: %(kind)s", kind=name)
    if kind == "standard_course":
        name = named(scheme, "standards", rest)
        return _("Course for the standard %(standard)s passed", standard=name or "…")
    if kind == "sector_experience":
        standard, _slash, sector = rest.partition("/")
        where = f"{named(scheme, 'sectors', sector)} ({standard})" if rest else "…"
        return _("Experience in the sector %(sector)s", sector=where)
    if kind == "country_experience":
        return _("Experience in %(country)s", country=country_name(rest) if rest else "…")
    if kind == "cpd":
        year = rest.partition(":")[2]
        if year:
            return _("CPD in the cycle year from %(day)s", day=reasons.Names.day(year))
        return _("Continuing professional development (CPD) in the cycle")
    if kind == "specialist_area":
        name = named(scheme, "specialist_areas", rest)
        return _("Evidence in the specialist area %(area)s", area=name or "…")
    return code

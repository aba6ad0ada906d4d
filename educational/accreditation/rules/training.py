"""Requirement kinds about training: ``course``, ``standard_course``, ``qualification``.

A course counts from the day it was completed up to the day before its certificate's
``expires_on`` (the first day it is no longer valid, as in ``educational.certificates``), and
no longer from the day its certificate was revoked (``CourseRecord.valid_on``); a
qualification from the day it was obtained up to and including its ``expires`` day (the
"valid until" printed on such certificates).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from educational.catalog.content.model import Scheme, Standard
from educational.core.records import CourseRecord, PersonRecord

from .periods import valid_on
from .results import EvaluationContext, Reason, RequirementResult, unknown_standard
from .versions import VersionsOn, versions_on

# The one rule for training, read by the checklist below, the eligibility engine
# (``educational.registry.checks``), approvals and the sweep: a course counts on a day when
# ``CourseRecord.valid_on`` says so; these pick the course that satisfies a requirement.


def course_on(slug: str, courses: Iterable[CourseRecord], day: date) -> CourseRecord | None:
    """The course ``slug`` valid on ``day`` (the latest completed), or None."""
    valid = [c for c in courses if c.slug == slug and c.valid_on(day)]
    return max(valid, key=_completed_on) if valid else None


def standard_course_on(
    standard: Standard, courses: Iterable[CourseRecord], day: date
) -> CourseRecord | None:
    """The course that satisfies ``standard`` on ``day``: valid on the day and for a version
    usable on it; the current version's course first, then the latest completed."""
    versions = versions_on(standard, day)
    valid = [
        c
        for c in courses
        if c.standard == standard.code and c.version in versions.usable and c.valid_on(day)
    ]
    if not valid:
        return None
    return max(valid, key=lambda c: (c.version == versions.current, c.completed_on))


def last_lapsed(courses: Iterable[CourseRecord], day: date) -> CourseRecord | None:
    """Of ``courses`` completed by ``day``, the one that lapsed last (to say why none counts)."""
    taken = [c for c in courses if c.completed_on <= day]
    return max(taken, key=lambda c: c.expires_on or day) if taken else None


def lapse_text(course: CourseRecord, day: date) -> str:
    """ "was revoked on ..." or "expired on ...": why ``course`` does not count on ``day``."""
    if course.revoked_by(day):
        return f"was revoked on {_iso(course.revoked_on)}"
    return f"expired on {_iso(course.expires_on) or '?'}"


def completed_text(course: CourseRecord) -> str:
    text = f"completed on {course.completed_on.isoformat()}"
    if course.expires_on is not None:
        text += f", expires on {course.expires_on.isoformat()}"
    return text


def _completed_on(course: CourseRecord) -> date:
    return course.completed_on


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def lapse_reason(course: CourseRecord, day: date) -> Reason:
    """``lapse_text`` as a message: "course.revoked" or "course.expired"."""
    values = {"course": course.slug, "completed_on": _iso(course.completed_on)}
    if course.revoked_by(day):
        return Reason("course.revoked", values | {"revoked_on": _iso(course.revoked_on)})
    return Reason("course.expired", values | {"expires_on": _iso(course.expires_on)})


def _course_details(course: CourseRecord | None) -> dict[str, Any]:
    return {
        "course": course.slug if course else None,
        "completed_on": _iso(course.completed_on) if course else None,
        "expires_on": _iso(course.expires_on) if course else None,
    }


# The checklist's checks


def check_course(
    params: Mapping[str, Any], record: PersonRecord, context: EvaluationContext
) -> list[RequirementResult]:
    """The named course completed and still valid (not expired, not revoked)."""
    slug = params["course"]
    as_of = context.as_of
    code = f"course:{slug}"
    best = course_on(slug, record.courses, as_of)
    if best is not None:
        reason = f"course {slug} {completed_text(best)}"
        message = Reason("course.valid", _course_details(best))
        return [RequirementResult(code, True, reason, _course_details(best), message)]
    last = last_lapsed((c for c in record.courses if c.slug == slug), as_of)
    if last is not None:
        reason = (
            f"course {slug} {lapse_text(last, as_of)} "
            f"(completed on {last.completed_on.isoformat()}); take it again"
        )
        message = lapse_reason(last, as_of)
        return [RequirementResult(code, False, reason, _course_details(last), message)]
    details = {"course": slug, "completed_on": None, "expires_on": None}
    message = Reason("course.missing", {"course": slug})
    return [RequirementResult(code, False, f"course {slug} not completed", details, message)]


def check_standard_course(
    params: Mapping[str, Any], record: PersonRecord, context: EvaluationContext
) -> list[RequirementResult]:
    """For each standard in scope, a course for a usable version (current, or the previous
    one during the transition) completed and still valid."""
    if not context.standards:
        return [
            RequirementResult(
                "standard_course",
                False,
                "no standard in scope; choose at least one",
                {},
                Reason("scope.none"),
            )
        ]
    return [_standard_course(code, record, context) for code in context.standards]


def _standard_course(
    code: str, record: PersonRecord, context: EvaluationContext
) -> RequirementResult:
    as_of = context.as_of
    result_code = f"standard_course:{code}"
    standard = context.scheme.standards.get(code)
    if standard is None:
        return unknown_standard(result_code, code, context.scheme)
    versions = versions_on(standard, as_of)
    if not versions.usable:
        reason = f"standard {code} has no version published on or before {as_of.isoformat()}"
        message = Reason("standard.no_version", {"standard": code, "day": as_of.isoformat()})
        return RequirementResult(result_code, False, reason, {"standard": code}, message)
    details: dict[str, Any] = {
        "standard": code,
        "current_version": versions.current,
        "usable_versions": list(versions.usable),
        "transition_last_day": _iso(versions.last_day) if len(versions.usable) > 1 else None,
    }
    best = standard_course_on(standard, record.courses, as_of)
    if best is not None:
        reason = f"course {best.slug} for {code} version {best.version} {completed_text(best)}"
        values = _course_details(best) | {"standard": code, "version": best.version}
        if best.version != versions.current:
            reason += (
                f"; accepted until {_iso(versions.last_day)} during the transition to "
                f"version {versions.current}"
            )
            values |= {"last_day": _iso(versions.last_day), "current": versions.current}
        message = Reason("standard_course.valid", values)
        return RequirementResult(
            result_code, True, reason, details | _course_details(best), message
        )
    reason = f"no course for {code} {wanted_text(versions)} completed"
    values = {"standard": code, "current": versions.current}
    if len(versions.usable) > 1:
        values |= {"previous": versions.usable[1], "last_day": _iso(versions.last_day)}
    mine = [c for c in record.courses if c.standard == code and c.completed_on <= as_of]
    lapsed = last_lapsed((c for c in mine if c.version in versions.usable), as_of)
    older = [c for c in mine if c.version in versions.older and c.version not in versions.usable]
    if lapsed is not None:
        reason += f"; course {lapsed.slug} {lapse_text(lapsed, as_of)}"
        values["lapsed"] = lapse_reason(lapsed, as_of).as_json()
    elif older:
        last = max(older, key=_completed_on)
        current = standard.versions[len(versions.older)]
        reason += f"; course {last.slug} is for version {last.version}, which " + (
            f"was usable until {_iso(versions.last_day)}"
            if versions.last_day is not None and last.version == versions.older[-1]
            else f"version {current.version} replaced on {current.published.isoformat()}"
        )
        values["older"] = {"course": last.slug, "version": last.version}
    message = Reason("standard_course.missing", values)
    return RequirementResult(result_code, False, reason, details | _course_details(None), message)


def wanted_text(versions: VersionsOn) -> str:
    """ "version 3", or "version 3 (or version 2 until 2023-05-18)" during a transition."""
    wanted = f"version {versions.current}"
    if len(versions.usable) > 1:
        wanted += f" (or version {versions.usable[1]} until {_iso(versions.last_day)})"
    return wanted


def check_qualification(
    params: Mapping[str, Any], record: PersonRecord, context: EvaluationContext
) -> list[RequirementResult]:
    """A qualification of the kind, obtained on or before the date and not expired."""
    kind = params["qualification_kind"]
    as_of = context.as_of
    code = f"qualification:{kind}"
    held = [q for q in record.qualifications if q.kind == kind and q.obtained <= as_of]
    valid = [q for q in held if valid_on(q.expires, as_of)]
    if valid:
        best = max(valid, key=lambda q: q.obtained)
        reason = f"{kind} qualification obtained on {best.obtained.isoformat()}"
        if best.expires is not None:
            reason += f", valid until {best.expires.isoformat()}"
        details = {"obtained": best.obtained.isoformat(), "expires": _iso(best.expires)}
        message = Reason("qualification.valid", {"kind": kind} | details)
        return [
            RequirementResult(code, True, reason, {"qualification_kind": kind} | details, message)
        ]
    reason = f"no verified {kind} qualification valid on {as_of.isoformat()}"
    details = {"qualification_kind": kind, "obtained": None, "expires": None}
    values = {"kind": kind, "day": as_of.isoformat(), "expires": None}
    if held:
        last = max(held, key=lambda q: q.expires or as_of)
        reason += f" (the last one expired on {_iso(last.expires)})"
        details |= {"obtained": last.obtained.isoformat(), "expires": _iso(last.expires)}
        values["expires"] = _iso(last.expires)
    message = Reason("qualification.missing", values)
    return [RequirementResult(code, False, reason, details, message)]


_required: dict[tuple[str, str], tuple[tuple[str, ...], bool]] = {}


def required_courses(scheme: Scheme, role: str) -> tuple[tuple[str, ...], bool]:
    """The courses ``role`` requires by name, and whether it requires the course of each
    standard in scope: its "course" and "standard_course" requirements (included roles'
    too), as ``check_course`` and ``check_standard_course`` read them. A role held for the
    whole scheme has no standard in scope."""
    key = (scheme.content_hash, role)
    found = _required.get(key)
    if found is None:
        requirements = scheme.role_requirements(role)
        slugs = tuple(dict.fromkeys(r.params["course"] for r in requirements if r.kind == "course"))
        standard = scheme.is_scoped(role) and any(r.kind == "standard_course" for r in requirements)
        found = _required[key] = (slugs, standard)
    return found

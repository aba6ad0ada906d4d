"""Requirement kinds about training: ``course``, ``standard_course``, ``qualification``.

A course counts from the day it was completed up to the day before its certificate's
``expires_on`` (the first day it is no longer valid, as in ``educational.certificates``); a
qualification from the day it was obtained up to and including its ``expires`` day (the
"valid until" printed on such certificates).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from educational.accreditation.records import CourseRecord, PersonRecord

from .periods import valid_before, valid_on
from .results import EvaluationContext, RequirementResult
from .versions import transition_last_day, usable_versions


def _iso(day: Any) -> str | None:
    return day.isoformat() if day is not None else None


def _completed(course: CourseRecord) -> str:
    text = f"completed on {course.completed_on.isoformat()}"
    if course.expires_on is not None:
        text += f", expires on {course.expires_on.isoformat()}"
    return text


def _course_details(course: CourseRecord | None) -> dict[str, Any]:
    return {
        "course": course.slug if course else None,
        "completed_on": _iso(course.completed_on) if course else None,
        "expires_on": _iso(course.expires_on) if course else None,
    }


def check_course(
    params: Mapping[str, Any], record: PersonRecord, context: EvaluationContext
) -> list[RequirementResult]:
    """The named course completed and not expired."""
    slug = params["course"]
    as_of = context.as_of
    taken = [c for c in record.courses if c.slug == slug and c.completed_on <= as_of]
    valid = [c for c in taken if valid_before(c.expires_on, as_of)]
    if valid:
        best = max(valid, key=lambda c: c.completed_on)
        return [
            RequirementResult(
                f"course:{slug}", True, f"course {slug} {_completed(best)}", _course_details(best)
            )
        ]
    if taken:
        last = max(taken, key=lambda c: c.expires_on or as_of)
        reason = (
            f"course {slug} expired on {_iso(last.expires_on)} "
            f"(completed on {last.completed_on.isoformat()}); take it again"
        )
        return [RequirementResult(f"course:{slug}", False, reason, _course_details(last))]
    details = {"course": slug, "completed_on": None, "expires_on": None}
    return [RequirementResult(f"course:{slug}", False, f"course {slug} not completed", details)]


def check_standard_course(
    params: Mapping[str, Any], record: PersonRecord, context: EvaluationContext
) -> list[RequirementResult]:
    """For each standard in scope, a course for a usable version (current, or the previous
    one during the transition) completed and not expired."""
    if not context.standards:
        return [
            RequirementResult(
                "standard_course", False, "no standard in scope; choose at least one", {}
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
        known = ", ".join(sorted(context.scheme.standards))
        reason = f"standard {code} is not in the scheme (known: {known})"
        return RequirementResult(result_code, False, reason, {"standard": code})
    usable = usable_versions(standard, as_of)
    if not usable:
        reason = f"standard {code} has no version published on or before {as_of.isoformat()}"
        return RequirementResult(result_code, False, reason, {"standard": code})
    current = usable[0]
    names = [version.version for version in usable]
    last_day = transition_last_day(standard, current)
    details: dict[str, Any] = {
        "standard": code,
        "current_version": current.version,
        "usable_versions": names,
        "transition_last_day": _iso(last_day) if len(usable) > 1 else None,
    }
    mine = [c for c in record.courses if c.standard == code and c.completed_on <= as_of]
    valid = [c for c in mine if c.version in names and valid_before(c.expires_on, as_of)]
    if valid:
        # The current version's course first, then the latest completion.
        best = max(valid, key=lambda c: (c.version == current.version, c.completed_on))
        reason = f"course {best.slug} for {code} version {best.version} {_completed(best)}"
        if best.version != current.version:
            reason += (
                f"; accepted until {_iso(last_day)} during the transition to "
                f"version {current.version}"
            )
        return RequirementResult(result_code, True, reason, details | _course_details(best))
    wanted = f"version {current.version}"
    if len(usable) > 1:
        wanted += f" (or version {usable[1].version} until {_iso(last_day)})"
    reason = f"no course for {code} {wanted} completed"
    expired = [c for c in mine if c.version in names]
    older_versions = [v.version for v in standard.versions if v.published < current.published]
    older = [c for c in mine if c.version in older_versions and c.version not in names]
    if expired:
        last = max(expired, key=lambda c: c.expires_on or as_of)
        reason += f"; course {last.slug} expired on {_iso(last.expires_on)}"
    elif older:
        last = max(older, key=lambda c: c.completed_on)
        reason += f"; course {last.slug} is for version {last.version}, which " + (
            f"was usable until {_iso(last_day)}"
            if last_day is not None and last.version == older_versions[-1]
            else f"version {current.version} replaced on {current.published.isoformat()}"
        )
    return RequirementResult(result_code, False, reason, details | _course_details(None))


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
        return [RequirementResult(code, True, reason, {"qualification_kind": kind} | details)]
    reason = f"no verified {kind} qualification valid on {as_of.isoformat()}"
    details = {"qualification_kind": kind, "obtained": None, "expires": None}
    if held:
        last = max(held, key=lambda q: q.expires or as_of)
        reason += f" (the last one expired on {_iso(last.expires)})"
        details |= {"obtained": last.obtained.isoformat(), "expires": _iso(last.expires)}
    return [RequirementResult(code, False, reason, details)]

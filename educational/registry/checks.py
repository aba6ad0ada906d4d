"""The eligibility engine's checks, each a ``Check(code, passed, message)`` read from the
plain facts of ``facts.py`` (no Flask, no database); ``eligibility.py`` assembles them into
a verdict.

The rules they apply have one home each and are shared with the application checklist:
which course counts on a day (``CourseRecord.valid_on``, ``course_on``,
``standard_course_on`` and ``required_courses`` of ``accreditation.rules.training``), a
standard's versions on a day (``versions_on``), roles held without scopes
(``Scheme.is_scoped``, from scheme.yml) and the conflict window (``conflict_window_years``
of scheme.yml). Only the wording is the members' own: whole sentences.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from educational.accreditation.rules import Reason, conflict_of_interest
from educational.accreditation.rules.status import ACTIVE
from educational.accreditation.rules.training import (
    completed_text,
    course_on,
    lapse_reason,
    lapse_text,
    last_lapsed,
    required_courses,
    standard_course_on,
    wanted_text,
)
from educational.accreditation.rules.versions import versions_on
from educational.catalog.content.model import Scheme
from educational.core.records import CourseRecord

from .facts import AccreditationFacts, Holder, ScopeFacts, last_change_to, status_on


class Check(NamedTuple):
    code: str
    passed: bool
    #: A sentence for people, in English: the API's ``message``.
    message: str
    #: The same as a message id with values, for pages in the reader's language
    #: (``educational.accreditation.reasons``).
    reason: Reason | None = None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def role_name(role: str) -> str:
    return role.replace("_", " ")


# The accreditation


def no_accreditation(role: str) -> Check:
    return Check(
        "accreditation_active",
        False,
        f"Holds no {role_name(role)} accreditation.",
        Reason("eligibility.no_accreditation", {"role": role}),
    )


def no_scope_checks(standard: str, sector: str, country: str) -> list[Check]:
    scope = {"standard": standard, "sector": sector}
    return [
        Check(
            "scope_standard",
            False,
            f"Holds no accreditation that could cover {standard}.",
            Reason("eligibility.no_scope", scope),
        ),
        _no_version_to_check(standard),
        Check(
            "scope_sector",
            False,
            f"No {standard} scope covers {sector}.",
            Reason("eligibility.no_scope_sector", scope),
        ),
        Check(
            "country",
            False,
            f"No accreditation covers {country}.",
            Reason("eligibility.no_country", {"country": country}),
        ),
    ]


def _no_version_to_check(standard: str) -> Check:
    return Check(
        "standard_version_current",
        False,
        f"No {standard} scope, so no version to check.",
        Reason("eligibility.no_scope_version", {"standard": standard}),
    )


def active(accreditation: AccreditationFacts, role: str, day: date) -> Check:
    """Active on ``day`` (read from the status history), with ``day`` inside
    valid_from..valid_until."""
    code = "accreditation_active"
    what = f"The {role_name(accreditation.role)} accreditation"
    if accreditation.role != role:
        what += f" (which includes {role_name(role)})"
    status = status_on(accreditation, day)
    until = accreditation.valid_until.isoformat()
    values = {
        "held": accreditation.role,
        "role": role,
        "valid_from": accreditation.valid_from.isoformat(),
        "valid_until": until,
        "day": day.isoformat(),
    }
    if status != ACTIVE:
        since = last_change_to(accreditation, status, day)
        on = f" on {since.isoformat()}" if since else ""
        values |= {"status": status, "since": _iso(since)}
        if status == "expired":
            return Check(
                code,
                False,
                f"{what} expired{on}: it was valid until {until}.",
                Reason("eligibility.expired", values),
            )
        text = {"suspended": "was suspended", "withdrawn": "was withdrawn"}.get(status)
        return Check(
            code,
            False,
            f"{what} {text or 'is ' + status}{on}.",
            Reason("eligibility.status", values),
        )
    if day < accreditation.valid_from:
        valid_from = accreditation.valid_from.isoformat()
        return Check(
            code,
            False,
            f"{what} is valid only from {valid_from}, after {day}.",
            Reason("eligibility.not_yet", values),
        )
    if day > accreditation.valid_until:
        return Check(
            code,
            False,
            f"{what} expired: it was valid until {until}.",
            Reason("eligibility.expired", values | {"since": None}),
        )
    valid_from = accreditation.valid_from.isoformat()
    return Check(
        code,
        True,
        f"{what} is active, valid from {valid_from} until {until}.",
        Reason("eligibility.active", values),
    )


def scope_checks(
    accreditation: AccreditationFacts, standard: str, sector: str, day: date, scheme: Scheme
) -> list[Check]:
    """``scope_standard``, ``standard_version_current`` and ``scope_sector``."""
    if not scheme.is_scoped(accreditation.role):
        text = (
            f"A {role_name(accreditation.role)} is registered for the whole scheme, "
            "not per standard and sector."
        )
        reason = Reason("eligibility.whole_scheme", {"role": accreditation.role})
        return [
            Check("scope_standard", True, text, reason),
            Check("standard_version_current", True, text, reason),
            Check("scope_sector", True, text, reason),
        ]
    in_standard = [s for s in accreditation.scopes if s.standard == standard]
    exact = [s for s in in_standard if s.sector == sector]
    if in_standard:
        names = scheme.standards.get(standard)
        label = f"{standard} ({names.name})" if names else standard
        standard_check = Check(
            "scope_standard",
            True,
            f"The accreditation covers {label}.",
            Reason("eligibility.covers_standard", {"standard": standard}),
        )
    else:
        held = sorted({s.standard for s in accreditation.scopes})
        covers = f"it covers {', '.join(held)}" if held else "it covers no standard"
        standard_check = Check(
            "scope_standard",
            False,
            f"The accreditation does not cover {standard}; {covers}.",
            Reason("eligibility.not_standard", {"standard": standard, "covers": held}),
        )
    scope = exact[0] if exact else (in_standard[0] if in_standard else None)
    return [
        standard_check,
        version(scope, standard, day, scheme),
        _sector(exact, in_standard, standard, sector, day),
    ]


def _sector(
    exact: list[ScopeFacts], in_standard: list[ScopeFacts], standard: str, sector: str, day: date
) -> Check:
    values = {"standard": standard, "sector": sector}
    if not exact:
        sectors = sorted({s.sector for s in in_standard if not s.lapsed_by(day)})
        if sectors:
            covers = f"its {standard} scope covers {', '.join(sectors)}"
        else:
            covers = f"it has no active {standard} scope"
        return Check(
            "scope_sector",
            False,
            f"The accreditation does not cover {sector}; {covers}.",
            Reason("eligibility.not_sector", values | {"covers": sectors}),
        )
    if exact[0].lapsed_by(day):
        lapsed = exact[0].lapsed_on
        on = f" on {lapsed.isoformat()}" if lapsed else ""
        return Check(
            "scope_sector",
            False,
            f"The {standard} scope for {sector} lapsed{on}: the holder has not passed the "
            "current version's course.",
            Reason("eligibility.sector_lapsed", values | {"day": _iso(lapsed)}),
        )
    return Check(
        "scope_sector",
        True,
        f"The {standard} scope covers {sector}.",
        Reason("eligibility.sector_ok", values),
    )


def version(scope: ScopeFacts | None, standard_code: str, day: date, scheme: Scheme) -> Check:
    """The scope's version is usable on ``day`` (current, or the previous one during the
    transition)."""
    code = "standard_version_current"
    if scope is None:
        return _no_version_to_check(standard_code)
    standard = scheme.standards.get(standard_code)
    if standard is None:
        return Check(
            code,
            False,
            f"{standard_code} is not a standard of the scheme.",
            Reason("standard.unknown", {"standard": standard_code}),
        )
    versions = versions_on(standard, day)
    if not versions.usable:
        return Check(
            code,
            False,
            f"{standard_code} had no version published on {day.isoformat()}.",
            Reason("standard.no_version", {"standard": standard_code, "day": day.isoformat()}),
        )
    held = f"The scope is for {standard_code} version {scope.version}"
    values = {
        "standard": standard_code,
        "version": scope.version,
        "current": versions.current,
        "day": day.isoformat(),
        "last_day": _iso(versions.last_day),
    }
    if scope.version == versions.current:
        return Check(
            code,
            True,
            f"{held}, the current version on {day.isoformat()}.",
            Reason("eligibility.version_current", values),
        )
    last_day = versions.last_day.isoformat() if versions.last_day else "?"
    if scope.version in versions.usable:
        return Check(
            code,
            True,
            f"{held}, still usable until {last_day} during the transition to version "
            f"{versions.current}.",
            Reason("eligibility.version_transition", values),
        )
    ended = ""
    if scope.version == versions.previous and versions.last_day is not None:
        ended = f", usable only until {last_day}"
    return Check(
        code,
        False,
        f"{held}{ended}; version {versions.current} is required on {day.isoformat()}.",
        Reason("eligibility.version_outdated", values),
    )


def country(accreditation: AccreditationFacts, code: str) -> Check:
    covered = [c.upper() for c in accreditation.countries]
    if code in covered:
        return Check(
            "country",
            True,
            f"The accreditation covers {code}.",
            Reason("eligibility.country_ok", {"country": code}),
        )
    listed = ", ".join(sorted(covered)) or "no country"
    return Check(
        "country",
        False,
        f"The accreditation does not cover {code}; it covers {listed}.",
        Reason("eligibility.country_missing", {"country": code, "covers": sorted(covered)}),
    )


# The holder


def training(holder: Holder, role: str, standard_code: str, day: date, scheme: Scheme) -> Check:
    """The courses the role requires (``required_courses``, as the application checklist
    reads them) valid on the day, and the standard's course for a version usable on it."""
    code = "training_current"
    if role not in scheme.roles:
        return Check(
            code,
            False,
            f"{role} is not a role of the scheme.",
            Reason("eligibility.role_unknown", {"role": role}),
        )
    slugs, standard_course = required_courses(scheme, role)
    if not slugs and not standard_course:
        return Check(
            code,
            True,
            f"The {role_name(role)} role requires no course.",
            Reason("eligibility.no_course", {"role": role}),
        )
    passed, parts, reasons = True, [], []
    for slug in slugs:
        best = course_on(slug, holder.certificates, day)
        if best is not None:
            parts.append(f"Course {slug} {completed_text(best)}.")
            reasons.append(Reason("eligibility.course_valid", _course_values(best)))
            continue
        passed = False
        last = last_lapsed((c for c in holder.certificates if c.slug == slug), day)
        if last is not None:
            parts.append(f"Course {slug} {lapse_text(last, day)}; take it again.")
            reasons.append(lapse_reason(last, day))
        else:
            parts.append(f"Course {slug} not completed.")
            reasons.append(Reason("course.missing", {"course": slug}))
    if standard_course:
        ok, text, reason = _standard_course(holder.certificates, standard_code, day, scheme)
        passed = passed and ok
        parts.append(text)
        reasons.append(reason)
    parts_json = [reason.as_json() for reason in reasons]
    return Check(
        code, passed, " ".join(parts), Reason("eligibility.training", {"parts": parts_json})
    )


def _course_values(course: CourseRecord) -> dict:
    return {
        "course": course.slug,
        "version": course.version,
        "completed_on": _iso(course.completed_on),
        "expires_on": _iso(course.expires_on),
    }


def _standard_course(
    certificates: tuple[CourseRecord, ...], code: str, day: date, scheme: Scheme
) -> tuple[bool, str, Reason]:
    standard = scheme.standards.get(code)
    if standard is None:
        reason = Reason("standard.unknown", {"standard": code})
        return False, f"{code} is not a standard of the scheme.", reason
    versions = versions_on(standard, day)
    if not versions.usable:
        reason = Reason("standard.no_version", {"standard": code, "day": day.isoformat()})
        return False, f"{code} had no version published on {day.isoformat()}.", reason
    best = standard_course_on(standard, certificates, day)
    if best is not None:
        text = f"Course {best.slug} for {code} version {best.version} {completed_text(best)}"
        values = _course_values(best) | {"standard": code}
        if best.version != versions.current and versions.last_day is not None:
            text += (
                f"; accepted until {versions.last_day.isoformat()} during the transition to "
                f"version {versions.current}"
            )
            values |= {"last_day": _iso(versions.last_day), "current": versions.current}
        return True, text + ".", Reason("standard_course.valid", values)
    text = f"No course for {code} {wanted_text(versions)} valid on {day.isoformat()}"
    values: dict = {"standard": code, "current": versions.current}
    if len(versions.usable) > 1:
        values |= {"previous": versions.usable[1], "last_day": _iso(versions.last_day)}
    mine = [c for c in certificates if c.standard == code]
    lapsed = last_lapsed((c for c in mine if c.version in versions.usable), day)
    older = [c for c in mine if c.version not in versions.usable and c.completed_on <= day]
    if lapsed is not None:
        text += f"; course {lapsed.slug} {lapse_text(lapsed, day)}"
        values["lapsed"] = lapse_reason(lapsed, day).as_json()
    elif older:
        last = max(older, key=lambda c: c.completed_on)
        text += f"; course {last.slug} is for version {last.version}"
        if last.version == versions.previous and versions.last_day is not None:
            text += f", accepted only until {versions.last_day.isoformat()}"
        values["older"] = {"course": last.slug, "version": last.version}
    return False, text + ".", Reason("standard_course.missing", values)


def conflict(holder: Holder, entity: str, day: date, scheme: Scheme) -> Check:
    """No link with ``entity`` declared in the scheme's window (``conflict_window_years``)."""
    years = scheme.conflict_window_years
    # Links starting after the day are never conflicts on it; leaving them out also keeps
    # the window arithmetic away from dates before year ``years + 1``, where it cannot go
    # back that far.
    relevant = [d for d in holder.declarations if d.start <= day]
    if not relevant or day.year <= years:
        return Check(
            "conflict_of_interest",
            True,
            f"No declared link with {entity} in the {years} years up to {day.isoformat()}.",
            Reason("conflict.none", {"entity": " ".join(entity.split()), "day": day.isoformat()}),
        )
    result = conflict_of_interest(relevant, entity, day, years)
    return Check("conflict_of_interest", result.met, _sentence(result.reason), result.message)


def _sentence(reason: str) -> str:
    """A rule's reason ("declared a link with ...") as a sentence."""
    return reason[:1].upper() + reason[1:] + ("" if reason.endswith(".") else ".")

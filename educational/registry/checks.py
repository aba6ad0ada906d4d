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

from educational.accreditation.rules import conflict_of_interest
from educational.accreditation.rules.status import ACTIVE
from educational.accreditation.rules.training import (
    completed_text,
    course_on,
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
    #: A sentence for people.
    message: str


def role_name(role: str) -> str:
    return role.replace("_", " ")


# The accreditation


def no_accreditation(role: str) -> Check:
    return Check("accreditation_active", False, f"Holds no {role_name(role)} accreditation.")


def no_scope_checks(standard: str, sector: str, country: str) -> list[Check]:
    return [
        Check("scope_standard", False, f"Holds no accreditation that could cover {standard}."),
        Check("standard_version_current", False, f"No {standard} scope, so no version to check."),
        Check("scope_sector", False, f"No {standard} scope covers {sector}."),
        Check("country", False, f"No accreditation covers {country}."),
    ]


def active(accreditation: AccreditationFacts, role: str, day: date) -> Check:
    """Active on ``day`` (read from the status history), with ``day`` inside
    valid_from..valid_until."""
    code = "accreditation_active"
    what = f"The {role_name(accreditation.role)} accreditation"
    if accreditation.role != role:
        what += f" (which includes {role_name(role)})"
    status = status_on(accreditation, day)
    until = accreditation.valid_until.isoformat()
    if status != ACTIVE:
        since = last_change_to(accreditation, status, day)
        on = f" on {since.isoformat()}" if since else ""
        if status == "expired":
            return Check(code, False, f"{what} expired{on}: it was valid until {until}.")
        text = {"suspended": "was suspended", "withdrawn": "was withdrawn"}.get(status)
        return Check(code, False, f"{what} {text or 'is ' + status}{on}.")
    if day < accreditation.valid_from:
        valid_from = accreditation.valid_from.isoformat()
        return Check(code, False, f"{what} is valid only from {valid_from}, after {day}.")
    if day > accreditation.valid_until:
        return Check(code, False, f"{what} expired: it was valid until {until}.")
    valid_from = accreditation.valid_from.isoformat()
    return Check(code, True, f"{what} is active, valid from {valid_from} until {until}.")


def scope_checks(
    accreditation: AccreditationFacts, standard: str, sector: str, day: date, scheme: Scheme
) -> list[Check]:
    """``scope_standard``, ``standard_version_current`` and ``scope_sector``."""
    if not scheme.is_scoped(accreditation.role):
        text = (
            f"A {role_name(accreditation.role)} is registered for the whole scheme, "
            "not per standard and sector."
        )
        return [
            Check("scope_standard", True, text),
            Check("standard_version_current", True, text),
            Check("scope_sector", True, text),
        ]
    in_standard = [s for s in accreditation.scopes if s.standard == standard]
    exact = [s for s in in_standard if s.sector == sector]
    if in_standard:
        names = scheme.standards.get(standard)
        label = f"{standard} ({names.name})" if names else standard
        standard_check = Check("scope_standard", True, f"The accreditation covers {label}.")
    else:
        held = sorted({s.standard for s in accreditation.scopes})
        covers = f"it covers {', '.join(held)}" if held else "it covers no standard"
        standard_check = Check(
            "scope_standard", False, f"The accreditation does not cover {standard}; {covers}."
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
    if not exact:
        sectors = sorted({s.sector for s in in_standard if not s.lapsed_by(day)})
        if sectors:
            covers = f"its {standard} scope covers {', '.join(sectors)}"
        else:
            covers = f"it has no active {standard} scope"
        return Check("scope_sector", False, f"The accreditation does not cover {sector}; {covers}.")
    if exact[0].lapsed_by(day):
        lapsed = exact[0].lapsed_on
        on = f" on {lapsed.isoformat()}" if lapsed else ""
        return Check(
            "scope_sector",
            False,
            f"The {standard} scope for {sector} lapsed{on}: the holder has not passed the "
            "current version's course.",
        )
    return Check("scope_sector", True, f"The {standard} scope covers {sector}.")


def version(scope: ScopeFacts | None, standard_code: str, day: date, scheme: Scheme) -> Check:
    """The scope's version is usable on ``day`` (current, or the previous one during the
    transition)."""
    code = "standard_version_current"
    if scope is None:
        return Check(code, False, f"No {standard_code} scope, so no version to check.")
    standard = scheme.standards.get(standard_code)
    if standard is None:
        return Check(code, False, f"{standard_code} is not a standard of the scheme.")
    versions = versions_on(standard, day)
    if not versions.usable:
        return Check(code, False, f"{standard_code} had no version published on {day.isoformat()}.")
    held = f"The scope is for {standard_code} version {scope.version}"
    if scope.version == versions.current:
        return Check(code, True, f"{held}, the current version on {day.isoformat()}.")
    last_day = versions.last_day.isoformat() if versions.last_day else "?"
    if scope.version in versions.usable:
        return Check(
            code,
            True,
            f"{held}, still usable until {last_day} during the transition to version "
            f"{versions.current}.",
        )
    ended = ""
    if scope.version == versions.previous and versions.last_day is not None:
        ended = f", usable only until {last_day}"
    return Check(
        code,
        False,
        f"{held}{ended}; version {versions.current} is required on {day.isoformat()}.",
    )


def country(accreditation: AccreditationFacts, code: str) -> Check:
    covered = [c.upper() for c in accreditation.countries]
    if code in covered:
        return Check("country", True, f"The accreditation covers {code}.")
    listed = ", ".join(sorted(covered)) or "no country"
    return Check("country", False, f"The accreditation does not cover {code}; it covers {listed}.")


# The holder


def training(holder: Holder, role: str, standard_code: str, day: date, scheme: Scheme) -> Check:
    """The courses the role requires (``required_courses``, as the application checklist
    reads them) valid on the day, and the standard's course for a version usable on it."""
    code = "training_current"
    if role not in scheme.roles:
        return Check(code, False, f"{role} is not a role of the scheme.")
    slugs, standard_course = required_courses(scheme, role)
    if not slugs and not standard_course:
        return Check(code, True, f"The {role_name(role)} role requires no course.")
    passed, parts = True, []
    for slug in slugs:
        best = course_on(slug, holder.certificates, day)
        if best is not None:
            parts.append(f"Course {slug} {completed_text(best)}.")
            continue
        passed = False
        last = last_lapsed((c for c in holder.certificates if c.slug == slug), day)
        if last is not None:
            parts.append(f"Course {slug} {lapse_text(last, day)}; take it again.")
        else:
            parts.append(f"Course {slug} not completed.")
    if standard_course:
        ok, text = _standard_course(holder.certificates, standard_code, day, scheme)
        passed = passed and ok
        parts.append(text)
    return Check(code, passed, " ".join(parts))


def _standard_course(
    certificates: tuple[CourseRecord, ...], code: str, day: date, scheme: Scheme
) -> tuple[bool, str]:
    standard = scheme.standards.get(code)
    if standard is None:
        return False, f"{code} is not a standard of the scheme."
    versions = versions_on(standard, day)
    if not versions.usable:
        return False, f"{code} had no version published on {day.isoformat()}."
    best = standard_course_on(standard, certificates, day)
    if best is not None:
        text = f"Course {best.slug} for {code} version {best.version} {completed_text(best)}"
        if best.version != versions.current and versions.last_day is not None:
            text += (
                f"; accepted until {versions.last_day.isoformat()} during the transition to "
                f"version {versions.current}"
            )
        return True, text + "."
    text = f"No course for {code} {wanted_text(versions)} valid on {day.isoformat()}"
    mine = [c for c in certificates if c.standard == code]
    lapsed = last_lapsed((c for c in mine if c.version in versions.usable), day)
    older = [c for c in mine if c.version not in versions.usable and c.completed_on <= day]
    if lapsed is not None:
        text += f"; course {lapsed.slug} {lapse_text(lapsed, day)}"
    elif older:
        last = max(older, key=lambda c: c.completed_on)
        text += f"; course {last.slug} is for version {last.version}"
        if last.version == versions.previous and versions.last_day is not None:
            text += f", accepted only until {versions.last_day.isoformat()}"
    return False, text + "."


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
        )
    result = conflict_of_interest(relevant, entity, day, years)
    return Check("conflict_of_interest", result.met, _sentence(result.reason))


def _sentence(reason: str) -> str:
    """A rule's reason ("declared a link with ...") as a sentence."""
    return reason[:1].upper() + reason[1:] + ("" if reason.endswith(".") else ".")

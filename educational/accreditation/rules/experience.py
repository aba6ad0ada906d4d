"""Requirement kinds about experience: ``audits``, ``sector_experience``,
``country_experience``, ``specialist_area_evidence``.

What counts, where the design leaves it open:

- Only audits done as lead or auditor count as audit experience (as IRCA and Exemplar
  Global count them): audits as auditor in training, observer or specialist do not. With
  ``as_role: lead`` only audits as lead count.
- An audit is dated by its end and counts whole: all its days count when it ended inside the
  window, none when it ended before. Audits ending after the evaluation date do not count yet.
- A year of work is 365 days; work days are counted inclusively, overlapping entries once, an
  ongoing entry up to the evaluation date, nothing after it.
- ``sector_experience`` and ``country_experience`` look at the whole record, unless the
  requirement has a ``window_years`` (then only audits ending, and work days, in that window;
  the engine reads it, but the content check does not accept that key for these kinds yet).
  A figure of 0 in ``sector_experience`` switches that route off (``min_audits: 0``: work
  only); with both at 0, nothing is required.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from typing import Any

from educational.core.records import AuditRecord, PersonRecord

from .periods import Window, counted, covered_days, number, years_text
from .results import EvaluationContext, Reason, RequirementResult, unknown_standard

#: Audit roles whose audits count as audit experience.
COUNTED_AUDIT_ROLES = frozenset({"lead", "auditor"})
#: Days in a year of work.
DAYS_PER_YEAR = 365


def counted_audits(
    record: PersonRecord, window: Window, roles: frozenset[str] = COUNTED_AUDIT_ROLES
) -> list[AuditRecord]:
    """The audits done in one of ``roles`` that ended inside ``window``."""
    return [audit for audit in record.audits if audit.role in roles and window.contains(audit.end)]


def check_audits(
    params: Mapping[str, Any], record: PersonRecord, context: EvaluationContext
) -> list[RequirementResult]:
    """At least ``min_audits`` audits and ``min_days`` audit days (on-site + off-site) in the
    last ``window_years`` years, optionally only as ``as_role``."""
    as_role = params.get("as_role")
    min_audits, min_days = params["min_audits"], params["min_days"]
    window = Window.last_years(context.as_of, params["window_years"])
    roles = frozenset({as_role}) if as_role else COUNTED_AUDIT_ROLES
    audits = counted_audits(record, window, roles)
    count, days = len(audits), round(math.fsum(audit.days for audit in audits), 2)
    enough_audits, enough_days = count >= min_audits, days >= min_days
    met = enough_audits and enough_days
    if met:
        parts = [counted(count, "audit"), counted(days, "audit day")]
    else:
        parts = []
        if not enough_audits:
            parts.append(f"{count} of {counted(min_audits, 'audit')}")
        if not enough_days:
            parts.append(f"{number(days)} of {counted(min_days, 'audit day')}")
    role_text = f" as {as_role}" if as_role else ""
    reason = " and ".join(parts) + role_text + window.phrase
    details = {
        "audits": count,
        "min_audits": min_audits,
        "days": days,
        "min_days": min_days,
        "as_role": as_role,
    } | window.details()
    code = f"audits:{as_role}" if as_role else "audits"
    return [RequirementResult(code, met, reason, details, Reason("audits", details))]


def _needing(where: str, needed: str) -> str:
    """ "in sector X (2 years needed)"; after a window's own parentheses, "...; 2 years needed"."""
    return f"{where}; {needed} needed" if where.endswith(")") else f"{where} ({needed} needed)"


def check_sector_experience(
    params: Mapping[str, Any], record: PersonRecord, context: EvaluationContext
) -> list[RequirementResult]:
    """For each (standard, sector) in scope: ``min_audits`` audits covering the sector, or
    ``min_work_years`` years of work in it."""
    if not context.scopes:
        reason = "no sector in scope; choose at least one standard and sector"
        return [RequirementResult("sector_experience", False, reason, {}, Reason("scope.none"))]
    window = Window.last_years(context.as_of, params.get("window_years"))
    return [
        _sector(standard, sector, params, record, context, window)
        for standard, sector in context.scopes
    ]


def _sector(
    standard_code: str,
    sector: str,
    params: Mapping[str, Any],
    record: PersonRecord,
    context: EvaluationContext,
    window: Window,
) -> RequirementResult:
    code = f"sector_experience:{standard_code}/{sector}"
    standard = context.scheme.standards.get(standard_code)
    if standard is None:
        return unknown_standard(code, standard_code, context.scheme)
    if sector not in standard.sectors:
        reason = (
            f"standard {standard_code} does not cover sector {sector} "
            f"(it covers: {', '.join(standard.sectors)})"
        )
        message = Reason(
            "sector.not_covered",
            {"standard": standard_code, "sector": sector, "covers": list(standard.sectors)},
        )
        return RequirementResult(code, False, reason, {"standard": standard_code}, message)
    min_audits, min_years = params["min_audits"], params["min_work_years"]
    need_days = min_years * DAYS_PER_YEAR
    audits = len([a for a in counted_audits(record, window) if sector in a.sectors])
    periods = [window.clip(w.start, w.end) for w in record.work if w.sector == sector]
    work_days = covered_days(period for period in periods if period is not None)
    details = {
        "standard": standard_code,
        "sector": sector,
        "audits": audits,
        "min_audits": min_audits,
        "work_days": work_days,
        "min_work_days": need_days,
        "min_work_years": min_years,
    } | window.details()
    where = f"in sector {sector}{window.phrase}"
    message = Reason("sector", details)
    if not min_audits and not min_years:
        return RequirementResult(code, True, f"no experience {where} required", details, message)
    if min_audits and audits >= min_audits:
        return RequirementResult(
            code, True, f"{counted(audits, 'verified audit')} {where}", details, message
        )
    if min_years and work_days >= need_days:
        reason = (
            f"{counted(work_days, 'day')} of verified work {_needing(where, years_text(min_years))}"
        )
        return RequirementResult(code, True, reason, details, message)
    routes = []
    if min_audits:
        routes.append(
            (f"{counted(min_audits, 'audit')}", f"{audits} of {counted(min_audits, 'audit')}")
        )
    if min_years:
        routes.append(
            (
                f"{years_text(min_years)} of work",
                f"{work_days} of {need_days} days ({years_text(min_years)}) of work",
            )
        )
    if audits == 0 and work_days == 0:
        nouns = " or ".join(
            noun for noun, flag in (("audit", min_audits), ("work", min_years)) if flag
        )
        needed = " or ".join(need for need, _have in routes)
        reason = f"no verified {nouns} {_needing(where, needed)}"
    else:
        reason = " or ".join(have for _need, have in routes) + f" {where}"
    return RequirementResult(code, False, reason, details, message)


def check_country_experience(
    params: Mapping[str, Any], record: PersonRecord, context: EvaluationContext
) -> list[RequirementResult]:
    """For each country: at least ``min_entries`` audits or work entries there, together."""
    if not context.countries:
        reason = "no country chosen; choose at least one"
        return [RequirementResult("country_experience", False, reason, {}, Reason("country.none"))]
    window = Window.last_years(context.as_of, params.get("window_years"))
    return [_country(country, params, record, window) for country in context.countries]


def _country(
    country: str, params: Mapping[str, Any], record: PersonRecord, window: Window
) -> RequirementResult:
    minimum = params["min_entries"]
    audits = len([a for a in counted_audits(record, window) if a.country.upper() == country])
    work = len(
        [
            w
            for w in record.work
            if w.country.upper() == country and window.clip(w.start, w.end) is not None
        ]
    )
    entries = audits + work
    details = {
        "country": country,
        "audits": audits,
        "work_entries": work,
        "min_entries": minimum,
    } | window.details()
    code = f"country_experience:{country}"
    where = f"in {country}{window.phrase}"
    message = Reason("country", details)
    if entries >= minimum:
        if minimum == 0:
            return RequirementResult(
                code, True, f"no experience {where} required", details, message
            )
        found = [counted(audits, "verified audit")] if audits else []
        found += [counted(work, "verified work entry", "verified work entries")] if work else []
        return RequirementResult(code, True, f"{' and '.join(found)} {where}", details, message)
    if entries == 0:
        reason = "no verified audit or work entry " + (
            _needing(where, str(minimum)) if minimum > 1 else where
        )
    else:
        reason = f"{entries} of {minimum} verified audits or work entries {where}"
    return RequirementResult(code, False, reason, details, message)


def check_specialist_area_evidence(
    params: Mapping[str, Any], record: PersonRecord, context: EvaluationContext
) -> list[RequirementResult]:
    """For each specialist area asked for: at least one piece of verified evidence, from a
    work entry naming the area or from ``SpecialistEvidence`` (dated on or before the date)."""
    if not context.specialist_areas:
        reason = "no specialist area chosen; choose at least one"
        return [RequirementResult("specialist_area", False, reason, {}, Reason("area.none"))]
    return [_area(area, record, context) for area in context.specialist_areas]


def _area(area: str, record: PersonRecord, context: EvaluationContext) -> RequirementResult:
    code = f"specialist_area:{area}"
    as_of = context.as_of
    if area not in context.scheme.specialist_areas:
        known = ", ".join(sorted(context.scheme.specialist_areas))
        reason = f"{area} is not a specialist area of the scheme (known: {known})"
        details = {"area": area, "evidence": 0}
        return RequirementResult(code, False, reason, details, Reason("area.unknown", details))
    kinds = Counter(
        ["work" for w in record.work if area in w.specialist_areas and w.start <= as_of]
        + [e.kind for e in record.specialist_evidence if e.area == area and e.dated <= as_of]
    )
    count = sum(kinds.values())
    details = {"area": area, "evidence": count, "kinds": dict(sorted(kinds.items()))}
    message = Reason("area", details)
    if not count:
        return RequirementResult(code, False, f"no verified evidence in {area}", details, message)
    reason = (
        f"{counted(count, 'piece', 'pieces')} of verified evidence in {area} "
        f"({', '.join(sorted(kinds))})"
    )
    return RequirementResult(code, True, reason, details, message)

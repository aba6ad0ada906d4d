"""``evaluate``: a role's requirements from the scheme, checked against a person's record.

Each requirement kind of scheme.yml has one check function in ``CHECKS``; a new kind is one
function here and one line in ``educational.catalog.content.scheme.REQUIREMENT_KINDS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from educational.catalog.content.model import Scheme
from educational.core.records import PersonRecord

from .cpd import check_cpd
from .experience import (
    check_audits,
    check_country_experience,
    check_sector_experience,
    check_specialist_area_evidence,
)
from .periods import years_before
from .results import (
    Evaluation,
    EvaluationContext,
    RequirementResult,
    UnknownRequirementKind,
    UnknownRole,
)
from .training import check_course, check_qualification, check_standard_course
from .witness import check_witness

Check = Callable[[Mapping[str, Any], PersonRecord, EvaluationContext], list[RequirementResult]]

#: Requirement kind -> its check: (the requirement's params, the record, the context) ->
#: one result per scope item (standard, sector, country, area), or one for the whole record.
CHECKS: dict[str, Check] = {
    "course": check_course,
    "standard_course": check_standard_course,
    "qualification": check_qualification,
    "audits": check_audits,
    "sector_experience": check_sector_experience,
    "country_experience": check_country_experience,
    "specialist_area_evidence": check_specialist_area_evidence,
    "cpd": check_cpd,
    "witness": check_witness,
}


def evaluate(
    scheme: Scheme,
    role: str,
    record: PersonRecord,
    *,
    scopes: Iterable[tuple[str, str]],
    countries: Iterable[str],
    specialist_areas: Iterable[str] = (),
    as_of: date,
    renewal: bool = False,
) -> Evaluation:
    """Every requirement of ``role`` (with those of the roles it includes) checked against
    ``record`` (verified data only) for the scopes (standard, sector), countries and
    specialist areas asked for, on ``as_of``.

    A per-scope requirement gives one result per standard, (standard, sector), country or
    area; with none of them chosen it gives one unmet result saying so, so that an empty
    choice never passes. With ``renewal``, the role's renewal requirements (CPD, witness)
    are checked too, over the cycle that ends on ``as_of``. Raises ``UnknownRole`` or
    ``UnknownRequirementKind``.
    """
    if role not in scheme.roles:
        raise UnknownRole(
            f'role "{role}" is not a role of scheme {scheme.code} '
            f"(known: {', '.join(sorted(scheme.roles))})"
        )
    context = EvaluationContext(
        scheme=scheme,
        scopes=tuple(dict.fromkeys((standard, sector) for standard, sector in scopes)),
        countries=tuple(dict.fromkeys(country.strip().upper() for country in countries)),
        specialist_areas=tuple(dict.fromkeys(specialist_areas)),
        as_of=as_of,
        cycle_start=years_before(as_of, scheme.validity_years) if renewal else None,
    )
    results: list[RequirementResult] = []
    for requirement in scheme.role_requirements(role, renewal=renewal):
        check = CHECKS.get(requirement.kind)
        if check is None:
            raise UnknownRequirementKind(
                f'role "{role}" has a requirement of the unknown kind "{requirement.kind}" '
                f"(known: {', '.join(CHECKS)}); fix courses/scheme.yml, check it with "
                "`flask courses check` and sync it again"
            )
        results.extend(check(requirement.params, record, context))
    return Evaluation(
        role=role, met=all(result.met for result in results), results=tuple(results), as_of=as_of
    )

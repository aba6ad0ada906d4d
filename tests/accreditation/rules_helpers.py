"""Small builders of verified records for the rules engine tests."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from pathlib import Path

from educational.accreditation.rules import RequirementResult, evaluate
from educational.catalog.content import Scheme, load_tree
from educational.core.records import (
    AuditRecord,
    CourseRecord,
    PersonRecord,
    QualificationRecord,
    SpecialistEvidence,
    WorkRecord,
)

COURSES = Path(__file__).resolve().parents[2] / "courses"

#: The evaluation date of most tests, and the first day of its 3-year window.
AS_OF = date(2026, 11, 26)
WINDOW_START = date(2023, 11, 26)
DAY = timedelta(days=1)

SMELTING = "aluminium-smelting"
SCOPES = (("PS", SMELTING),)
COUNTRIES = ("NO",)
AREAS = ("human-rights",)


@cache
def real_scheme() -> Scheme:
    result = load_tree(COURSES)
    assert result.ok, result.problems
    assert result.tree is not None
    return result.tree.scheme


def audit(
    end: date = date(2025, 6, 5),
    onsite: float = 5,
    offsite: float = 0,
    role: str = "auditor",
    sectors: tuple[str, ...] = (SMELTING,),
    country: str = "NO",
) -> AuditRecord:
    return AuditRecord(
        start=end - timedelta(days=3),
        end=end,
        onsite_days=onsite,
        offsite_days=offsite,
        role=role,
        standard="PS",
        version="3",
        sectors=sectors,
        country=country,
        entity="Hydro Sunndal",
    )


def audits(count: int, **kwargs) -> tuple[AuditRecord, ...]:
    return tuple(audit(**kwargs) for _ in range(count))


def work(
    start: date,
    end: date | None,
    sector: str = SMELTING,
    country: str = "NO",
    areas: tuple[str, ...] = (),
) -> WorkRecord:
    return WorkRecord(sector=sector, country=country, start=start, end=end, specialist_areas=areas)


def course(
    slug: str,
    completed_on: date = date(2026, 3, 1),
    expires_on: date | None = None,
    standard: str | None = None,
    version: str | None = None,
) -> CourseRecord:
    return CourseRecord(slug, completed_on, expires_on, standard, version)


def ps_course(version: str = "3", **kwargs) -> CourseRecord:
    return course(f"ps-v{version}-auditors", standard="PS", version=version, **kwargs)


def qualification(
    obtained: date = date(2019, 5, 1),
    expires: date | None = None,
    kind: str = "management-system-auditor",
) -> QualificationRecord:
    return QualificationRecord(kind, obtained, expires)


def evidence(area: str = "human-rights", kind: str = "qualification", dated=date(2020, 1, 1)):
    return SpecialistEvidence(area=area, kind=kind, dated=dated, description="MSc human rights")


#: A record that meets every default requirement of every role for SCOPES, COUNTRIES, AREAS.
FULL = PersonRecord(
    audits=audits(4, role="lead"),
    work=(work(date(2018, 1, 1), date(2019, 12, 31), areas=("human-rights",)),),
    qualifications=(qualification(),),
    courses=(course("asi-auditor"), ps_course(), course("asi-specialist")),
)


def result_for(
    code: str,
    record: PersonRecord,
    *,
    role: str = "auditor",
    scheme: Scheme | None = None,
    scopes=SCOPES,
    countries=COUNTRIES,
    areas=AREAS,
    as_of: date = AS_OF,
) -> RequirementResult:
    """The one result with ``code`` of the role's evaluation."""
    evaluation = evaluate(
        scheme or real_scheme(),
        role,
        record,
        scopes=scopes,
        countries=countries,
        specialist_areas=areas,
        as_of=as_of,
    )
    found = [result for result in evaluation.results if result.code == code]
    assert len(found) == 1, [result.code for result in evaluation.results]
    return found[0]

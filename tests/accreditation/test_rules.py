"""The rules engine against the real scheme.yml: for each default requirement of each role, a
record that just meets it and one that just misses it, with the reason a person reads."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from educational.accreditation.rules import evaluate
from educational.core.records import AuditRecord, PersonRecord, WorkRecord
from tests.accreditation.rules_helpers import (
    AS_OF,
    COUNTRIES,
    DAY,
    FULL,
    SCOPES,
    SMELTING,
    WINDOW_START,
    audit,
    audits,
    course,
    evidence,
    ps_course,
    qualification,
    real_scheme,
    result_for,
    work,
)

W3 = " in the last 3 years (since 2023-11-26)"
LEAD = " as lead in the last 3 years (since 2023-11-26)"
NOT_QUALIFIED = "no verified management-system-auditor qualification valid on 2026-11-26"
NO_SECTOR = (
    "no verified audit or work in sector aluminium-smelting (1 audit or 2 years of work needed)"
)
PS_SECTORS = (
    "bauxite-mining, alumina-refining, aluminium-smelting, remelting-refining, casthouse, "
    "semi-fabrication, material-conversion, other-manufacturing"
)
AREAS_KNOWN = (
    "biodiversity-rehabilitation, community-engagement, ghg-emissions, human-rights, "
    "indigenous-peoples-fpic, local-language-culture"
)


def rec(**kwargs) -> PersonRecord:
    return PersonRecord(**{key: tuple(value) for key, value in kwargs.items()})


def case(case_id, code, record, met, reason, role="auditor", **options):
    return pytest.param(role, code, record, met, reason, options, id=case_id)


COURSE_CASES = [
    case(
        "completed",
        "course:asi-auditor",
        rec(courses=[course("asi-auditor")]),
        True,
        "course asi-auditor completed on 2026-03-01",
    ),
    case(
        "completed-on-the-day",
        "course:asi-auditor",
        rec(courses=[course("asi-auditor", completed_on=AS_OF)]),
        True,
        "course asi-auditor completed on 2026-11-26",
    ),
    case(
        "completed-the-day-after",
        "course:asi-auditor",
        rec(courses=[course("asi-auditor", completed_on=AS_OF + DAY)]),
        False,
        "course asi-auditor not completed",
    ),
    case(
        "another-course-only",
        "course:asi-auditor",
        rec(courses=[course("asi-specialist"), ps_course()]),
        False,
        "course asi-auditor not completed",
    ),
    case(
        "valid-the-day-before-it-expires",
        "course:asi-auditor",
        rec(courses=[course("asi-auditor", completed_on=WINDOW_START, expires_on=AS_OF + DAY)]),
        True,
        "course asi-auditor completed on 2023-11-26, expires on 2026-11-27",
    ),
    case(
        "expires-on-the-day",
        "course:asi-auditor",
        rec(courses=[course("asi-auditor", completed_on=WINDOW_START, expires_on=AS_OF)]),
        False,
        "course asi-auditor expired on 2026-11-26 (completed on 2023-11-26); take it again",
    ),
    case(
        "taken-again-after-expiry",
        "course:asi-auditor",
        rec(
            courses=[
                course("asi-auditor", completed_on=date(2020, 1, 1), expires_on=date(2023, 1, 1)),
                course("asi-auditor"),
            ]
        ),
        True,
        "course asi-auditor completed on 2026-03-01",
    ),
    case(
        "specialist-completed",
        "course:asi-specialist",
        rec(courses=[course("asi-specialist")]),
        True,
        "course asi-specialist completed on 2026-03-01",
        role="specialist",
    ),
    case(
        "specialist-missing",
        "course:asi-specialist",
        rec(courses=[course("asi-auditor")]),
        False,
        "course asi-specialist not completed",
        role="specialist",
    ),
]

STANDARD_COURSE_CASES = [
    case(
        "current-version",
        "standard_course:PS",
        rec(courses=[ps_course()]),
        True,
        "course ps-v3-auditors for PS version 3 completed on 2026-03-01",
    ),
    case(
        "none",
        "standard_course:PS",
        rec(courses=[course("asi-auditor")]),
        False,
        "no course for PS version 3 completed",
    ),
    case(
        "course-of-another-standard",
        "standard_course:PS",
        rec(courses=[course("coc-v2-auditors", standard="COC", version="2")]),
        False,
        "no course for PS version 3 completed",
    ),
    case(
        "previous-version-after-the-transition",
        "standard_course:PS",
        rec(courses=[ps_course("2", completed_on=date(2021, 1, 10))]),
        False,
        "no course for PS version 3 completed; course ps-v2-auditors is for version 2, "
        "which was usable until 2023-05-18",
    ),
    case(
        "older-version",
        "standard_course:PS",
        rec(courses=[ps_course("1", completed_on=date(2016, 1, 10))]),
        False,
        "no course for PS version 3 completed; course ps-v1-auditors is for version 1, "
        "which version 3 replaced on 2022-05-19",
    ),
    case(
        "valid-the-day-before-it-expires",
        "standard_course:PS",
        rec(courses=[ps_course(expires_on=AS_OF + DAY)]),
        True,
        "course ps-v3-auditors for PS version 3 completed on 2026-03-01, expires on 2026-11-27",
    ),
    case(
        "expires-on-the-day",
        "standard_course:PS",
        rec(courses=[ps_course(completed_on=date(2023, 1, 1), expires_on=AS_OF)]),
        False,
        "no course for PS version 3 completed; course ps-v3-auditors expired on 2026-11-26",
    ),
    case(
        "unknown-standard",
        "standard_course:XYZ",
        rec(courses=[ps_course()]),
        False,
        "standard XYZ is not in the scheme (known: COC, PS)",
        scopes=(("XYZ", SMELTING),),
    ),
]

QUALIFICATION_CASES = [
    case(
        "held",
        "qualification:management-system-auditor",
        rec(qualifications=[qualification()]),
        True,
        "management-system-auditor qualification obtained on 2019-05-01",
    ),
    case(
        "obtained-on-the-day",
        "qualification:management-system-auditor",
        rec(qualifications=[qualification(obtained=AS_OF)]),
        True,
        "management-system-auditor qualification obtained on 2026-11-26",
    ),
    case(
        "obtained-the-day-after",
        "qualification:management-system-auditor",
        rec(qualifications=[qualification(obtained=AS_OF + DAY)]),
        False,
        NOT_QUALIFIED,
    ),
    case(
        "valid-on-its-last-day",
        "qualification:management-system-auditor",
        rec(qualifications=[qualification(expires=AS_OF)]),
        True,
        "management-system-auditor qualification obtained on 2019-05-01, valid until 2026-11-26",
    ),
    case(
        "expired-the-day-before",
        "qualification:management-system-auditor",
        rec(qualifications=[qualification(expires=AS_OF - DAY)]),
        False,
        NOT_QUALIFIED + " (the last one expired on 2026-11-25)",
    ),
    case(
        "another-kind",
        "qualification:management-system-auditor",
        rec(qualifications=[qualification(kind="iso-14001-auditor")]),
        False,
        NOT_QUALIFIED,
    ),
]

AUDITS_CASES = [
    case(
        "just-enough-one-on-the-first-day-of-the-window",
        "audits",
        rec(audits=[*audits(3), audit(end=WINDOW_START)]),
        True,
        "4 audits and 20 audit days" + W3,
    ),
    case(
        "one-audit-short",
        "audits",
        rec(audits=audits(3, onsite=7)),
        False,
        "3 of 4 audits" + W3,
    ),
    case(
        "one-day-short",
        "audits",
        rec(audits=[*audits(3), audit(onsite=4)]),
        False,
        "19 of 20 audit days" + W3,
    ),
    case(
        "half-a-day-short",
        "audits",
        rec(audits=[*audits(3), audit(onsite=4.5)]),
        False,
        "19.5 of 20 audit days" + W3,
    ),
    case(
        "off-site-days-count",
        "audits",
        rec(audits=audits(4, onsite=4, offsite=1)),
        True,
        "4 audits and 20 audit days" + W3,
    ),
    case(
        "one-ended-the-day-before-the-window",
        "audits",
        rec(audits=[*audits(3), audit(end=WINDOW_START - DAY)]),
        False,
        "3 of 4 audits and 15 of 20 audit days" + W3,
    ),
    case(
        "one-ends-on-the-day",
        "audits",
        rec(audits=[*audits(3), audit(end=AS_OF)]),
        True,
        "4 audits and 20 audit days" + W3,
    ),
    case(
        "one-ends-the-day-after",
        "audits",
        rec(audits=[*audits(3), audit(end=AS_OF + DAY)]),
        False,
        "3 of 4 audits and 15 of 20 audit days" + W3,
    ),
    *[
        case(
            f"one-as-{role}-does-not-count",
            "audits",
            rec(audits=[*audits(3), audit(role=role, onsite=10)]),
            False,
            "3 of 4 audits and 15 of 20 audit days" + W3,
        )
        for role in ("auditor_in_training", "observer", "specialist")
    ],
    case(
        "audits-as-lead-count",
        "audits",
        rec(audits=audits(4, role="lead")),
        True,
        "4 audits and 20 audit days" + W3,
    ),
    case(
        "lead-just-enough-one-on-the-first-day-of-the-window",
        "audits:lead",
        rec(audits=[*audits(2, role="lead"), audit(role="lead", end=WINDOW_START)]),
        True,
        "3 audits and 15 audit days" + LEAD,
        role="lead_auditor",
    ),
    case(
        "lead-one-audit-short",
        "audits:lead",
        rec(audits=[*audits(2, role="lead", onsite=8), audit(role="auditor")]),
        False,
        "2 of 3 audits" + LEAD,
        role="lead_auditor",
    ),
    case(
        "lead-one-day-short",
        "audits:lead",
        rec(audits=[*audits(2, role="lead"), audit(role="lead", onsite=4)]),
        False,
        "14 of 15 audit days" + LEAD,
        role="lead_auditor",
    ),
    case(
        "lead-one-ended-the-day-before-the-window",
        "audits:lead",
        rec(audits=[*audits(2, role="lead"), audit(role="lead", end=WINDOW_START - DAY)]),
        False,
        "2 of 3 audits and 10 of 15 audit days" + LEAD,
        role="lead_auditor",
    ),
]

SECTOR = "sector_experience:PS/aluminium-smelting"
TWO_YEARS = timedelta(days=729)  # 730 days counting the first and the last
SECTOR_CASES = [
    case(
        "one-audit-long-ago",
        SECTOR,
        rec(audits=[audit(end=date(2012, 3, 1))]),
        True,
        "1 verified audit in sector aluminium-smelting",
    ),
    case(
        "audit-covering-several-sectors",
        SECTOR,
        rec(audits=[audit(sectors=("casthouse", SMELTING))]),
        True,
        "1 verified audit in sector aluminium-smelting",
    ),
    case(
        "audit-in-another-sector",
        SECTOR,
        rec(audits=[audit(sectors=("casthouse",))]),
        False,
        NO_SECTOR,
    ),
    case(
        "audit-as-observer",
        SECTOR,
        rec(audits=[audit(role="observer")]),
        False,
        NO_SECTOR,
    ),
    case(
        "audit-ends-after-the-day",
        SECTOR,
        rec(audits=[audit(end=AS_OF + DAY)]),
        False,
        NO_SECTOR,
    ),
    case(
        "two-years-of-work",
        SECTOR,
        rec(work=[work(date(2019, 1, 1), date(2020, 12, 30))]),
        True,
        "730 days of verified work in sector aluminium-smelting (2 years needed)",
    ),
    case(
        "work-one-day-short",
        SECTOR,
        rec(work=[work(date(2019, 1, 1), date(2020, 12, 29))]),
        False,
        "0 of 1 audit or 729 of 730 days (2 years) of work in sector aluminium-smelting",
    ),
    case(
        "two-entries-add-up",
        SECTOR,
        rec(
            work=[
                work(date(2015, 1, 1), date(2015, 12, 31)),
                work(date(2019, 1, 1), date(2019, 12, 31)),
            ]
        ),
        True,
        "730 days of verified work in sector aluminium-smelting (2 years needed)",
    ),
    case(
        "overlapping-work-counted-once",
        SECTOR,
        rec(
            work=[
                work(date(2019, 1, 1), date(2020, 12, 29)),
                work(date(2020, 1, 1), date(2020, 6, 30), country="SE"),
            ]
        ),
        False,
        "0 of 1 audit or 729 of 730 days (2 years) of work in sector aluminium-smelting",
    ),
    case(
        "ongoing-work-counts-up-to-the-day",
        SECTOR,
        rec(work=[work(AS_OF - TWO_YEARS, None)]),
        True,
        "730 days of verified work in sector aluminium-smelting (2 years needed)",
    ),
    case(
        "ongoing-work-one-day-short",
        SECTOR,
        rec(work=[work(AS_OF - TWO_YEARS + DAY, None)]),
        False,
        "0 of 1 audit or 729 of 730 days (2 years) of work in sector aluminium-smelting",
    ),
    case(
        "work-after-the-day-does-not-count",
        SECTOR,
        rec(work=[work(AS_OF - TWO_YEARS + DAY, AS_OF + timedelta(days=100))]),
        False,
        "0 of 1 audit or 729 of 730 days (2 years) of work in sector aluminium-smelting",
    ),
    case(
        "work-in-another-sector",
        SECTOR,
        rec(work=[work(date(2010, 1, 1), date(2019, 12, 31), sector="casthouse")]),
        False,
        NO_SECTOR,
    ),
    case(
        "sector-the-standard-does-not-cover",
        "sector_experience:PS/post-casthouse",
        rec(audits=[audit(sectors=("post-casthouse",))]),
        False,
        f"standard PS does not cover sector post-casthouse (it covers: {PS_SECTORS})",
        scopes=(("PS", "post-casthouse"),),
    ),
]

COUNTRY = "country_experience:NO"
COUNTRY_CASES = [
    case("one-audit", COUNTRY, rec(audits=[audit()]), True, "1 verified audit in NO"),
    case(
        "one-work-entry",
        COUNTRY,
        rec(work=[work(date(2010, 1, 1), date(2010, 3, 1), sector="casthouse")]),
        True,
        "1 verified work entry in NO",
    ),
    case(
        "audit-and-work",
        COUNTRY,
        rec(audits=audits(2), work=[work(date(2010, 1, 1), None)]),
        True,
        "2 verified audits and 1 verified work entry in NO",
    ),
    case(
        "audit-elsewhere",
        COUNTRY,
        rec(audits=[audit(country="SE")], work=[work(date(2010, 1, 1), None, country="IS")]),
        False,
        "no verified audit or work entry in NO",
    ),
    case(
        "audit-as-observer",
        COUNTRY,
        rec(audits=[audit(role="observer")]),
        False,
        "no verified audit or work entry in NO",
    ),
    case(
        "work-starting-the-day-after",
        COUNTRY,
        rec(work=[work(AS_OF + DAY, None)]),
        False,
        "no verified audit or work entry in NO",
    ),
    case(
        "work-starting-on-the-day",
        COUNTRY,
        rec(work=[work(AS_OF, None)]),
        True,
        "1 verified work entry in NO",
    ),
    case(
        "codes-in-lower-case",
        COUNTRY,
        rec(audits=[audit(country="no")]),
        True,
        "1 verified audit in NO",
        countries=(" no",),
    ),
]

AREA = "specialist_area:human-rights"
AREA_CASES = [
    case(
        "work-entry",
        AREA,
        rec(work=[work(date(2015, 1, 1), date(2016, 1, 1), areas=("human-rights",))]),
        True,
        "1 piece of verified evidence in human-rights (work)",
        role="specialist",
    ),
    case(
        "qualification",
        AREA,
        rec(specialist_evidence=[evidence()]),
        True,
        "1 piece of verified evidence in human-rights (qualification)",
        role="specialist",
    ),
    case(
        "both",
        AREA,
        rec(
            specialist_evidence=[evidence()],
            work=[work(date(2015, 1, 1), None, areas=("ghg-emissions", "human-rights"))],
        ),
        True,
        "2 pieces of verified evidence in human-rights (qualification, work)",
        role="specialist",
    ),
    case(
        "dated-on-the-day",
        AREA,
        rec(specialist_evidence=[evidence(dated=AS_OF)]),
        True,
        "1 piece of verified evidence in human-rights (qualification)",
        role="specialist",
    ),
    case(
        "dated-the-day-after",
        AREA,
        rec(
            specialist_evidence=[evidence(dated=AS_OF + DAY)],
            work=[work(AS_OF + DAY, None, areas=("human-rights",))],
        ),
        False,
        "no verified evidence in human-rights",
        role="specialist",
    ),
    case(
        "another-area",
        AREA,
        rec(specialist_evidence=[evidence(area="ghg-emissions")]),
        False,
        "no verified evidence in human-rights",
        role="specialist",
    ),
    case(
        "unknown-area",
        "specialist_area:astrology",
        rec(specialist_evidence=[evidence(area="astrology")]),
        False,
        f"astrology is not a specialist area of the scheme (known: {AREAS_KNOWN})",
        role="specialist",
        areas=("astrology",),
    ),
]


@pytest.mark.parametrize(
    ("role", "code", "record", "met", "reason", "options"),
    [
        *COURSE_CASES,
        *STANDARD_COURSE_CASES,
        *QUALIFICATION_CASES,
        *AUDITS_CASES,
        *SECTOR_CASES,
        *COUNTRY_CASES,
        *AREA_CASES,
    ],
)
def test_requirement(role, code, record, met, reason, options):
    result = result_for(code, record, role=role, **options)
    assert (result.met, result.reason) == (met, reason)


AUDITOR_CODES = [
    "course:asi-auditor",
    "standard_course:PS",
    "qualification:management-system-auditor",
    "audits",
    "sector_experience:PS/aluminium-smelting",
    "country_experience:NO",
]


@pytest.mark.parametrize(
    ("role", "codes"),
    [
        pytest.param("auditor", AUDITOR_CODES, id="auditor"),
        pytest.param("lead_auditor", [*AUDITOR_CODES, "audits:lead"], id="lead_auditor"),
        pytest.param(
            "specialist", ["course:asi-specialist", "specialist_area:human-rights"], id="specialist"
        ),
    ],
)
def test_a_full_record_meets_every_role(role, codes):
    evaluation = evaluate(
        real_scheme(),
        role,
        FULL,
        scopes=SCOPES,
        countries=COUNTRIES,
        specialist_areas=["human-rights"],
        as_of=AS_OF,
    )
    assert [result.code for result in evaluation.results] == codes
    assert evaluation.met, evaluation.unmet
    assert (evaluation.role, evaluation.as_of, evaluation.unmet) == (role, AS_OF, ())


def test_lead_auditor_includes_the_auditor_requirements():
    record = PersonRecord(audits=FULL.audits, work=FULL.work, courses=FULL.courses)
    evaluation = evaluate(
        real_scheme(), "lead_auditor", record, scopes=SCOPES, countries=COUNTRIES, as_of=AS_OF
    )
    assert not evaluation.met
    assert [result.code for result in evaluation.unmet] == [
        "qualification:management-system-auditor"
    ]


def test_an_auditor_without_lead_audits_is_not_a_lead_auditor():
    record = PersonRecord(
        audits=audits(4, role="auditor"),
        qualifications=FULL.qualifications,
        courses=FULL.courses,
    )
    kwargs = {"scopes": SCOPES, "countries": COUNTRIES, "as_of": AS_OF}
    assert evaluate(real_scheme(), "auditor", record, **kwargs).met
    lead = evaluate(real_scheme(), "lead_auditor", record, **kwargs)
    assert [(result.code, result.reason) for result in lead.unmet] == [
        ("audits:lead", "0 of 3 audits and 0 of 15 audit days" + LEAD)
    ]


def test_one_result_per_standard_sector_and_country_asked_for():
    record = PersonRecord(
        audits=(*audits(4, role="lead"), audit(sectors=("casthouse",), country="IS")),
        qualifications=FULL.qualifications,
        courses=(*FULL.courses, course("coc-v2-auditors", standard="COC", version="2")),
    )
    evaluation = evaluate(
        real_scheme(),
        "auditor",
        record,
        scopes=[("PS", SMELTING), ("COC", SMELTING), ("COC", "casthouse"), ("PS", SMELTING)],
        countries=["NO", "IS", "no", "DE"],
        as_of=AS_OF,
    )
    assert [(result.code, result.met) for result in evaluation.results] == [
        ("course:asi-auditor", True),
        ("standard_course:PS", True),
        ("standard_course:COC", True),
        ("qualification:management-system-auditor", True),
        ("audits", True),
        ("sector_experience:PS/aluminium-smelting", True),
        ("sector_experience:COC/aluminium-smelting", True),
        ("sector_experience:COC/casthouse", True),
        ("country_experience:NO", True),
        ("country_experience:IS", True),
        ("country_experience:DE", False),
    ]
    assert not evaluation.met


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        pytest.param(
            "auditor",
            [
                ("standard_course", "no standard in scope; choose at least one"),
                (
                    "sector_experience",
                    "no sector in scope; choose at least one standard and sector",
                ),
                ("country_experience", "no country chosen; choose at least one"),
            ],
            id="auditor",
        ),
        pytest.param(
            "specialist",
            [("specialist_area", "no specialist area chosen; choose at least one")],
            id="specialist",
        ),
    ],
)
def test_an_empty_choice_never_passes(role, expected):
    evaluation = evaluate(real_scheme(), role, FULL, scopes=[], countries=[], as_of=AS_OF)
    assert [(result.code, result.reason) for result in evaluation.unmet] == expected
    assert not evaluation.met


def test_details_carry_the_figures():
    result = result_for("audits", PersonRecord(audits=(*audits(3), audit(onsite=4.5))))
    assert result.details == {
        "audits": 4,
        "min_audits": 4,
        "days": 19.5,
        "min_days": 20,
        "as_role": None,
        "window_years": 3,
        "window_start": "2023-11-26",
    }
    sector = result_for(SECTOR, PersonRecord(work=(work(date(2019, 1, 1), date(2019, 1, 10)),)))
    assert sector.details == {
        "standard": "PS",
        "sector": SMELTING,
        "audits": 0,
        "min_audits": 1,
        "work_days": 10,
        "min_work_days": 730,
        "min_work_years": 2,
        "window_years": None,
        "window_start": None,
    }


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(
            lambda: audit(role="team_member"),
            "audit role 'team_member' is not one of lead, auditor, auditor_in_training, "
            "observer, specialist",
            id="unknown-audit-role",
        ),
        pytest.param(
            lambda: AuditRecord(
                date(2025, 1, 2), date(2025, 1, 1), 1, 0, "lead", "PS", "3", (), "NO", "X"
            ),
            "an audit cannot end (2025-01-01) before it starts (2025-01-02)",
            id="audit-ends-before-it-starts",
        ),
        pytest.param(lambda: audit(offsite=-1), "audit days cannot be negative", id="negative"),
        pytest.param(
            lambda: WorkRecord(SMELTING, "NO", date(2025, 1, 2), date(2025, 1, 1)),
            "work cannot end (2025-01-01) before it starts (2025-01-02)",
            id="work-ends-before-it-starts",
        ),
    ],
)
def test_records_refuse_impossible_values(make, message):
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        make()

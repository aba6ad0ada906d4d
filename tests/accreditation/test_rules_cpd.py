"""The ``cpd`` renewal requirement (pure rules engine): verified CPD hours over the cycle,
each category capped, and a minimum per complete cycle year; just met and just missed."""

from dataclasses import replace
from datetime import date

import pytest

from educational.accreditation.rules import evaluate
from educational.accreditation.rules.cpd import cpd_progress, cycle_years
from educational.core.records import CpdRecord, PersonRecord

from .rules_helpers import AREAS, AS_OF, COUNTRIES, FULL, SCOPES, WINDOW_START, real_scheme

# The cycle of a renewal evaluated on AS_OF (2026-11-26): 2023-11-26 .. 2026-11-26, cut into
# three complete years (the single day AS_OF starts a fourth, partial one, not checked).
Y1, Y2, Y3 = date(2024, 5, 1), date(2025, 5, 1), date(2026, 5, 1)
AUDITOR = {"hours_per_cycle": 60, "hours_per_year": 15}


def cpd(day: date, hours: float, category: str = "training") -> CpdRecord:
    return CpdRecord(day=day, hours=hours, category=category)


def renewal(record: PersonRecord, role: str = "auditor", as_of: date = AS_OF):
    """The CPD results of a renewal evaluated on ``as_of``, by code."""
    evaluation = evaluate(
        real_scheme(),
        role,
        record,
        scopes=SCOPES,
        countries=COUNTRIES,
        specialist_areas=AREAS,
        as_of=as_of,
        renewal=True,
    )
    return {r.code: r for r in evaluation.results if r.code.startswith("cpd")}


YEAR_CODES = ["cpd:year:2023-11-26", "cpd:year:2024-11-26", "cpd:year:2025-11-26"]

CASES = [
    # (name, activities, total met, years met, counted hours)
    (
        "just met",
        [cpd(Y1, 20), cpd(Y2, 20), cpd(Y3, 15, "conferences"), cpd(Y3, 5, "self-study")],
        True,
        [True, True, True],
        60,
    ),
    (
        "total just missed",
        [cpd(Y1, 20), cpd(Y2, 19.75), cpd(Y3, 20, "conferences")],
        False,
        [True, True, True],
        59.75,
    ),
    (
        "a cap bites: 60 training hours count as 40",
        [cpd(Y1, 30), cpd(Y2, 30), cpd(Y3, 15, "conferences")],
        False,
        [True, True, True],
        55,
    ),
    (
        "a year just short",
        [cpd(Y1, 14.5), cpd(Y2, 25.5), cpd(Y3, 20, "conferences")],
        True,
        [False, True, True],
        60,
    ),
    (
        "year boundaries: the last day of year 1 and the first of year 2",
        [
            cpd(date(2024, 11, 25), 15),
            cpd(date(2024, 11, 26), 15, "audits"),
            cpd(date(2025, 11, 25), 10, "audits"),
            cpd(date(2025, 11, 26), 20),
        ],
        True,
        [True, True, True],
        60,
    ),
    (
        "outside the cycle: the day before it and after the evaluation day do not count",
        [
            cpd(date(2023, 11, 25), 20),
            cpd(date(2023, 11, 26), 15),
            cpd(Y2, 15, "audits"),
            cpd(Y3, 15, "audits"),
            cpd(date(2026, 11, 27), 20, "conferences"),
        ],
        False,
        [True, True, True],
        45,
    ),
    (
        "the evaluation day counts toward the total, not toward a year",
        [cpd(Y1, 15), cpd(Y2, 15, "audits"), cpd(Y3, 14, "audits"), cpd(AS_OF, 16)],
        True,
        [True, True, False],
        60,
    ),
    ("nothing logged", [], False, [False, False, False], 0),
]


@pytest.mark.parametrize(
    ("activities", "total_met", "years_met", "hours"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_cpd_requirement(activities, total_met, years_met, hours):
    results = renewal(replace(FULL, cpd=tuple(activities)))
    assert list(results) == ["cpd", *YEAR_CODES]
    total = results["cpd"]
    assert total.met is total_met
    assert total.details["hours"] == hours
    assert total.message.id == "cpd.cycle"
    assert total.message.values["cycle_start"] == WINDOW_START.isoformat()
    assert f"{hours:g} of 60 verified CPD hours in the cycle since 2023-11-26" in total.reason
    assert [results[code].met for code in YEAR_CODES] == years_met
    assert {results[code].message.id for code in YEAR_CODES} == {"cpd.year"}


def test_the_cap_is_reported():
    results = renewal(replace(FULL, cpd=(cpd(Y1, 30), cpd(Y2, 30), cpd(Y3, 15, "conferences"))))
    total = results["cpd"]
    assert total.details["capped"] == 20
    assert total.details["categories"]["training"] == {"hours": 60, "cap": 40, "counted": 40}
    assert "20 hours over category caps not counted" in total.reason


def test_year_result_reads_its_dates():
    results = renewal(replace(FULL, cpd=(cpd(Y1, 14.5),)))
    year = results["cpd:year:2023-11-26"]
    assert year.details == {
        "hours": 14.5,
        "needed": 15,
        "year": 1,
        "year_start": "2023-11-26",
        "year_end": "2024-11-25",
    }
    assert year.reason == "14.5 of 15 verified CPD hours in cycle year 1 (2023-11-26 to 2024-11-25)"


def test_only_at_renewal():
    evaluation = evaluate(
        real_scheme(),
        "auditor",
        FULL,
        scopes=SCOPES,
        countries=COUNTRIES,
        specialist_areas=AREAS,
        as_of=AS_OF,
    )
    assert not [r for r in evaluation.results if r.code.startswith("cpd")]


def test_each_role_has_its_own_figures():
    # The specialist needs 30 hours a cycle and 5 a year.
    record = replace(FULL, cpd=(cpd(Y1, 10), cpd(Y2, 10), cpd(Y3, 10)))
    results = renewal(record, role="specialist")
    assert results["cpd"].met and results["cpd"].details["needed"] == 30
    assert all(results[code].met for code in YEAR_CODES)
    record = replace(FULL, cpd=(cpd(Y1, 4.75), cpd(Y2, 12.75), cpd(Y3, 12.5)))
    results = renewal(record, role="specialist")
    assert results["cpd"].met and not results["cpd:year:2023-11-26"].met
    # The lead auditor includes the auditor's renewal requirements.
    assert renewal(record, role="lead_auditor")["cpd"].details["needed"] == 60


def test_progress_mid_cycle():
    """The dashboard's view: a cycle that started on 2025-03-01, read on 2026-06-15."""
    scheme = real_scheme()
    record = (cpd(date(2025, 4, 1), 10), cpd(date(2026, 3, 1), 3, "conferences"))
    progress = cpd_progress(record, AUDITOR, scheme, date(2025, 3, 1), date(2026, 6, 15))
    assert [(y.start, y.end, y.complete, y.hours) for y in progress.years] == [
        (date(2025, 3, 1), date(2026, 2, 28), True, 10),
        (date(2026, 3, 1), date(2027, 2, 28), False, 3),
    ]
    assert [y.number for y in progress.checked_years] == [1]
    assert not progress.met and progress.counted == 13
    assert progress.current_year.number == 2
    assert progress.years[0].short == 5


@pytest.mark.parametrize(
    ("start", "as_of", "expected"),
    [
        (
            date(2024, 2, 29),
            date(2025, 3, 1),
            [(date(2024, 2, 29), date(2025, 2, 27)), (date(2025, 2, 28), date(2026, 2, 27))],
        ),
        (date(2023, 1, 1), date(2022, 12, 31), []),
        (date(2023, 1, 1), date(2023, 1, 1), [(date(2023, 1, 1), date(2023, 12, 31))]),
    ],
)
def test_cycle_years(start, as_of, expected):
    assert cycle_years(start, as_of) == expected

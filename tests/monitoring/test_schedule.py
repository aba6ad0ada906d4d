"""The next witness date: every factor, factors answered by the last witness, overturned
assessments, no witness yet, leap days and month ends."""

from datetime import date

import pytest

from educational.catalog.content.model import CycleRules
from educational.core.records import AssessmentRecord
from educational.monitoring.schedule import next_witness_date

#: upheld complaint 3 months, major concerns 6, minor 12, new sector 12 (scheme.yml).
RULES = CycleRules()
START = date(2025, 1, 15)
EVERY = 36


def witness(day, result="satisfactory", counts=True):
    return AssessmentRecord(day=day, result=result, kind="witness", counts=counts)


def review(day, result="satisfactory", counts=True):
    return AssessmentRecord(day=day, result=result, kind="report_review", counts=counts)


CASES = [
    # id, assessments, upheld complaints, new sectors, due, factor, since
    ("no witness yet: the cycle start + 36 months", [], [], [], date(2028, 1, 15), "cycle", START),
    (
        "a satisfactory witness restarts the interval",
        [witness(date(2026, 3, 1))],
        [],
        [],
        date(2029, 3, 1),
        "interval",
        date(2026, 3, 1),
    ),
    (
        "the last witness counts, not the first",
        [witness(date(2026, 3, 1)), witness(date(2025, 6, 1))],
        [],
        [],
        date(2029, 3, 1),
        "interval",
        date(2026, 3, 1),
    ),
    (
        "an upheld complaint: + 3 months",
        [witness(date(2026, 3, 1))],
        [date(2026, 5, 10)],
        [],
        date(2026, 8, 10),
        "upheld_complaint",
        date(2026, 5, 10),
    ),
    (
        "an upheld complaint without any witness yet",
        [],
        [date(2025, 2, 1)],
        [],
        date(2025, 5, 1),
        "upheld_complaint",
        date(2025, 2, 1),
    ),
    (
        "major concerns in the last witness: + 6 months",
        [witness(date(2026, 3, 1), "major_concerns")],
        [],
        [],
        date(2026, 9, 1),
        "major_concerns",
        date(2026, 3, 1),
    ),
    (
        "minor concerns in the last witness: + 12 months",
        [witness(date(2026, 3, 1), "minor_concerns")],
        [],
        [],
        date(2027, 3, 1),
        "minor_concerns",
        date(2026, 3, 1),
    ),
    (
        "major concerns in a report review after the last witness",
        [witness(date(2026, 3, 1)), review(date(2026, 7, 1), "major_concerns")],
        [],
        [],
        date(2027, 1, 1),
        "major_concerns",
        date(2026, 7, 1),
    ),
    (
        "minor concerns in a report review, no witness yet",
        [review(date(2025, 4, 1), "minor_concerns")],
        [],
        [],
        date(2026, 4, 1),
        "minor_concerns",
        date(2025, 4, 1),
    ),
    (
        "a later satisfactory review clears the concerns of an earlier one",
        [review(date(2025, 4, 1), "major_concerns"), review(date(2025, 9, 1))],
        [],
        [],
        date(2028, 1, 15),
        "cycle",
        START,
    ),
    (
        "a new sector in scope: + 12 months",
        [witness(date(2026, 3, 1))],
        [],
        [(date(2026, 6, 30), "casthouse")],
        date(2027, 6, 30),
        "new_sector",
        date(2026, 6, 30),
    ),
    (
        "the earliest of several factors wins",
        [witness(date(2026, 3, 1), "minor_concerns")],
        [date(2026, 4, 1)],
        [(date(2026, 3, 5), "casthouse")],
        date(2026, 7, 1),
        "upheld_complaint",
        date(2026, 4, 1),
    ),
    (
        "factors before the last witness are answered by it",
        [review(date(2026, 1, 1), "major_concerns"), witness(date(2026, 3, 1))],
        [date(2026, 2, 1)],
        [(date(2026, 2, 28), "casthouse")],
        date(2029, 3, 1),
        "interval",
        date(2026, 3, 1),
    ),
    (
        "a complaint upheld on the day of the last witness still counts",
        [witness(date(2026, 3, 1))],
        [date(2026, 3, 1)],
        [],
        date(2026, 6, 1),
        "upheld_complaint",
        date(2026, 3, 1),
    ),
    (
        "an overturned witness with major concerns counts for nothing",
        [witness(date(2026, 3, 1), "major_concerns", counts=False)],
        [],
        [],
        date(2028, 1, 15),
        "cycle",
        START,
    ),
    (
        "an overturned witness does not restart the interval, the earlier one does",
        [witness(date(2025, 6, 1)), witness(date(2026, 3, 1), counts=False)],
        [],
        [],
        date(2028, 6, 1),
        "interval",
        date(2025, 6, 1),
    ),
    (
        "an overturned later witness leaves an earlier factor standing",
        [witness(date(2026, 3, 1), counts=False)],
        [date(2026, 2, 1)],
        [],
        date(2026, 5, 1),
        "upheld_complaint",
        date(2026, 2, 1),
    ),
    (
        "a report review is not a witness: the interval runs from the cycle start",
        [review(date(2026, 3, 1))],
        [],
        [],
        date(2028, 1, 15),
        "cycle",
        START,
    ),
    (
        "month end: 31 Aug + 6 months is 28 Feb",
        [witness(date(2026, 8, 31), "major_concerns")],
        [],
        [],
        date(2027, 2, 28),
        "major_concerns",
        date(2026, 8, 31),
    ),
    (
        "month end in a leap year: 31 Aug 2027 + 6 months is 29 Feb 2028",
        [witness(date(2027, 8, 31), "major_concerns")],
        [],
        [],
        date(2028, 2, 29),
        "major_concerns",
        date(2027, 8, 31),
    ),
    (
        "a leap day + 12 months is 28 Feb",
        [witness(date(2028, 2, 29), "minor_concerns")],
        [],
        [],
        date(2029, 2, 28),
        "minor_concerns",
        date(2028, 2, 29),
    ),
    (
        "30 Nov + 3 months is 28 Feb",
        [],
        [date(2025, 11, 30)],
        [],
        date(2026, 2, 28),
        "upheld_complaint",
        date(2025, 11, 30),
    ),
]


@pytest.mark.parametrize(
    ("assessments", "complaints", "sectors", "due", "factor", "since"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_next_witness_date(assessments, complaints, sectors, due, factor, since):
    found = next_witness_date(
        cycle_start=START,
        every_months=EVERY,
        rules=RULES,
        assessments=assessments,
        upheld_complaints=complaints,
        new_sectors=sectors,
    )
    assert (found.due, found.reason.factor, found.reason.since) == (due, factor, since)
    assert found.deadlines[0] == found.reason


def test_ties_go_to_the_risk_factor():
    # A complaint upheld exactly 33 months after the cycle start: both fall due the same day.
    found = next_witness_date(
        cycle_start=START, every_months=EVERY, rules=RULES, upheld_complaints=[date(2027, 10, 15)]
    )
    assert found.due == date(2028, 1, 15)
    assert found.reason.factor == "upheld_complaint"
    assert [d.factor for d in found.deadlines] == ["upheld_complaint", "cycle"]


def test_the_why_is_data():
    found = next_witness_date(
        cycle_start=START,
        every_months=EVERY,
        rules=RULES,
        assessments=[witness(date(2026, 3, 1))],
        new_sectors=[(date(2026, 6, 30), "casthouse")],
    )
    assert found.reason.detail == "casthouse"
    assert found.last_witness == date(2026, 3, 1)
    assert found.as_json() == {
        "due": "2027-06-30",
        "factor": "new_sector",
        "since": "2026-06-30",
        "detail": "casthouse",
        "last_witness": "2026-03-01",
    }
    assert found.overdue(date(2027, 7, 1)) and not found.overdue(date(2027, 6, 30))


def test_scheme_figures_are_used():
    rules = CycleRules(major_concerns_months=2)
    found = next_witness_date(
        cycle_start=START,
        every_months=12,
        rules=rules,
        assessments=[witness(date(2026, 1, 31), "major_concerns")],
    )
    assert found.due == date(2026, 3, 31)


def test_every_months_must_be_positive():
    with pytest.raises(ValueError, match="every_months"):
        next_witness_date(cycle_start=START, every_months=0, rules=RULES)

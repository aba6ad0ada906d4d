"""The ``witness`` renewal requirement: satisfactory witness assessments in the cycle, just
met and just missed, through the rules engine."""

from dataclasses import replace
from datetime import date

import pytest

from educational.accreditation.reasons import Names, render
from educational.accreditation.rules import EvaluationContext, evaluate
from educational.accreditation.rules.witness import check_witness
from educational.core.records import AssessmentRecord, PersonRecord
from tests.accreditation.rules_helpers import AS_OF, COUNTRIES, DAY, SCOPES, real_scheme

#: scheme.yml's validity is 3 years: the renewal on AS_OF reads the cycle from here.
CYCLE_START = date(2023, 11, 26)


def witness(day, result="satisfactory", kind="witness", counts=True, n=0):
    return AssessmentRecord(day=day, result=result, kind=kind, counts=counts, assessment_id=n)


def context(scheme=None, cycle_start=CYCLE_START, as_of=AS_OF):
    return EvaluationContext(
        scheme=scheme or real_scheme(),
        scopes=SCOPES,
        countries=COUNTRIES,
        specialist_areas=(),
        as_of=as_of,
        cycle_start=cycle_start,
    )


CASES = [
    # id, min_satisfactory, assessments, met, satisfactory counted
    ("just met: on the first day of the cycle", 1, [witness(CYCLE_START)], True, 1),
    ("just met: on the renewal day", 1, [witness(AS_OF)], True, 1),
    ("just missed: the day before the cycle start", 1, [witness(CYCLE_START - DAY)], False, 0),
    ("just missed: after the renewal day", 1, [witness(AS_OF + DAY)], False, 0),
    (
        "a report review is not a witness",
        1,
        [witness(date(2025, 5, 1), kind="report_review")],
        False,
        0,
    ),
    (
        "an overturned witness does not count",
        1,
        [witness(date(2025, 5, 1), counts=False)],
        False,
        0,
    ),
    ("minor concerns do not count", 1, [witness(date(2025, 5, 1), "minor_concerns")], False, 0),
    ("major concerns do not count", 1, [witness(date(2025, 5, 1), "major_concerns")], False, 0),
    ("none at all", 1, [], False, 0),
    (
        "two needed, one satisfactory and one with concerns",
        2,
        [witness(date(2024, 5, 1)), witness(date(2025, 5, 1), "minor_concerns")],
        False,
        1,
    ),
    (
        "two needed, two satisfactory",
        2,
        [witness(date(2024, 5, 1)), witness(date(2025, 5, 1))],
        True,
        2,
    ),
]


@pytest.mark.parametrize(
    ("needed", "assessments", "met", "counted"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_check_witness(needed, assessments, met, counted):
    record = PersonRecord(assessments=tuple(assessments))
    (result,) = check_witness({"min_satisfactory": needed}, record, context())
    assert result.code == "witness"
    assert (result.met, result.details["satisfactory"]) == (met, counted)
    assert result.details["min_satisfactory"] == needed
    assert result.details["window_start"] == CYCLE_START.isoformat()
    assert result.message is not None and result.message.id == "witness"


def test_details_name_the_counted_assessments_and_the_last_day():
    record = PersonRecord(
        assessments=(witness(date(2024, 5, 1), n=7), witness(date(2025, 5, 1), n=9))
    )
    (result,) = check_witness({"min_satisfactory": 1}, record, context())
    assert result.details["assessment_ids"] == [7, 9]
    assert result.details["day"] == "2025-05-01"
    assert result.reason == "2 of 1 satisfactory witness assessments since 2023-11-26"


def test_the_engine_checks_it_at_renewal_only():
    scheme = real_scheme()
    base = PersonRecord()
    first = evaluate(scheme, "auditor", base, scopes=SCOPES, countries=COUNTRIES, as_of=AS_OF)
    assert "witness" not in {r.code for r in first.results}

    def at_renewal(record):
        evaluation = evaluate(
            scheme, "auditor", record, scopes=SCOPES, countries=COUNTRIES, as_of=AS_OF, renewal=True
        )
        return next(r for r in evaluation.results if r.code == "witness")

    assert not at_renewal(base).met
    assert at_renewal(replace(base, assessments=(witness(CYCLE_START),))).met
    assert not at_renewal(replace(base, assessments=(witness(CYCLE_START - DAY),))).met


def test_the_reason_renders_in_every_language(app):
    names = Names(real_scheme())
    record = PersonRecord(assessments=(witness(date(2025, 4, 2)),))
    (result,) = check_witness({"min_satisfactory": 1}, record, context())
    for locale in ("en", "fr", "pt", "zh"):
        with app.test_request_context(headers={"Accept-Language": locale}):
            text = render(result.message.as_json(), result.met, names)
            assert text and "%(" not in text
    with app.test_request_context(headers={"Accept-Language": "en"}):
        text = render(result.message.as_json(), result.met, names)
    assert text.startswith("1 of 1 satisfactory witness assessment in the cycle since")

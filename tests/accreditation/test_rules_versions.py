"""Standard versions and transitions, calendar windows, and the conflict-of-interest rule."""

from __future__ import annotations

from datetime import date

import pytest

from educational.accreditation.rules import (
    Window,
    add_months,
    conflict_of_interest,
    covered_days,
    current_version,
    transition_last_day,
    usable_versions,
    years_before,
)
from educational.core.records import InterestDeclaration, PersonRecord
from tests.accreditation.rules_helpers import (
    AS_OF,
    DAY,
    WINDOW_START,
    course,
    ps_course,
    real_scheme,
    result_for,
)

V3_PUBLISHED = date(2022, 5, 19)
TRANSITION_LAST_DAY = date(2023, 5, 18)


@pytest.mark.parametrize(
    ("standard", "day", "usable"),
    [
        pytest.param("PS", date(2014, 11, 30), [], id="PS-before-the-first-version"),
        pytest.param("PS", date(2014, 12, 1), ["1"], id="PS-first-version-published"),
        pytest.param("PS", date(2017, 12, 1), ["2"], id="PS-v2-without-transition"),
        pytest.param("PS", V3_PUBLISHED - DAY, ["2"], id="PS-the-day-before-v3"),
        pytest.param("PS", V3_PUBLISHED, ["3", "2"], id="PS-v3-published"),
        pytest.param("PS", TRANSITION_LAST_DAY, ["3", "2"], id="PS-last-day-of-transition"),
        pytest.param("PS", TRANSITION_LAST_DAY + DAY, ["3"], id="PS-the-day-after-transition"),
        pytest.param("COC", TRANSITION_LAST_DAY, ["2", "1"], id="COC-last-day-of-transition"),
        pytest.param("COC", TRANSITION_LAST_DAY + DAY, ["2"], id="COC-the-day-after-transition"),
    ],
)
def test_usable_versions(standard, day, usable):
    found = usable_versions(real_scheme().standards[standard], day)
    assert [version.version for version in found] == usable
    current = current_version(real_scheme().standards[standard], day)
    assert (current.version if current else None) == (usable[0] if usable else None)


@pytest.mark.parametrize(
    ("version", "last_day"),
    [
        pytest.param("1", None, id="first-version"),
        pytest.param("2", None, id="no-transition-months"),
        pytest.param("3", TRANSITION_LAST_DAY, id="twelve-months"),
    ],
)
def test_transition_last_day(version, last_day):
    standard = real_scheme().standards["PS"]
    (found,) = [item for item in standard.versions if item.version == version]
    assert transition_last_day(standard, found) == last_day


V2_COURSE = ps_course("2", completed_on=date(2021, 1, 10))


@pytest.mark.parametrize(
    ("courses", "as_of", "met", "reason"),
    [
        pytest.param(
            [V2_COURSE],
            V3_PUBLISHED - DAY,
            True,
            "course ps-v2-auditors for PS version 2 completed on 2021-01-10",
            id="old-course-before-the-new-version",
        ),
        pytest.param(
            [V2_COURSE],
            V3_PUBLISHED,
            True,
            "course ps-v2-auditors for PS version 2 completed on 2021-01-10; "
            "accepted until 2023-05-18 during the transition to version 3",
            id="old-course-on-publication-day",
        ),
        pytest.param(
            [V2_COURSE],
            TRANSITION_LAST_DAY,
            True,
            "course ps-v2-auditors for PS version 2 completed on 2021-01-10; "
            "accepted until 2023-05-18 during the transition to version 3",
            id="old-course-on-the-last-day-of-transition",
        ),
        pytest.param(
            [V2_COURSE],
            TRANSITION_LAST_DAY + DAY,
            False,
            "no course for PS version 3 completed; course ps-v2-auditors is for version 2, "
            "which was usable until 2023-05-18",
            id="old-course-the-day-after-transition",
        ),
        pytest.param(
            [],
            TRANSITION_LAST_DAY,
            False,
            "no course for PS version 3 (or version 2 until 2023-05-18) completed",
            id="nothing-during-transition",
        ),
        pytest.param(
            [V2_COURSE, ps_course(completed_on=date(2022, 9, 1))],
            TRANSITION_LAST_DAY,
            True,
            "course ps-v3-auditors for PS version 3 completed on 2022-09-01",
            id="new-course-preferred-during-transition",
        ),
        pytest.param(
            [ps_course(completed_on=date(2022, 9, 1))],
            date(2022, 8, 31),
            False,
            "no course for PS version 3 (or version 2 until 2023-05-18) completed",
            id="new-course-completed-later",
        ),
        pytest.param(
            [course("ps-v2-auditors", completed_on=date(2021, 1, 10))],
            date(2022, 1, 1),
            False,
            "no course for PS version 2 completed",
            id="course-without-a-standard-does-not-count",
        ),
    ],
)
def test_standard_course_during_and_after_a_transition(courses, as_of, met, reason):
    result = result_for("standard_course:PS", PersonRecord(courses=tuple(courses)), as_of=as_of)
    assert (result.met, result.reason) == (met, reason)


def test_standard_course_before_any_version():
    result = result_for("standard_course:PS", PersonRecord(), as_of=date(2010, 1, 1))
    assert result.reason == "standard PS has no version published on or before 2010-01-01"
    assert not result.met


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        pytest.param(date(2022, 5, 19), 12, date(2023, 5, 19), id="a-year"),
        pytest.param(date(2024, 1, 31), 1, date(2024, 2, 29), id="to-a-leap-february"),
        pytest.param(date(2023, 8, 31), 6, date(2024, 2, 29), id="clamped-to-month-end"),
        pytest.param(date(2024, 2, 29), -12, date(2023, 2, 28), id="leap-day-back-a-year"),
        pytest.param(date(2026, 1, 15), -13, date(2024, 12, 15), id="back-across-years"),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_the_window_includes_its_first_day_and_the_evaluation_date():
    window = Window.last_years(AS_OF, 3)
    assert years_before(AS_OF, 3) == window.start == WINDOW_START
    assert [window.contains(day) for day in (WINDOW_START - DAY, WINDOW_START, AS_OF)] == [
        False,
        True,
        True,
    ]
    assert not window.contains(AS_OF + DAY)
    assert window.phrase == " in the last 3 years (since 2023-11-26)"
    assert Window.last_years(AS_OF, 1).phrase == " in the last year (since 2025-11-26)"
    assert Window.last_years(AS_OF, None).phrase == ""


@pytest.mark.parametrize(
    ("periods", "days"),
    [
        pytest.param([], 0, id="none"),
        pytest.param([(date(2024, 1, 1), date(2024, 1, 1))], 1, id="one-day"),
        pytest.param([(date(2024, 1, 1), date(2024, 12, 31))], 366, id="leap-year"),
        pytest.param(
            [(date(2024, 1, 1), date(2024, 1, 10)), (date(2024, 1, 5), date(2024, 1, 20))],
            20,
            id="overlap",
        ),
        pytest.param(
            [(date(2024, 1, 1), date(2024, 1, 31)), (date(2024, 1, 5), date(2024, 1, 20))],
            31,
            id="inside-another",
        ),
        pytest.param(
            [(date(2024, 1, 11), date(2024, 1, 20)), (date(2024, 1, 1), date(2024, 1, 10))],
            20,
            id="adjacent-unsorted",
        ),
        pytest.param(
            [(date(2024, 1, 1), date(2024, 1, 10)), (date(2024, 1, 1), date(2024, 1, 10))],
            10,
            id="twice-the-same",
        ),
    ],
)
def test_covered_days(periods, days):
    assert covered_days(periods) == days


NO_LINK = "no declared link with Hydro Sunndal in the last 3 years (since 2023-11-26)"
#: Members read the reason: it never gives a link's kind or dates (finding 16 of issue 10).
CONFLICT = (
    "declared a link with Hydro Sunndal: a conflict of interest in the last 3 years "
    "(since 2023-11-26)"
)


def link(entity="Hydro Sunndal", start=date(2015, 1, 1), end=None, nature="consulting"):
    return InterestDeclaration(entity=entity, nature=nature, start=start, end=end)


@pytest.mark.parametrize(
    ("declarations", "met", "reason"),
    [
        pytest.param([], True, NO_LINK, id="none"),
        pytest.param(
            [link(end=WINDOW_START)],
            False,
            CONFLICT,
            id="ended-on-the-first-day-of-the-window",
        ),
        pytest.param([link(end=WINDOW_START - DAY)], True, NO_LINK, id="ended-the-day-before"),
        pytest.param(
            [link(entity="  hydro   SUNNDAL ", nature="employment")],
            False,
            CONFLICT,
            id="name-matched-ignoring-case-and-spaces",
        ),
        pytest.param([link(start=AS_OF + DAY)], True, NO_LINK, id="starts-the-day-after"),
        pytest.param(
            [link(start=AS_OF)],
            False,
            CONFLICT,
            id="starts-on-the-day",
        ),
        pytest.param([link(entity="Hydro Husnes")], True, NO_LINK, id="another-entity"),
        pytest.param(
            [link(end=date(2024, 6, 30)), link(start=date(2025, 1, 1), nature="employment")],
            False,
            CONFLICT,
            id="two-links",
        ),
    ],
)
def test_conflict_of_interest(declarations, met, reason):
    result = conflict_of_interest(declarations, "Hydro Sunndal", AS_OF)
    assert (result.code, result.met, result.reason) == ("conflict_of_interest", met, reason)
    assert len(result.details["links"]) == (0 if met else len(declarations))


def test_conflict_of_interest_window_is_a_parameter():
    declarations = [link(end=date(2022, 1, 1))]
    assert conflict_of_interest(declarations, "Hydro Sunndal", AS_OF).met
    longer = conflict_of_interest(declarations, "Hydro Sunndal", AS_OF, window_years=5)
    assert not longer.met
    assert longer.reason.endswith("in the last 5 years (since 2021-11-26)")

"""Every figure comes from the scheme: a modified scheme.yml gives the modified verdicts."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date

import pytest

from educational.accreditation.rules import (
    CHECKS,
    UnknownRequirementKind,
    UnknownRole,
    evaluate,
)
from educational.catalog.content import Requirement, Role, Scheme, load_tree
from educational.catalog.content.scheme import REQUIREMENT_KINDS
from educational.core.records import PersonRecord
from tests.accreditation.rules_helpers import (
    AS_OF,
    COUNTRIES,
    COURSES,
    DAY,
    FULL,
    SCOPES,
    audit,
    audits,
    ps_course,
    qualification,
    real_scheme,
    result_for,
    work,
)

#: (the default in courses/scheme.yml, what the modified copy says instead)
CHANGES = [
    (
        "{kind: audits, min_audits: 4, min_days: 20, window_years: 3}",
        "{kind: audits, min_audits: 6, min_days: 30, window_years: 5}",
    ),
    (
        "{kind: audits, as_role: lead, min_audits: 3, min_days: 15, window_years: 3}",
        "{kind: audits, as_role: lead, min_audits: 1, min_days: 5, window_years: 1}",
    ),
    (
        "{kind: sector_experience, min_audits: 1, min_work_years: 2}",
        "{kind: sector_experience, min_audits: 2, min_work_years: 3}",
    ),
    ("{kind: country_experience, min_entries: 1}", "{kind: country_experience, min_entries: 2}"),
    (
        "qualification_kind: management-system-auditor",
        "qualification_kind: iso-19011-lead-auditor",
    ),
    (
        '{version: "3", published: 2022-05-19, transition_months: 12}',
        '{version: "3", published: 2022-05-19, transition_months: 24}',
    ),
]


@pytest.fixture(scope="module")
def modified(tmp_path_factory) -> Scheme:
    root = tmp_path_factory.mktemp("content") / "courses"
    shutil.copytree(COURSES, root)
    text = (root / "scheme.yml").read_text(encoding="utf-8")
    for default, changed in CHANGES:
        assert text.count(default) == 1, default
        text = text.replace(default, changed)
    (root / "scheme.yml").write_text(text, encoding="utf-8")
    result = load_tree(root)
    assert result.ok, result.problems
    assert result.tree is not None
    return result.tree.scheme


W3 = " in the last 3 years (since 2023-11-26)"
W5 = " in the last 5 years (since 2021-11-26)"
SECTOR = "sector_experience:PS/aluminium-smelting"
FIVE_YEARS_AGO = date(2021, 11, 26)


def both(case_id, code, record, default, changed, role="auditor", as_of=AS_OF):
    return pytest.param(role, code, record, as_of, default, changed, id=case_id)


@pytest.mark.parametrize(
    ("role", "code", "record", "as_of", "default", "changed"),
    [
        both(
            "five-audits-in-three-years",
            "audits",
            PersonRecord(audits=audits(5)),
            (True, "5 audits and 25 audit days" + W3),
            (False, "5 of 6 audits and 25 of 30 audit days" + W5),
        ),
        both(
            "six-audits-in-five-years",
            "audits",
            PersonRecord(audits=(*audits(4), *audits(2, end=date(2022, 6, 1)))),
            (True, "4 audits and 20 audit days" + W3),
            (True, "6 audits and 30 audit days" + W5),
        ),
        both(
            "sixth-audit-on-the-first-day-of-five-years",
            "audits",
            PersonRecord(audits=(*audits(5), audit(end=FIVE_YEARS_AGO))),
            (True, "5 audits and 25 audit days" + W3),
            (True, "6 audits and 30 audit days" + W5),
        ),
        both(
            "sixth-audit-the-day-before-five-years",
            "audits",
            PersonRecord(audits=(*audits(5), audit(end=FIVE_YEARS_AGO - DAY))),
            (True, "5 audits and 25 audit days" + W3),
            (False, "5 of 6 audits and 25 of 30 audit days" + W5),
        ),
        both(
            "one-lead-audit-this-year",
            "audits:lead",
            PersonRecord(audits=(audit(role="lead", end=date(2026, 1, 1)),)),
            (False, "1 of 3 audits and 5 of 15 audit days as lead" + W3),
            (True, "1 audit and 5 audit days as lead in the last year (since 2025-11-26)"),
            role="lead_auditor",
        ),
        both(
            "one-audit-in-the-sector",
            SECTOR,
            PersonRecord(audits=(audit(),)),
            (True, "1 verified audit in sector aluminium-smelting"),
            (
                False,
                "1 of 2 audits or 0 of 1095 days (3 years) of work in sector aluminium-smelting",
            ),
        ),
        both(
            "two-years-of-work-in-the-sector",
            SECTOR,
            PersonRecord(work=(work(date(2019, 1, 1), date(2020, 12, 30)),)),
            (True, "730 days of verified work in sector aluminium-smelting (2 years needed)"),
            (
                False,
                "0 of 2 audits or 730 of 1095 days (3 years) of work in sector aluminium-smelting",
            ),
        ),
        both(
            "three-years-of-work-in-the-sector",
            SECTOR,
            PersonRecord(work=(work(date(2018, 1, 1), date(2020, 12, 30)),)),
            (True, "1095 days of verified work in sector aluminium-smelting (2 years needed)"),
            (True, "1095 days of verified work in sector aluminium-smelting (3 years needed)"),
        ),
        both(
            "one-entry-in-the-country",
            "country_experience:NO",
            PersonRecord(audits=(audit(),)),
            (True, "1 verified audit in NO"),
            (False, "1 of 2 verified audits or work entries in NO"),
        ),
        both(
            "two-entries-in-the-country",
            "country_experience:NO",
            PersonRecord(audits=(audit(),), work=(work(date(2010, 1, 1), None),)),
            (True, "1 verified audit and 1 verified work entry in NO"),
            (True, "1 verified audit and 1 verified work entry in NO"),
        ),
        both(
            "previous-version-course-a-year-into-the-transition",
            "standard_course:PS",
            PersonRecord(courses=(ps_course("2", completed_on=date(2021, 1, 10)),)),
            (
                False,
                "no course for PS version 3 completed; course ps-v2-auditors is for version 2, "
                "which was usable until 2023-05-18",
            ),
            (
                True,
                "course ps-v2-auditors for PS version 2 completed on 2021-01-10; "
                "accepted until 2024-05-18 during the transition to version 3",
            ),
            as_of=date(2024, 5, 18),
        ),
    ],
)
def test_modified_scheme_gives_modified_verdicts(
    modified, role, code, record, as_of, default, changed
):
    for scheme, expected in ((real_scheme(), default), (modified, changed)):
        result = result_for(code, record, role=role, scheme=scheme, as_of=as_of)
        assert (result.met, result.reason) == expected


def test_modified_qualification_kind(modified):
    record = PersonRecord(qualifications=(qualification(),))
    default = evaluate(real_scheme(), "auditor", record, scopes=SCOPES, countries=[], as_of=AS_OF)
    changed = evaluate(modified, "auditor", record, scopes=SCOPES, countries=[], as_of=AS_OF)
    codes = [result.code for result in changed.results]
    assert "qualification:management-system-auditor" not in codes
    (mine,) = [result for result in changed.results if result.code.startswith("qualification:")]
    assert (mine.code, mine.met, mine.reason) == (
        "qualification:iso-19011-lead-auditor",
        False,
        "no verified iso-19011-lead-auditor qualification valid on 2026-11-26",
    )
    assert result_in(default, "qualification:management-system-auditor").met


def result_in(evaluation, code):
    (found,) = [result for result in evaluation.results if result.code == code]
    return found


def with_role(requirements: list[Requirement], includes: tuple[str, ...] = ()) -> Scheme:
    """The real scheme with one more role, "custom", built from the dataclasses."""
    role = Role("custom", "Custom", includes, tuple(requirements))
    return dataclasses.replace(real_scheme(), roles={**real_scheme().roles, "custom": role})


def sector_requirement(**params) -> Requirement:
    return Requirement("sector_experience", {"min_audits": 1, "min_work_years": 2, **params})


@pytest.mark.parametrize(
    ("requirement", "record", "met", "reason"),
    [
        pytest.param(
            sector_requirement(window_years=3),
            PersonRecord(audits=(audit(end=date(2012, 3, 1)),)),
            False,
            "no verified audit or work in sector aluminium-smelting in the last 3 years "
            "(since 2023-11-26); 1 audit or 2 years of work needed",
            id="window-leaves-an-old-audit-out",
        ),
        pytest.param(
            sector_requirement(window_years=3),
            PersonRecord(work=(work(date(2019, 1, 1), date(2024, 11, 24)),)),
            False,
            "0 of 1 audit or 365 of 730 days (2 years) of work in sector aluminium-smelting "
            "in the last 3 years (since 2023-11-26)",
            id="window-clips-work",
        ),
        pytest.param(
            sector_requirement(window_years=3),
            PersonRecord(work=(work(date(2019, 1, 1), date(2025, 11, 24)),)),
            True,
            "730 days of verified work in sector aluminium-smelting in the last 3 years "
            "(since 2023-11-26); 2 years needed",
            id="window-just-enough-work",
        ),
        pytest.param(
            sector_requirement(min_audits=0),
            PersonRecord(audits=audits(3)),
            False,
            "0 of 730 days (2 years) of work in sector aluminium-smelting",
            id="audit-route-off",
        ),
        pytest.param(
            sector_requirement(min_work_years=0),
            PersonRecord(work=(work(date(2000, 1, 1), None),)),
            False,
            "0 of 1 audit in sector aluminium-smelting",
            id="work-route-off",
        ),
        pytest.param(
            sector_requirement(min_audits=0, min_work_years=0),
            PersonRecord(),
            True,
            "no experience in sector aluminium-smelting required",
            id="nothing-required",
        ),
        pytest.param(
            Requirement("country_experience", {"min_entries": 1, "window_years": 1}),
            PersonRecord(audits=(audit(end=date(2025, 11, 25)),)),
            False,
            "no verified audit or work entry in NO in the last year (since 2025-11-26)",
            id="country-window",
        ),
        pytest.param(
            Requirement("country_experience", {"min_entries": 0}),
            PersonRecord(),
            True,
            "no experience in NO required",
            id="country-nothing-required",
        ),
        pytest.param(
            Requirement("country_experience", {"min_entries": 2, "window_years": 1}),
            PersonRecord(),
            False,
            "no verified audit or work entry in NO in the last year (since 2025-11-26); 2 needed",
            id="country-several-needed-in-a-window",
        ),
        pytest.param(
            Requirement("country_experience", {"min_entries": 3}),
            PersonRecord(),
            False,
            "no verified audit or work entry in NO (3 needed)",
            id="country-several-needed",
        ),
    ],
)
def test_requirement_params_built_from_dataclasses(requirement, record, met, reason):
    evaluation = evaluate(
        with_role([requirement]), "custom", record, scopes=SCOPES, countries=COUNTRIES, as_of=AS_OF
    )
    (result,) = evaluation.results
    assert (result.met, result.reason) == (met, reason)


def test_window_clips_ongoing_work_to_the_window():
    requirement = sector_requirement(window_years=3)
    record = PersonRecord(work=(work(date(2020, 1, 1), None),))
    evaluation = evaluate(
        with_role([requirement]), "custom", record, scopes=SCOPES, countries=[], as_of=AS_OF
    )
    assert evaluation.results[0].details["work_days"] == (AS_OF - date(2023, 11, 26)).days + 1


def test_every_kind_the_content_check_accepts_has_a_check():
    assert set(CHECKS) == set(REQUIREMENT_KINDS)


def test_an_unknown_kind_is_a_clear_error():
    scheme = with_role([Requirement("telepathy", {})], includes=("auditor",))
    with pytest.raises(UnknownRequirementKind, match='unknown kind "telepathy"') as raised:
        evaluate(scheme, "custom", FULL, scopes=SCOPES, countries=COUNTRIES, as_of=AS_OF)
    assert "known: course, standard_course, qualification, audits" in str(raised.value)
    assert "flask courses check" in str(raised.value)


def test_an_unknown_role_is_a_clear_error():
    with pytest.raises(UnknownRole, match=r'role "chief" is not a role of scheme ASI \(known: '):
        evaluate(real_scheme(), "chief", FULL, scopes=SCOPES, countries=COUNTRIES, as_of=AS_OF)

"""The eligibility engine as a pure function: one case per check failing alone, the
all-pass case, and the rules around it (status history, roles that include others,
transitions, specialists, revoked certificates, dates at the edges of the calendar)."""

from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from educational.accreditation.rules.status import shown_status
from educational.catalog.content import load_tree
from educational.core.records import CourseRecord, InterestDeclaration
from educational.registry.eligibility import CHECK_CODES, is_eligible
from educational.registry.facts import (
    AccreditationFacts,
    ChangeFacts,
    Holder,
    ScopeFacts,
    status_on,
)

COURSES = Path(__file__).resolve().parents[2] / "courses"
DAY = date(2026, 3, 2)
SMELTING = "aluminium-smelting"


@cache
def scheme():
    return load_tree(COURSES).tree.scheme


def accreditation(**changes) -> AccreditationFacts:
    base = AccreditationFacts(
        role="auditor",
        status="active",
        valid_from=date(2025, 1, 10),
        valid_until=date(2028, 1, 9),
        countries=("NO", "IS"),
        scopes=(ScopeFacts("PS", "3", SMELTING), ScopeFacts("COC", "2", "casthouse")),
        changes=(ChangeFacts(None, "active", date(2025, 1, 10)),),
    )
    return base._replace(**changes)


CERTIFICATES = (
    CourseRecord("asi-auditor", date(2025, 1, 2), date(2028, 1, 2), None, None),
    CourseRecord("ps-v3-auditors", date(2025, 1, 3), date(2028, 1, 3), "PS", "3"),
    CourseRecord("coc-v2-auditors", date(2025, 1, 4), date(2028, 1, 4), "COC", "2"),
)


def holder(**changes) -> Holder:
    base = Holder(
        registry_id="ASI-000001",
        name="Ingrid Berg",
        accreditations=(accreditation(),),
        certificates=CERTIFICATES,
    )
    return base._replace(**changes)


def check(h: Holder, *, day=DAY, entity=None, **question):
    question = {"role": "auditor", "standard": "PS", "sector": SMELTING, "country": "NO"} | question
    return is_eligible(h, **question, date=day, entity=entity, scheme=scheme())


LINK = InterestDeclaration("Sundvik Smelter", "consulting", date(2024, 1, 1), date(2024, 6, 30))

#: (case, holder, question changes, the check that fails)
CASES = [
    ("all pass", holder(), {}, None),
    (
        "expired",
        holder(accreditations=(accreditation(valid_until=date(2026, 3, 1)),)),
        {},
        "accreditation_active",
    ),
    (
        "suspended",
        holder(
            accreditations=(
                accreditation(
                    status="suspended",
                    changes=(
                        ChangeFacts(None, "active", date(2025, 1, 10)),
                        ChangeFacts("active", "suspended", date(2026, 2, 1)),
                    ),
                ),
            )
        ),
        {},
        "accreditation_active",
    ),
    (
        "wrong standard",
        holder(accreditations=(accreditation(scopes=(ScopeFacts("PS", "3", SMELTING),)),)),
        {"standard": "COC"},
        "scope_standard",
    ),
    (
        "standard version lapsed after the transition",
        holder(accreditations=(accreditation(scopes=(ScopeFacts("PS", "2", SMELTING),)),)),
        {},
        "standard_version_current",
    ),
    ("wrong sector", holder(), {"sector": "bauxite-mining"}, "scope_sector"),
    ("country not covered", holder(), {"country": "BR"}, "country"),
    (
        "training expired",
        holder(
            certificates=(
                CourseRecord("asi-auditor", date(2023, 1, 2), date(2026, 1, 2), None, None),
                *CERTIFICATES[1:],
            )
        ),
        {},
        "training_current",
    ),
    (
        "conflict of interest",
        holder(declarations=(LINK,)),
        {"entity": "sundvik  smelter"},
        "conflict_of_interest",
    ),
]

#: A holder accredited for another standard has no scope to check a version or sector in.
DEPENDENT = {"scope_standard": {"standard_version_current", "scope_sector"}}


@pytest.mark.parametrize(
    ("case", "subject", "question", "failing"), CASES, ids=[c[0] for c in CASES]
)
def test_each_check_fails_alone(case, subject, question, failing):
    verdict = check(subject, **question)
    assert verdict.eligible is (failing is None)
    expected = {failing, *DEPENDENT.get(failing, ())} - {None}
    assert set(verdict.failed) == expected, [c for c in verdict.checks if not c.passed]
    codes = [c.code for c in verdict.checks]
    assert codes == [c for c in CHECK_CODES if c != "conflict_of_interest" or "entity" in question]
    assert all(c.message.endswith(".") for c in verdict.checks)


def test_messages_explain():
    verdict = check(holder())
    assert (
        "active, valid from 2025-01-10 until 2028-01-09"
        in verdict.check("accreditation_active").message
    )
    assert "PS version 3, the current version" in verdict.check("standard_version_current").message
    expired = check(holder(accreditations=(accreditation(valid_until=date(2026, 3, 1)),)))
    assert "valid until 2026-03-01" in expired.check("accreditation_active").message
    lapsed = check(
        holder(accreditations=(accreditation(scopes=(ScopeFacts("PS", "2", SMELTING),)),))
    )
    assert "usable only until 2023-05-18" in lapsed.check("standard_version_current").message
    assert "version 3 is required" in lapsed.check("standard_version_current").message


def test_status_is_read_from_the_history_on_the_day():
    suspended = accreditation(
        status="suspended",
        changes=(
            ChangeFacts(None, "active", date(2025, 1, 10)),
            ChangeFacts("active", "suspended", date(2026, 2, 1)),
        ),
    )
    assert status_on(suspended, date(2026, 1, 31)) == "active"
    assert status_on(suspended, date(2026, 2, 1)) == "suspended"
    h = holder(accreditations=(suspended,))
    assert check(h, day=date(2026, 1, 31)).eligible
    message = check(h, day=date(2026, 2, 1)).check("accreditation_active").message
    assert "was suspended on 2026-02-01" in message


def test_previous_version_is_usable_during_the_transition():
    h = holder(
        accreditations=(
            accreditation(
                valid_from=date(2021, 2, 1),
                scopes=(ScopeFacts("PS", "2", SMELTING),),
                changes=(),
            ),
        ),
        certificates=(
            CourseRecord("asi-auditor", date(2021, 1, 1), date(2024, 1, 1), None, None),
            CourseRecord("ps-v2-auditors", date(2021, 1, 1), date(2024, 1, 1), "PS", "2"),
        ),
    )
    during = check(h, day=date(2023, 5, 18))
    assert during.check("standard_version_current").passed
    assert during.check("training_current").passed, during.check("training_current")
    after = check(h, day=date(2023, 5, 19))
    assert set(after.failed) == {"standard_version_current", "training_current"}


def test_lead_auditor_satisfies_auditor_but_not_the_reverse():
    lead = holder(accreditations=(accreditation(role="lead_auditor"),))
    verdict = check(lead, role="auditor")
    assert verdict.eligible
    assert "includes auditor" in verdict.check("accreditation_active").message
    assert not check(holder(), role="lead_auditor").eligible
    assert scheme().roles_satisfying("auditor") == ("auditor", "lead_auditor")


def test_the_best_of_several_accreditations_decides():
    suspended_lead = accreditation(role="lead_auditor", status="suspended")
    h = holder(accreditations=(suspended_lead, accreditation()))
    verdict = check(h)
    assert verdict.eligible
    assert verdict.accreditation.role == "auditor"


def test_lapsed_scope_fails_the_sector_from_the_day_it_lapsed():
    scope = ScopeFacts("PS", "3", SMELTING, "lapsed", date(2026, 2, 1))
    h = holder(accreditations=(accreditation(scopes=(scope,)),))
    assert check(h, day=date(2026, 1, 31)).eligible
    later = check(h, day=date(2026, 2, 1))
    assert later.failed == ("scope_sector",)


def test_revoked_certificate_stops_counting_from_its_revocation():
    revoked = replace_certificate(0, revoked_on=date(2026, 3, 1))
    h = holder(certificates=revoked)
    assert check(h, day=date(2026, 2, 28)).eligible
    verdict = check(h, day=date(2026, 3, 1))
    assert verdict.failed == ("training_current",)
    assert "revoked on 2026-03-01" in verdict.check("training_current").message


def replace_certificate(index, **changes):
    items = list(CERTIFICATES)
    items[index] = replace(items[index], **changes)
    return tuple(items)


def test_conflict_window_is_three_years():
    declaration = replace(LINK, start=date(2020, 1, 1), end=date(2023, 3, 1))
    h = holder(declarations=(declaration,))
    assert not check(h, day=date(2026, 3, 1), entity="Sundvik Smelter").eligible
    assert check(h, day=date(2026, 3, 2), entity="Sundvik Smelter").eligible
    assert check(h, entity="Another Entity").eligible


def test_specialists_are_not_scoped():
    specialist = holder(
        accreditations=(accreditation(role="specialist", scopes=()),),
        certificates=(
            CourseRecord("asi-specialist", date(2025, 1, 2), date(2028, 1, 2), None, None),
        ),
    )
    verdict = check(specialist, role="specialist")
    assert verdict.eligible, verdict
    assert "whole scheme" in verdict.check("scope_standard").message


def test_no_accreditation_for_the_role():
    verdict = check(holder(accreditations=()))
    assert not verdict.eligible
    assert "Holds no auditor accreditation" in verdict.check("accreditation_active").message
    assert verdict.accreditation is None


@pytest.mark.parametrize("day", [date(1, 1, 1), date(3, 12, 31), date(9999, 12, 31)])
def test_any_calendar_day_gets_an_answer(day):
    h = holder(declarations=(InterestDeclaration("X", "other", date(2020, 1, 1)),))
    verdict = check(h, day=day, entity="X")
    assert not verdict.eligible


def test_shown_status():
    assert shown_status("active", date(2026, 1, 1), date(2026, 1, 1)) == "active"
    assert shown_status("active", date(2026, 1, 1), date(2026, 1, 2)) == "expired"
    assert shown_status("suspended", date(2026, 1, 1), date(2027, 1, 2)) == "suspended"


def test_holder_is_plain_data():
    assert holder() == holder()
    assert hash(holder())

"""The pure rules of appeals, table-driven: the window (just in, just out), the person
affected only, one open appeal, final decisions, and who may decide or confirm."""

from datetime import UTC, datetime, timedelta

import pytest

from educational.appeals import rules

DECIDED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
WINDOW = 30


def refusal(**changes):
    values = {
        "person_id": 1,
        "user_id": 1,
        "appealable": True,
        "decided_at": DECIDED,
        "window_days": WINDOW,
        "now": DECIDED + timedelta(days=1),
        "open_exists": False,
        "decided_exists": False,
    }
    return rules.lodge_refusal(**{**values, **changes})


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, None),
        ({"now": DECIDED + timedelta(days=WINDOW)}, None),  # the last moment
        ({"now": DECIDED + timedelta(days=WINDOW, seconds=1)}, "window_closed"),
        ({"user_id": 2}, "not_affected"),
        ({"appealable": False}, "not_appealable"),
        ({"open_exists": True}, "open_exists"),
        ({"decided_exists": True}, "already_decided"),
        # Not the person: that is said first, whatever else holds.
        ({"user_id": 2, "now": DECIDED + timedelta(days=99)}, "not_affected"),
    ],
)
def test_lodging(changes, expected):
    assert refusal(**changes) == expected


def test_window_and_due_dates():
    assert rules.window_ends(DECIDED, 30) == DECIDED + timedelta(days=30)
    assert rules.due_at(DECIDED, 60) == DECIDED + timedelta(days=60)


def test_the_excluded_are_the_deciders_and_the_appellant():
    assert rules.excluded_staff({5, 6}, 9) == frozenset({5, 6, 9})


@pytest.mark.parametrize(
    ("staff_id", "status", "outcome", "expected"),
    [
        (7, "lodged", "upheld", None),
        (7, "under_review", "overturned", None),
        (5, "lodged", "upheld", "involved"),  # took part in the decision
        (9, "lodged", "upheld", "involved"),  # the appellant
        (7, "lodged", "maybe", "choose_outcome"),
        (7, "proposed", "upheld", "not_open_for_decision"),
        (7, "decided", "upheld", "not_open_for_decision"),
    ],
)
def test_deciding(staff_id, status, outcome, expected):
    excluded = frozenset({5, 9})
    assert (
        rules.decide_refusal(staff_id=staff_id, excluded=excluded, status=status, outcome=outcome)
        == expected
    )


@pytest.mark.parametrize(
    ("staff_id", "status", "expected"),
    [
        (8, "proposed", None),
        (7, "proposed", "same_person"),
        (5, "proposed", "involved"),
        (8, "under_review", "nothing_proposed"),
    ],
)
def test_confirming(staff_id, status, expected):
    assert (
        rules.confirm_refusal(
            staff_id=staff_id, excluded=frozenset({5, 9}), status=status, proposed_by_id=7
        )
        == expected
    )


def test_withdrawing():
    assert rules.withdraw_refusal(user_id=1, appellant_id=1, status="lodged") is None
    assert rules.withdraw_refusal(user_id=2, appellant_id=1, status="lodged") == "not_appellant"
    assert rules.withdraw_refusal(user_id=1, appellant_id=1, status="decided") == "closed"

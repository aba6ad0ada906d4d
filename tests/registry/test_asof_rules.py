"""The pure rules of the status on a date (``educational.registry.asof``): tables."""

from datetime import date

import pytest

from educational.registry.asof import (
    NOT_ACCREDITED,
    Change,
    Period,
    Validity,
    scopes_on,
    status_on,
    validity_on,
)
from educational.registry.entries import ScopeEntry

D = date.fromisoformat

#: Granted on 2024-01-10, suspended 2024-06-01, reinstated 2024-07-01, expired 2026-01-10,
#: renewed (expired -> active) 2026-02-01.
HISTORY = [
    Change(None, "active", D("2024-01-10")),
    Change("active", "suspended", D("2024-06-01")),
    Change("suspended", "active", D("2024-07-01")),
    Change("active", "expired", D("2026-01-10")),
    Change("expired", "active", D("2026-02-01")),
]


@pytest.mark.parametrize(
    ("day", "valid_from", "valid_until", "expected"),
    [
        # Before the creation: not accredited.
        ("2024-01-09", "2024-01-10", "2026-01-09", NOT_ACCREDITED),
        # The creation day counts (a change counts from the day it was made).
        ("2024-01-10", "2024-01-10", "2026-01-09", "active"),
        ("2024-05-31", "2024-01-10", "2026-01-09", "active"),
        ("2024-06-01", "2024-01-10", "2026-01-09", "suspended"),
        ("2024-06-30", "2024-01-10", "2026-01-09", "suspended"),
        ("2024-07-01", "2024-01-10", "2026-01-09", "active"),
        # Past the last valid day, before the sweep recorded the expiry: shown expired.
        ("2026-01-09", "2024-01-10", "2026-01-09", "active"),
        ("2026-01-10", "2024-01-10", "2026-01-09", "expired"),
        ("2026-01-31", "2024-01-10", "2026-01-09", "expired"),
        # Renewed: the new period.
        ("2026-02-01", "2026-02-01", "2029-01-31", "active"),
        ("2026-11-30", "2026-02-01", "2029-01-31", "active"),
        # Dates not recorded: the history alone.
        ("2025-03-01", None, None, "active"),
        ("2024-01-09", None, None, NOT_ACCREDITED),
    ],
)
def test_status_on_a_day(day, valid_from, valid_until, expected):
    valid_from = D(valid_from) if valid_from else None
    valid_until = D(valid_until) if valid_until else None
    assert status_on(HISTORY, valid_from, valid_until, D(day)) == expected


@pytest.mark.parametrize(
    ("changes", "valid_from", "day", "current", "expected"),
    [
        # An imported record: created in the registry after its first valid day; valid then.
        ([Change(None, "active", D("2026-05-01"))], "2025-01-01", "2025-06-01", None, "active"),
        (
            [Change(None, "active", D("2026-05-01"))],
            "2025-01-01",
            "2024-12-31",
            None,
            NOT_ACCREDITED,
        ),
        # Imported as suspended: the status it was created with.
        (
            [Change(None, "suspended", D("2026-05-01"))],
            "2025-01-01",
            "2025-06-01",
            None,
            "suspended",
        ),
        # No history at all: the current status from the first valid day.
        ([], "2025-01-01", "2025-06-01", "withdrawn", "withdrawn"),
        ([], "2025-01-01", "2024-06-01", "withdrawn", NOT_ACCREDITED),
        # Withdrawn is final.
        (
            [
                Change(None, "active", D("2025-01-01")),
                Change("active", "withdrawn", D("2025-03-01")),
            ],
            "2025-01-01",
            "2025-12-01",
            None,
            "withdrawn",
        ),
    ],
)
def test_status_on_edge_cases(changes, valid_from, day, current, expected):
    assert status_on(changes, D(valid_from), D("2027-12-31"), D(day), current=current) == expected


GRANT = Period(D("2023-01-10"), D("2023-01-10"), D("2026-01-09"), (("PS", "casthouse", "2"),))
RENEWAL = Period(D("2025-12-01"), D("2025-12-01"), D("2028-11-30"), (("PS", "smelting", "3"),))


@pytest.mark.parametrize(
    ("periods", "day", "expected"),
    [
        # No periods recorded: today's dates once they had started; not recorded before.
        ((), "2026-03-01", Validity(D("2025-12-01"), D("2028-12-31"))),
        ((), "2025-11-30", Validity(None, None)),
        # The period published by the day; the current row's dates for the last one.
        ((GRANT, RENEWAL), "2024-05-01", Validity(D("2023-01-10"), D("2026-01-09"), GRANT)),
        ((GRANT, RENEWAL), "2025-11-30", Validity(D("2023-01-10"), D("2026-01-09"), GRANT)),
        ((GRANT, RENEWAL), "2025-12-01", Validity(D("2025-12-01"), D("2028-12-31"), RENEWAL)),
        # Before the first period: the first one (the day is then before its start).
        ((GRANT, RENEWAL), "2022-01-01", Validity(D("2023-01-10"), D("2026-01-09"), GRANT)),
    ],
)
def test_validity_on_a_day(periods, day, expected):
    # The current row: a correction moved the end of the last period by a month.
    assert validity_on(periods, D("2025-12-01"), D("2028-12-31"), D(day)) == expected


CURRENT_SCOPES = [
    ScopeEntry("PS", "2", "casthouse", "lapsed", D("2025-12-01")),
    ScopeEntry("PS", "3", "smelting", "active"),
]


@pytest.mark.parametrize(
    ("period", "day", "expected"),
    [
        (GRANT, "2024-05-01", [ScopeEntry("PS", "2", "casthouse", "active")]),
        (RENEWAL, "2025-12-01", [ScopeEntry("PS", "3", "smelting", "active")]),
        # Not recorded: today's scopes, lapsed only from their lapse.
        (
            None,
            "2025-11-30",
            [
                ScopeEntry("PS", "2", "casthouse", "active"),
                ScopeEntry("PS", "3", "smelting", "active"),
            ],
        ),
        (
            None,
            "2025-12-01",
            [
                ScopeEntry("PS", "2", "casthouse", "lapsed", D("2025-12-01")),
                ScopeEntry("PS", "3", "smelting", "active"),
            ],
        ),
    ],
)
def test_scopes_on_a_day(period, day, expected):
    assert scopes_on(CURRENT_SCOPES, period, D(day)) == expected


def test_a_lapse_without_a_date_counts_on_every_day_as_the_engine_says():
    from educational.registry.facts import ScopeFacts

    undated = [ScopeEntry("PS", "2", "casthouse", "lapsed")]
    assert ScopeFacts("PS", "2", "casthouse", "lapsed").lapsed_by(D("2020-01-01"))
    assert scopes_on(undated, GRANT, D("2024-05-01")) == [
        ScopeEntry("PS", "2", "casthouse", "lapsed")
    ]
    assert scopes_on(undated, None, D("2020-01-01")) == [
        ScopeEntry("PS", "2", "casthouse", "lapsed")
    ]

"""The rules of appeals, pure: plain values in, a refusal code (or None) out. ``services``
turns a code into the message the person reads (``REFUSALS``) and enforces it on the
server; the pages use the same functions to show what is possible.

- The appeal window: ``decided_at + appeal_window_days`` (scheme.yml ``appeals.window_days``).
- Only the person affected may appeal, once per decision at a time, and a decided appeal is
  final.
- The deciders of an appeal are staff who took no part in the original decision and are not
  the appellant; with four-eyes, the one who confirms differs from the one who proposed."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from .models import OPEN_STATUSES, AppealOutcome, AppealStatus

OUTCOMES = tuple(AppealOutcome)


def window_ends(decided_at: datetime, window_days: int) -> datetime:
    """The last moment an appeal may be lodged."""
    return decided_at + timedelta(days=window_days)


def due_at(lodged_at: datetime, decide_days: int) -> datetime:
    """When staff should have decided the appeal."""
    return lodged_at + timedelta(days=decide_days)


def lodge_refusal(
    *,
    person_id: int,
    user_id: int,
    appealable: bool,
    decided_at: datetime,
    window_days: int,
    now: datetime,
    open_exists: bool,
    decided_exists: bool,
) -> str | None:
    """Why ``user_id`` may not appeal this decision now (a code), or None: they may."""
    if user_id != person_id:
        return "not_affected"
    if not appealable:
        return "not_appealable"
    if open_exists:
        return "open_exists"
    if decided_exists:
        return "already_decided"
    if now > window_ends(decided_at, window_days):
        return "window_closed"
    return None


def excluded_staff(deciders: Iterable[int], appellant_id: int) -> frozenset[int]:
    """Who may not decide the appeal: everyone who took part in the decision, and the
    appellant."""
    return frozenset(deciders) | {appellant_id}


def decide_refusal(
    *, staff_id: int, excluded: frozenset[int], status: str, outcome: str | None
) -> str | None:
    """Why ``staff_id`` may not decide (or, with four-eyes, propose) the appeal now."""
    if status not in (AppealStatus.LODGED, AppealStatus.UNDER_REVIEW):
        return "not_open_for_decision"
    if staff_id in excluded:
        return "involved"
    if outcome not in OUTCOMES:
        return "choose_outcome"
    return None


def confirm_refusal(
    *, staff_id: int, excluded: frozenset[int], status: str, proposed_by_id: int | None
) -> str | None:
    """Why ``staff_id`` may not confirm (or send back) a proposed decision."""
    if status != AppealStatus.PROPOSED:
        return "nothing_proposed"
    if staff_id in excluded:
        return "involved"
    if staff_id == proposed_by_id:
        return "same_person"
    return None


def review_refusal(*, staff_id: int, excluded: frozenset[int], status: str) -> str | None:
    if status != AppealStatus.LODGED:
        return "not_lodged"
    if staff_id in excluded:
        return "involved"
    return None


def withdraw_refusal(*, user_id: int, appellant_id: int, status: str) -> str | None:
    if user_id != appellant_id:
        return "not_appellant"
    if status not in OPEN_STATUSES:
        return "closed"
    return None

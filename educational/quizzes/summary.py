"""Before submitting: the summary of an attempt (as Moodle's "Summary of attempt"), which
lists every question answered or not and flagged or not, and the learner's flags.

A flag is a mark the learner puts on a question to come back to it; it is stored with the
attempt's slot, so it survives a reload or another device, and it never changes a grade."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _

from educational.core.db import db, utcnow
from educational.core.errors import DomainError

from .models import Attempt
from .results import is_overdue


@dataclass(frozen=True)
class SlotSummary:
    position: int
    answered: bool
    flagged: bool


@dataclass(frozen=True)
class AttemptSummary:
    slots: list[SlotSummary]
    #: Time left before the deadline, never negative; None without a time limit.
    time_left: timedelta | None

    @property
    def unanswered(self) -> list[int]:
        return [slot.position for slot in self.slots if not slot.answered]

    @property
    def flagged(self) -> list[int]:
        return [slot.position for slot in self.slots if slot.flagged]

    @property
    def minutes_left(self) -> int | None:
        return minutes_left(self.time_left)


def time_left(attempt: Attempt, now: datetime) -> timedelta | None:
    """What the server still accepts answers for (the grace after it is not promised)."""
    if attempt.deadline_at is None:
        return None
    return max(timedelta(0), attempt.deadline_at - now)


def minutes_left(left: timedelta | None) -> int | None:
    """Whole minutes, rounded up: "1 minute left" until the very end, never "0" early."""
    if left is None:
        return None
    return math.ceil(left.total_seconds() / 60)


def attempt_summary(attempt: Attempt, now: datetime) -> AttemptSummary:
    return AttemptSummary(
        [
            SlotSummary(slot.position, slot.answer is not None, bool(slot.flagged))
            for slot in attempt.slots
        ],
        time_left(attempt, now),
    )


def set_flags(attempt: Attempt, flags: dict[int, bool], *, now: datetime | None = None) -> int:
    """Flag questions of a running attempt, or remove their flags, by slot position; returns
    how many changed. Refused once the attempt is finished (submitted or out of time)."""
    now = now or utcnow()
    if not attempt.is_open or is_overdue(attempt, now):
        raise DomainError(_("This attempt is finished; its flags can no longer change."))
    slots = {slot.position: slot for slot in attempt.slots}
    if set(flags) - set(slots):
        raise DomainError(_("That question is not part of this attempt."))
    changed = 0
    for position, flagged in flags.items():
        if bool(slots[position].flagged) != flagged:
            slots[position].flagged = flagged
            changed += 1
    if changed:
        db.session.flush()
    return changed

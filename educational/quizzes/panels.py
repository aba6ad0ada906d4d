"""What quizzes add to the learner's dashboard (``educational.core.panels``): the attempts
still running, a timed exam with the minutes it has left, each with a link to resume it.
Read only: an attempt whose time ran out is left out (it is finished, recorded or not)."""

from datetime import datetime

from sqlalchemy import select

from educational.core.db import db, utcnow
from educational.core.panels import Shown

from .models import Attempt, AttemptState
from .results import is_overdue
from .summary import minutes_left, time_left


def running_attempts(user_id: int, now: datetime) -> list[tuple[Attempt, int | None]]:
    """The learner's open attempts still within their time, with their whole minutes left
    (None: no time limit), the nearest deadline first."""
    attempts = db.session.scalars(
        select(Attempt)
        .where(Attempt.user_id == user_id, Attempt.state == AttemptState.IN_PROGRESS)
        .order_by(Attempt.started_at)
    )
    running = [
        (attempt, minutes_left(time_left(attempt, now)))
        for attempt in attempts
        if not is_overdue(attempt, now)
    ]
    return sorted(running, key=lambda item: item[1] if item[1] is not None else float("inf"))


def running_attempts_panel(*, user) -> Shown | None:
    running = running_attempts(user.id, utcnow())
    if not running:
        return None
    return Shown("quizzes/_running.html", {"running": running})

"""The summary page before submitting (as Moodle's "Summary of attempt"): every question
answered or not and flagged or not, with links back to each, and the button that submits.
It works without JavaScript; a GET never writes, so an attempt whose time ran out is shown
as finished and recorded by the next POST (see ``learner``)."""

from flask import flash, redirect, render_template, url_for

from educational.core.db import utcnow
from educational.core.permissions import authenticated

from ..results import is_overdue
from ..summary import attempt_summary
from . import bp
from .learner import _own_attempt, _time_is_up


@bp.get("/attempts/<int:attempt_id>/summary")
@authenticated
def summary(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    now = utcnow()
    if not attempt.is_open or is_overdue(attempt, now):
        if attempt.is_open:
            flash(_time_is_up(), "info")
        return redirect(url_for("quizzes.review", attempt_id=attempt.id))
    return render_template(
        "quizzes/summary.html", attempt=attempt, summary=attempt_summary(attempt, now)
    )

"""Attempts whose time ran out: the pages show them finished and graded without writing (a
GET never writes), and the learner's next POST or ``flask quizzes close-overdue`` records
exactly that grade."""

import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import select

from educational.core.audit import AuditEvent
from educational.core.db import db, utcnow
from educational.quizzes.models import Attempt, AttemptState
from educational.quizzes.results import result_of
from tests.conftest import ON_POSTGRES
from tests.quizzes.helpers import COURSE, EXAM, correct_form, quiz_id, set_quiz_settings


def overdue_attempt(app, client, wrong: set[int] = frozenset()) -> int:
    """An attempt answered (all right but ``wrong``) whose deadline and grace have passed."""
    url = client.post(f"{EXAM}/start").headers["Location"]
    attempt_id = int(url.rsplit("/", 1)[1])
    client.post(f"{url}/save", data=correct_form(app, attempt_id, wrong))
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        attempt.deadline_at = utcnow() - timedelta(seconds=app.config["QUIZ_GRACE_SECONDS"] + 5)
        db.session.commit()
    client.get("/")  # consume the flashed messages
    return attempt_id


def recorded(app, attempt_id: int) -> tuple[str, int]:
    """The attempt's stored state, and how many submissions the audit trail holds."""
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "quiz.attempt_submitted")
        ).all()
        return attempt.state, len(events)


def test_an_overdue_attempt_shows_finished_and_graded_without_being_written(app, client, learner):
    attempt_id = overdue_attempt(app, client, wrong={1, 2})
    response = client.get(f"/attempts/{attempt_id}")
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}/review")
    review = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "Time is up" in review and "time ran out" in review
    assert "90.0%" in review and "passed" in review  # 18 of 20 questions right
    quiz_page = client.get(EXAM).get_data(as_text=True)
    assert "Continue your attempt" not in quiz_page
    assert f"/attempts/{attempt_id}/review" in quiz_page and "90.0%" in quiz_page
    assert recorded(app, attempt_id) == (AttemptState.IN_PROGRESS, 0)


def test_close_overdue_records_the_grade_the_pages_showed(app, client, learner):
    attempt_id = overdue_attempt(app, client, wrong={3})
    with app.app_context():
        shown = result_of(db.session.get(Attempt, attempt_id), utcnow())
    result = app.test_cli_runner().invoke(args=["quizzes", "close-overdue"])
    assert result.exit_code == 0, result.output
    assert "Closed 1 overdue attempt." in result.output
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.state == AttemptState.SUBMITTED and attempt.auto_submitted
        stored = (attempt.submitted_at, attempt.score, attempt.percent, attempt.passed)
        assert stored == (shown.submitted_at, shown.score, shown.percent, shown.passed)
        assert {slot.position: (slot.fraction, slot.score) for slot in attempt.slots} == {
            position: (grade.fraction, grade.score) for position, grade in shown.slots.items()
        }
    again = app.test_cli_runner().invoke(args=["quizzes", "close-overdue"])
    assert "Closed 0 overdue attempts." in again.output
    assert recorded(app, attempt_id) == (AttemptState.SUBMITTED, 1)


def test_the_learners_next_post_records_the_close(app, client, learner):
    attempt_id = overdue_attempt(app, client)
    response = client.post(f"/attempts/{attempt_id}/save", data={"q1": "late"})
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}/review")
    assert recorded(app, attempt_id) == (AttemptState.SUBMITTED, 1)
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).percent == 100.0  # the late answer is not kept


def test_the_waiting_time_counts_from_an_unrecorded_overdue_attempt(app, client, learner):
    set_quiz_settings(app, quiz_id(app, COURSE, "final-exam"), cooldown_minutes=60)
    overdue_attempt(app, client)
    page = client.get(EXAM).get_data(as_text=True)
    assert "You can start the next attempt after the waiting time" in page
    assert "Start attempt 2" not in page


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's database-wide write lock")
def test_overdue_attempt_pages_answer_while_another_connection_holds_the_write_lock(
    app, client, learner
):
    """Issue 11: the quiz pages used to grade and commit an overdue attempt while rendering,
    and answered 500 ("database is locked") when another connection was writing."""
    attempt_id = overdue_attempt(app, client)
    with app.app_context():
        path = db.engine.url.database
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # holds the write lock through the GETs
        response = client.get(f"/attempts/{attempt_id}", follow_redirects=True)
        assert response.status_code == 200
        assert "time ran out" in response.get_data(as_text=True)
        assert client.get(EXAM).status_code == 200
    finally:
        writer.rollback()
        writer.close()
    assert recorded(app, attempt_id) == (AttemptState.IN_PROGRESS, 0)

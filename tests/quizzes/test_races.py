"""Concurrency: starts and submissions racing each other, on SQLite and PostgreSQL alike."""

import threading

from sqlalchemy import select

from educational.core.audit import AuditEvent
from educational.core.db import db
from educational.quizzes.models import Attempt
from tests.conftest import PASSWORD
from tests.quizzes.helpers import COURSE, EXAM, quiz_id, set_quiz_settings

THREADS = 20


def run_concurrently(app, email: str, work) -> list:
    """Run ``work(client)`` in THREADS threads, each with its own logged-in session,
    released together."""
    clients = []
    for _ in range(THREADS):
        client = app.test_client()
        assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
        clients.append(client)
    barrier = threading.Barrier(THREADS)
    results: list = [None] * THREADS
    errors: list = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(clients[index])
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    return results


def enrolled_learner(app, make_user):
    user = make_user()
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    client.post(f"/courses/{COURSE}/enrol")
    return user


def test_twenty_concurrent_start_and_submit_loops_make_exactly_max_attempts(
    app, make_user, synced_courses
):
    set_quiz_settings(app, quiz_id(app, COURSE, "final-exam"), max_attempts=3, cooldown_minutes=0)
    user = enrolled_learner(app, make_user)

    def start_and_submit_until_refused(client) -> list[int]:
        statuses = []
        for _ in range(10):
            response = client.post(f"{EXAM}/start")
            statuses.append(response.status_code)
            location = response.headers.get("Location", "")
            if "/attempts/" not in location:
                break
            statuses.append(client.post(f"{location}/submit").status_code)
        return statuses

    results = run_concurrently(app, user.email, start_and_submit_until_refused)
    assert all(status in (302,) for statuses in results for status in statuses)
    with app.app_context():
        attempts = db.session.scalars(select(Attempt).where(Attempt.user_id == user.id)).all()
        assert sorted(a.number for a in attempts) == [1, 2, 3]
        assert all(not a.is_open for a in attempts)


def test_twenty_concurrent_starts_open_one_attempt(app, make_user, synced_courses):
    user = enrolled_learner(app, make_user)
    locations = run_concurrently(
        app, user.email, lambda client: client.post(f"{EXAM}/start").headers["Location"]
    )
    assert len(set(locations)) == 1
    with app.app_context():
        assert db.session.query(Attempt).count() == 1


def test_concurrent_double_submit_grades_once(app, make_user, synced_courses):
    user = enrolled_learner(app, make_user)
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    url = client.post(f"{EXAM}/start").headers["Location"]
    statuses = run_concurrently(app, user.email, lambda c: c.post(f"{url}/submit").status_code)
    assert statuses == [302] * THREADS
    with app.app_context():
        attempt = db.session.scalar(select(Attempt))
        assert not attempt.is_open
        assert all(slot.fraction is not None for slot in attempt.slots)
        graded = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "quiz.attempt_submitted")
        ).all()
        assert len(graded) == 1

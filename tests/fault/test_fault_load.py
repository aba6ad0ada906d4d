"""Under the exam load, kill -9 every gunicorn worker (SQLite) or restart PostgreSQL: every
acknowledged answer is in the database, every attempt resumes, and no learner ever sees a
traceback or anything but the app's own error page. During the PostgreSQL restart no
request fails with a 500: a GET retries once, anything else answers 503 with Retry-After
(educational/core/outage.py)."""

import os

import fault_load
import pytest

LEARNERS = int(os.environ.get("FAULT_LEARNERS", "300"))
ANSWERS = LEARNERS * fault_load.ANSWERS_PER_ATTEMPT
LEFT_OPEN = LEARNERS // fault_load.KEEP_OPEN_EVERY

pytestmark = [pytest.mark.fault, pytest.mark.slow]


def show(capsys, outcome: fault_load.Outcome) -> None:
    """The figures, in the test log even when output is captured."""
    with capsys.disabled():
        print("\n" + "\n".join(fault_load.report(outcome)))


def assert_nothing_lost(outcome: fault_load.Outcome) -> None:
    # Every learner finished in the end: each answer was acknowledged (after retries).
    assert outcome.attempts == LEARNERS
    assert outcome.acknowledged == ANSWERS
    assert outcome.found == outcome.acknowledged, outcome.wrong
    assert outcome.not_resumed == []
    assert (outcome.resumed_open, outcome.resumed_review) == (LEFT_OPEN, LEARNERS - LEFT_OPEN)
    assert outcome.refusals == []


def assert_errors_only_during_the_outage(outcome: fault_load.Outcome) -> None:
    assert outcome.recovered
    assert outcome.failed_before == 0
    assert outcome.failed_after == 0
    assert outcome.not_from_app == 0
    assert outcome.tracebacks == 0


def test_kill_9_of_every_gunicorn_worker_loses_no_acknowledged_answer(capsys):
    outcome = fault_load.run("workers", LEARNERS)
    show(capsys, outcome)
    assert outcome.killed == 4
    assert_nothing_lost(outcome)
    assert_errors_only_during_the_outage(outcome)
    assert outcome.integrity == "ok"


def test_the_app_rides_out_a_postgresql_restart_without_being_restarted(capsys):
    try:
        outcome = fault_load.run("postgres", LEARNERS)
    except fault_load.Unavailable as reason:
        pytest.skip(str(reason))
    show(capsys, outcome)
    assert outcome.restarted
    assert_nothing_lost(outcome)
    assert_errors_only_during_the_outage(outcome)
    # The app knew the database was restarting: "try again in a moment" (503), never a 500.
    assert outcome.internal_errors == 0
    assert outcome.server_errors == outcome.unavailable
    # gunicorn was not touched: every request got an answer, if only the app's error page.
    assert outcome.no_response == 0

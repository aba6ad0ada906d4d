"""``flask quizzes close-overdue``: record as submitted the attempts whose time ran out, so
their grades, and the completions and certificates they earn, are kept even when the
learner never comes back. Meant for cron, every few minutes; running it again does nothing.

The pages already show such an attempt finished and graded (``results``); this only
records it, as the learner's next POST would."""

import click
from flask import Flask
from flask.cli import AppGroup

from educational.core.db import db, utcnow

from . import services

quizzes_cli = AppGroup("quizzes", help="Quizzes and exams.")


@quizzes_cli.command("close-overdue")
def close_overdue() -> None:
    """Submit every attempt past its deadline and grace, with the answers saved in time."""
    now = utcnow()
    closed = 0
    for attempt in services.overdue_attempts(now):
        # One short transaction each: the write lock is never held for long, and a learner
        # who submits at the same moment is graded once (submit_attempt re-reads the row).
        if services.close_if_overdue(attempt, now):
            closed += 1
        db.session.commit()
    click.echo(f"Closed {closed} overdue attempt{'s' if closed != 1 else ''}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(quizzes_cli)

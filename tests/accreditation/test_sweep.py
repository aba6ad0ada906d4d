"""``flask accreditation sweep``: expiry, standard-transition lapses and reminders, idempotent
across repeated runs and dates, including runs that skipped days."""

from datetime import date, timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import func, select

from educational.accreditation.models import (
    Accreditation,
    AccreditationScope,
    ReminderSent,
    StatusChange,
)
from educational.catalog.models import SchemeConfig
from educational.core.audit import AuditEvent
from educational.core.db import db, today
from tests.builders.accreditation import apply, decide, qualify
from tests.builders.experience import SMELTING
from tests.conftest import outbox_messages


@pytest.fixture
def accredited(app, make_user, synced_courses) -> int:
    """An active accreditation (PS / aluminium smelting, version 3); its id."""
    learner, staff = make_user("learner"), make_user("staff")
    qualify(app, learner.id, staff.id)
    decide(app, apply(app, learner.id), staff.id)
    with app.app_context():
        return db.session.scalar(select(Accreditation.id))


def sweep(app, on: date):
    result = app.test_cli_runner().invoke(args=["accreditation", "sweep", "--date", on.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def set_valid_until(app, accreditation_id: int, valid_until: date) -> None:
    with app.app_context():
        db.session.get(Accreditation, accreditation_id).valid_until = valid_until
        db.session.commit()


def reminders(app) -> list[tuple[date, int]]:
    with app.app_context():
        return [
            (r.valid_until, r.days_before)
            for r in db.session.scalars(select(ReminderSent).order_by(ReminderSent.id))
        ]


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_expiry_is_idempotent(app, accredited):
    with app.app_context():
        until = db.session.get(Accreditation, accredited).valid_until
    assert "0 expired" in sweep(app, until)
    output = sweep(app, until + timedelta(days=1))
    assert "expired: ASI-000001 auditor" in output and "done: 1 expired" in output
    changes = count(app, StatusChange)
    for later in (1, 1, 5, 400):
        assert "done: 0 expired" in sweep(app, until + timedelta(days=later))
    assert count(app, StatusChange) == changes
    assert len(outbox_messages(app, "accreditation_expired")) == 1
    with app.app_context():
        row = db.session.get(Accreditation, accredited)
        assert row.status == "expired"
        # Dated at the start of the day after the last valid day, not when the sweep ran.
        assert row.changes[-1].occurred_at.date() <= until + timedelta(days=1)
        assert (
            db.session.scalar(
                select(func.count()).where(AuditEvent.action == "accreditation.expired")
            )
            == 1
        )


def test_a_suspended_accreditation_expires_too(app, accredited, make_user):
    with app.test_request_context():
        from educational.accounts.models import User
        from educational.accreditation import decisions

        staff = db.session.get(User, make_user("staff").id)
        decisions.change_status(db.session.get(Accreditation, accredited), staff, "suspend", "x")
        db.session.commit()
        until = db.session.get(Accreditation, accredited).valid_until
    assert "done: 1 expired" in sweep(app, until + timedelta(days=10))


def test_reminders_at_90_30_and_7_days_never_twice(app, accredited):
    until = today() + timedelta(days=200)
    set_valid_until(app, accredited, until)
    for days_before in (120, 91):
        sweep(app, until - timedelta(days=days_before))
    assert reminders(app) == []
    output = sweep(app, until - timedelta(days=90))
    assert "ASI-000001 auditor 90-day reminder" in output
    for days_before in (90, 90, 89, 60, 31):
        assert "0 reminders queued" in sweep(app, until - timedelta(days=days_before))
    sweep(app, until - timedelta(days=30))
    sweep(app, until - timedelta(days=29))
    sweep(app, until - timedelta(days=7))
    sweep(app, until - timedelta(days=7))
    sweep(app, until - timedelta(days=1))
    sweep(app, until)
    assert reminders(app) == [(until, 90), (until, 30), (until, 7)]
    mails = outbox_messages(app, "accreditation_reminder")
    assert [m.subject for m in mails] == [
        "Your accreditation expires in 90 days",
        "Your accreditation expires in 30 days",
        "Your accreditation expires in 7 days",
    ]
    # The medium date of the recipient's language, not an ISO date.
    assert format_date(until, "medium", locale="en") in mails[0].body


def test_skipped_days_send_one_reminder_for_the_days_actually_left(app, accredited):
    until = today() + timedelta(days=200)
    set_valid_until(app, accredited, until)
    # The first run in a while: 20 days left. The 90- and 30-day thresholds were both
    # crossed; one reminder goes out, the 30-day one ("expires in 20 days").
    output = sweep(app, until - timedelta(days=20))
    assert "30-day reminder" in output and "20 days left" in output
    assert reminders(app) == [(until, 30)]
    # The 90-day one is never sent later, not even by a run dated earlier.
    for days_before in (95, 90, 45, 20, 8):
        assert "0 reminders queued" in sweep(app, until - timedelta(days=days_before))
    # Straight from 8 days to 2: the 7-day reminder, once.
    sweep(app, until - timedelta(days=2))
    sweep(app, until - timedelta(days=2))
    assert reminders(app) == [(until, 30), (until, 7)]
    subjects = [m.subject for m in outbox_messages(app, "accreditation_reminder")]
    assert subjects == [
        "Your accreditation expires in 20 days",
        "Your accreditation expires in 2 days",
    ]


def test_a_renewal_starts_a_new_reminder_series(app, accredited):
    first = today() + timedelta(days=100)
    set_valid_until(app, accredited, first)
    sweep(app, first - timedelta(days=90))
    second = first + timedelta(days=3 * 365)
    set_valid_until(app, accredited, second)  # as an approved renewal does
    sweep(app, second - timedelta(days=90))
    sweep(app, second - timedelta(days=90))
    assert reminders(app) == [(first, 90), (second, 90)]


def test_no_reminder_for_suspended_or_expired_accreditations(app, accredited):
    until = today() + timedelta(days=200)
    set_valid_until(app, accredited, until)
    with app.app_context():
        db.session.get(Accreditation, accredited).status = "suspended"
        db.session.commit()
    sweep(app, until - timedelta(days=30))
    assert reminders(app) == []


def set_scope_version(app, version: str) -> None:
    with app.app_context():
        db.session.scalar(select(AccreditationScope)).version = version
        db.session.commit()


def scope(app) -> tuple[str, str]:
    with app.app_context():
        row = db.session.scalar(select(AccreditationScope))
        return row.version, row.status


def test_a_scope_lapses_when_the_transition_ends_without_the_new_course(app, accredited):
    with app.app_context():
        # The holder's only PS course is for version 2 (taken in 2021).
        from educational.certificates.models import Certificate

        for certificate in db.session.scalars(select(Certificate)):
            if certificate.course.slug == "ps-v3-auditors":
                db.session.delete(certificate)
        db.session.commit()
    set_valid_until(app, accredited, date(2030, 1, 1))
    set_scope_version(app, "2")
    # V3 was published on 2022-05-19 with 12 months' transition: V2 usable to 2023-05-18.
    assert "0 scopes lapsed" in sweep(app, date(2023, 5, 18))
    assert scope(app) == ("2", "active")
    output = sweep(app, date(2023, 5, 19))
    assert f"scope lapsed: ASI-000001 auditor PS/{SMELTING} (version 2; current 3)" in output
    assert scope(app) == ("2", "lapsed")
    assert "0 scopes lapsed" in sweep(app, date(2023, 5, 20))
    (mail,) = outbox_messages(app, "accreditation_scope_lapsed")
    assert "version 2" in mail.body
    with app.app_context():
        # The accreditation itself stays active.
        assert db.session.get(Accreditation, accredited).status == "active"


def test_a_scope_follows_the_holder_to_the_new_version(app, accredited):
    set_valid_until(app, accredited, today() + timedelta(days=1000))
    set_scope_version(app, "2")
    # The holder has passed the V3 course (today): the scope moves to version 3.
    output = sweep(app, today())
    assert f"PS/{SMELTING} version 2 -> 3" in output
    assert scope(app) == ("3", "active")
    assert "0 scopes updated" in sweep(app, today())


def test_bad_date_is_a_clear_cli_error(app, synced_courses):
    runner = app.test_cli_runner()
    for bad in ("2026-13-01", "tomorrow", ""):
        result = runner.invoke(args=["accreditation", "sweep", "--date", bad])
        assert result.exit_code == 2
        assert "give it as YYYY-MM-DD" in result.output
        assert "Traceback" not in result.output


def test_sweep_without_a_scheme_says_what_to_do(app):
    result = app.test_cli_runner().invoke(args=["accreditation", "sweep"])
    assert result.exit_code == 1
    assert "flask courses sync" in result.output


def test_default_date_is_today(app, accredited):
    result = app.test_cli_runner().invoke(args=["accreditation", "sweep"])
    assert result.exit_code == 0
    assert f"sweep as of {today().isoformat()}" in result.output
    with app.app_context():
        assert db.session.scalar(select(SchemeConfig.code)) == "ASI"

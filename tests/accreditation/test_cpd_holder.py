"""CPD for holders, through the app: the renewal checklist counts verified CPD hours per
cycle and per year (and approval refuses while they are short), the dashboard shows the
cycle's progress, and the daily sweep sends one reminder, in the holder's language, when a
cycle year ends short."""

from datetime import date, timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import func, select

from educational.accounts.models import User
from educational.accreditation import checklist, services
from educational.accreditation.models import Accreditation, Application, CpdReminderSent
from educational.accreditation.rules.periods import add_months
from educational.core.db import db, today
from educational.core.errors import DomainError
from educational.experience import services as experience
from tests.builders.accreditation import apply, decide, qualify
from tests.builders.experience import cpd_data
from tests.builders.people import logged_in
from tests.conftest import outbox_messages

pytestmark = pytest.mark.csrf


@pytest.fixture
def holder(app, make_user, synced_courses):
    """(learner, staff, accreditation id): an active auditor accreditation, the holder
    reading French."""
    learner, staff = make_user("learner"), make_user("staff")
    qualify(app, learner.id, staff.id)
    decide(app, apply(app, learner.id), staff.id)
    with app.app_context():
        db.session.get(User, learner.id).locale = "fr"
        db.session.commit()
        return learner, staff, db.session.scalar(select(Accreditation.id))


def set_cycle(app, accreditation_id: int, valid_from: date) -> None:
    with app.app_context():
        accreditation = db.session.get(Accreditation, accreditation_id)
        accreditation.valid_from = valid_from
        accreditation.valid_until = add_months(valid_from, 36) - timedelta(days=1)
        db.session.commit()


def log_cpd(app, learner, staff, day: date, hours: float, category="training", verify=True):
    with app.test_request_context():
        user = db.session.get(User, learner.id)
        entry = experience.create_entry(user, "cpd", cpd_data(day, hours, category), submit=True)
        if verify:
            entry.verify(db.session.get(User, staff.id))
        db.session.commit()
        return entry.id


def sweep(app, on: date) -> str:
    result = app.test_cli_runner().invoke(args=["accreditation", "sweep", "--date", on.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def cpd_rows(app, application_id: int) -> dict[str, bool]:
    with app.app_context():
        rows = db.session.get(Application, application_id).checklist
        return {row["code"]: row["met"] for row in rows if row["code"].startswith("cpd")}


def test_renewal_counts_cpd_per_year(app, holder):
    learner, staff, accreditation_id = holder
    start = add_months(today(), -36)
    set_cycle(app, accreditation_id, start)
    log_cpd(app, learner, staff, start + timedelta(days=30), 10)
    log_cpd(app, learner, staff, add_months(start, 12) + timedelta(days=30), 25)
    log_cpd(app, learner, staff, add_months(start, 24) + timedelta(days=30), 25, "audits")
    log_cpd(app, learner, staff, start - timedelta(days=1), 40, "audits")  # before the cycle
    renewal = apply(app, learner.id, renew=accreditation_id)
    first_year = f"cpd:year:{start.isoformat()}"
    rows = cpd_rows(app, renewal)
    assert rows["cpd"] is True  # 35 training + 25 audits = 60
    assert rows[first_year] is False  # 10 of 15
    assert all(met for code, met in rows.items() if code not in ("cpd", first_year))
    with app.app_context():
        assert first_year in checklist.unmet_codes(db.session.get(Application, renewal).checklist)

    # The staff review shows the rows in words; approval is refused while one is unmet.
    page = logged_in(app, staff).get(f"/staff/accreditation/applications/{renewal}")
    text = page.get_data(as_text=True)
    assert "Continuing professional development (CPD) in the cycle" in text
    assert "CPD in the cycle year from" in text
    assert "10 of 15 verified CPD hours in the year from" in text
    with pytest.raises(DomainError, match="not met today"):
        decide(app, renewal, staff.id)

    # Five more hours in the first year, verified: CPD is complete.
    log_cpd(app, learner, staff, start + timedelta(days=60), 5, "self-study")
    with app.test_request_context():
        from educational.catalog.scheme import current_scheme

        application = db.session.get(Application, renewal)
        evaluation = services.evaluate_application(current_scheme(), application)
        cpd = [r for r in evaluation.results if r.code.startswith("cpd")]
        assert len(cpd) == 4 and all(r.met for r in cpd)


def test_dashboard_shows_cpd_this_cycle(app, holder, make_user):
    learner, staff, accreditation_id = holder
    start = today() - timedelta(days=100)
    set_cycle(app, accreditation_id, start)
    log_cpd(app, learner, staff, start + timedelta(days=5), 45)  # training: capped at 40
    log_cpd(app, learner, staff, start + timedelta(days=6), 6.5, "conferences", verify=False)
    page = logged_in(app, learner).get("/dashboard").get_data(as_text=True)
    # The holder reads French: the panel's words are translated where the catalogue has
    # them; the figures are the same in any language.
    assert 'id="cpd-cycle-' in page
    assert "/experience/new/cpd" in page
    assert 'value="40' in page  # counted this cycle: 45 capped at 40
    assert "6,5" in page  # waiting for verification, in the French number format
    other = logged_in(app, make_user("learner")).get("/dashboard").get_data(as_text=True)
    assert 'id="cpd-cycle-' not in other


def test_a_short_year_is_reminded_once_in_the_holders_language(app, holder):
    learner, staff, accreditation_id = holder
    start = today() - timedelta(days=400)
    set_cycle(app, accreditation_id, start)
    year_end = add_months(start, 12) - timedelta(days=1)
    log_cpd(app, learner, staff, start + timedelta(days=10), 5)
    log_cpd(app, learner, staff, start + timedelta(days=20), 30, verify=False)  # not counted
    # Before the year ends: nothing.
    assert "0 CPD reminders queued" in sweep(app, year_end)
    output = sweep(app, year_end + timedelta(days=1))
    assert "CPD reminder queued: ASI-000001 auditor CPD year" in output
    assert "5 of 15 hours" in output
    for later in (1, 1, 20):
        assert "0 CPD reminders queued" in sweep(app, year_end + timedelta(days=later))
    (mail,) = outbox_messages(app, "cpd_year_short")
    assert mail.recipient == learner.email
    # The dates in the holder's language.
    assert format_date(year_end, "medium", locale="fr") in mail.body
    assert "/experience/new/cpd" in mail.body
    with app.app_context():
        row = db.session.scalar(select(CpdReminderSent))
        assert (row.accreditation_id, row.year_end, row.hours, row.needed) == (
            accreditation_id,
            year_end,
            5,
            15,
        )
        assert db.session.scalar(select(func.count()).select_from(CpdReminderSent)) == 1


def test_no_reminder_when_the_year_was_complete(app, holder):
    learner, staff, accreditation_id = holder
    start = today() - timedelta(days=400)
    set_cycle(app, accreditation_id, start)
    log_cpd(app, learner, staff, start + timedelta(days=10), 15)
    assert "0 CPD reminders queued" in sweep(app, today())
    assert outbox_messages(app, "cpd_year_short") == []


def test_no_reminder_for_a_suspended_accreditation(app, holder):
    accreditation_id = holder[2]
    set_cycle(app, accreditation_id, today() - timedelta(days=400))
    with app.app_context():
        db.session.get(Accreditation, accreditation_id).status = "suspended"
        db.session.commit()
    assert "0 CPD reminders queued" in sweep(app, today())

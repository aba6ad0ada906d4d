"""Expiry reminders of training certificates, from the daily sweep (``flask accreditation
sweep``): at 90, 30 and 7 days before expiry (scheme.cycle.training_reminder_days), once
each, in the holder's language, with an absolute retake link built from PUBLIC_URL."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from educational.accounts.models import User
from educational.catalog.models import Course
from educational.certificates.models import Certificate, CertificateReminder
from educational.certificates.services import issue_certificate
from educational.core.db import db, today, utcnow
from tests.conftest import outbox_messages
from tests.recert.helpers import ORIGINAL, REFRESHER, give_certificate

PUBLIC = "https://training.example.org"
KIND = "certificate_expiring"


def sweep(app, day):
    result = app.test_cli_runner().invoke(
        args=["accreditation", "sweep", "--date", day.isoformat()]
    )
    assert result.exit_code == 0, result.output
    return result.output


def reminders(app, email: str):
    return [m for m in outbox_messages(app, KIND) if m.recipient == email]


def days_before(app, certificate_id: int) -> list[int]:
    with app.app_context():
        return sorted(
            db.session.scalars(
                select(CertificateReminder.days_before).where(
                    CertificateReminder.certificate_id == certificate_id
                )
            )
        )


@pytest.fixture
def holder(make_user, synced_courses):
    return make_user()


@pytest.mark.app_config(PUBLIC_URL=PUBLIC)
def test_90_30_and_7_days_before_once_each_with_an_absolute_link(app, holder):
    certificate_id = give_certificate(app, holder.id, ORIGINAL, 90, code="RC01-AAAA-BBBB-CCCC-DDDD")
    start = today()
    expected = []
    for offset, threshold in ((0, 90), (60, 30), (83, 7)):
        day = start + timedelta(days=offset)
        output = sweep(app, day)
        assert f"{threshold}-day reminder" in output
        sweep(app, day)  # the same day again: nothing more
        expected.append(threshold)
        assert len(reminders(app, holder.email)) == len(expected)
        assert days_before(app, certificate_id) == sorted(expected)
    # The days in between and after: nothing.
    for offset in (1, 59, 61, 84, 89, 90, 120):
        sweep(app, start + timedelta(days=offset))
    messages = reminders(app, holder.email)
    assert len(messages) == 3
    assert [m.subject for m in messages] == [
        "Your training certificate expires in 90 days",
        "Your training certificate expires in 30 days",
        "Your training certificate expires in 7 days",
    ]
    for message in messages:
        # The refresher's page, from PUBLIC_URL: never the host of a request.
        assert f"{PUBLIC}/courses/{REFRESHER}" in message.body
        assert "RC01-AAAA-BBBB-CCCC-DDDD" in message.body
        assert "localhost" not in message.body


def test_a_skipped_day_sends_the_smallest_threshold_once_and_never_the_larger(app, holder):
    certificate_id = give_certificate(app, holder.id, ORIGINAL, 25, code="RC02-AAAA-BBBB-CCCC-DDDD")
    sweep(app, today())
    sweep(app, today() + timedelta(days=1))
    assert days_before(app, certificate_id) == [30]
    assert len(reminders(app, holder.email)) == 1
    sweep(app, today() + timedelta(days=18))  # 7 days left
    assert days_before(app, certificate_id) == [7, 30]
    sweep(app, today() + timedelta(days=25))  # expired: nothing
    assert len(reminders(app, holder.email)) == 2


def test_in_the_holders_language(app, holder):
    with app.app_context():
        db.session.get(User, holder.id).locale = "fr"
        db.session.commit()
    give_certificate(app, holder.id, ORIGINAL, 30, code="RC03-AAAA-BBBB-CCCC-DDDD")
    sweep(app, today())
    (message,) = reminders(app, holder.email)
    with app.app_context():
        expires_on = db.session.scalar(
            select(Certificate.expires_on).where(Certificate.user_id == holder.id)
        )
    from babel.dates import format_date

    # The date as the French reader reads it (month names from the locale, not English).
    assert format_date(expires_on, format="medium", locale="fr") in message.body or (
        format_date(expires_on, format="long", locale="fr") in message.body
    )


def test_a_course_without_refresher_links_to_itself(app, holder):
    give_certificate(app, holder.id, "asi-specialist", 7, code="RC04-AAAA-BBBB-CCCC-DDDD")
    sweep(app, today())
    (message,) = reminders(app, holder.email)
    assert "http://localhost/courses/asi-specialist" in message.body


def test_revoked_and_renewed_certificates_get_no_reminder(app, holder, make_user):
    revoked = give_certificate(app, holder.id, ORIGINAL, 30, code="RC05-AAAA-BBBB-CCCC-DDDD")
    other = make_user()
    renewed = give_certificate(app, other.id, ORIGINAL, 30, code="RC06-AAAA-BBBB-CCCC-DDDD")
    with app.app_context():
        db.session.get(Certificate, revoked).revoked_at = utcnow()
        old = db.session.get(Certificate, renewed)
        refresher = db.session.scalar(select(Course).where(Course.slug == REFRESHER))
        issue_certificate(
            db.session.get(User, other.id),
            old.course,
            issued_at=utcnow(),
            renews=old,
            via=refresher,
        )
        db.session.commit()
    sweep(app, today())
    assert reminders(app, holder.email) == []
    assert reminders(app, other.email) == []

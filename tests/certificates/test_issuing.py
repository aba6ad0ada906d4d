"""Issuing certificates: snapshots, idempotence for one completion, retakes, expiry."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from educational.accounts.models import User
from educational.catalog.models import Course
from educational.certificates import codes
from educational.certificates.models import Certificate
from educational.certificates.rules import CertificateStatus, add_months, expiry_date, status_on
from educational.certificates.services import certificate_status, issue_certificate
from educational.core.audit import AuditEvent, verify_chain
from educational.core.db import db
from tests.certificates.conftest import SLUG
from tests.certificates.helpers import certificate

MOMENT = datetime(2026, 3, 14, 15, 9, 26, 535, tzinfo=UTC)


def _count(app) -> int:
    with app.app_context():
        return db.session.query(Certificate).count()


def test_issuing_snapshots_the_facts_and_is_audited(app, make_user, issue):
    user = make_user(name="Ana Souza")
    code = issue(user, at=MOMENT)
    assert codes.normalise_code(code) == code
    row = certificate(app, code)
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == SLUG))
        assert (row.course_title, row.course_version) == (course.title, course.version)
        assert course.certificate_validity_months == 36
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "certificate.issued")
        )
        assert event.subject_id == str(row.id)
        assert event.data["code"] == code
        assert verify_chain().ok
    assert row.holder_name == "Ana Souza"
    assert row.user_id == user.id
    assert row.issued_at == MOMENT.replace(microsecond=0)
    assert row.issued_on == date(2026, 3, 14)
    assert row.expires_on == date(2029, 3, 14)
    assert row.revoked_at is None


def test_issuing_again_while_valid_returns_the_same_certificate(app, make_user, issue):
    user = make_user()
    first = issue(user, at=MOMENT)
    assert issue(user, at=MOMENT) == first
    assert issue(user, at=datetime(2028, 1, 1, tzinfo=UTC)) == first
    assert _count(app) == 1
    # Another learner, or another course, gets a certificate of their own.
    assert issue(make_user(), at=MOMENT) != first
    assert issue(user, slug="asi-specialist", at=MOMENT) != first
    assert _count(app) == 3


def test_a_retake_after_expiry_issues_a_new_one_and_keeps_the_old(app, make_user, issue):
    user = make_user()
    old = issue(user, at=datetime(2020, 1, 31, 10, tzinfo=UTC))
    assert certificate(app, old).expires_on == date(2023, 1, 31)
    new = issue(user, at=datetime(2023, 1, 31, 9, tzinfo=UTC))
    assert new != old
    assert _count(app) == 2
    with app.app_context():
        old_row = db.session.scalar(select(Certificate).where(Certificate.code == old))
        assert certificate_status(old_row, date(2023, 1, 30)) == CertificateStatus.VALID
        assert certificate_status(old_row, date(2023, 1, 31)) == CertificateStatus.EXPIRED
        assert certificate_status(old_row) == CertificateStatus.EXPIRED


def test_a_new_edition_of_the_course_issues_a_new_certificate(app, make_user, issue):
    user = make_user()
    first = issue(user, at=MOMENT)
    with app.app_context():
        db.session.scalar(select(Course).where(Course.slug == SLUG)).version = "2027.1"
        db.session.commit()
    second = issue(user, at=MOMENT)
    assert second != first
    assert certificate(app, second).course_version == "2027.1"
    assert certificate(app, first).course_version != "2027.1"


def test_a_course_without_validity_gives_a_certificate_that_never_expires(app, make_user, issue):
    with app.app_context():
        db.session.scalar(
            select(Course).where(Course.slug == SLUG)
        ).certificate_validity_months = None
        db.session.commit()
    code = issue(make_user(), at=datetime(1990, 1, 1, tzinfo=UTC))
    row = certificate(app, code)
    assert row.expires_on is None
    assert row.status(date(2990, 1, 1)) == CertificateStatus.VALID


def test_a_naive_completion_time_is_refused(app, make_user, synced_courses):
    user = make_user()
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == SLUG))
        with pytest.raises(ValueError, match="timezone"):
            issue_certificate(db.session.get(User, user.id), course, issued_at=datetime(2026, 1, 1))


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 5, 15), 36, date(2029, 5, 15)),
        (date(2026, 12, 1), 12, date(2027, 12, 1)),
    ],
)
def test_add_months_clamps_to_the_end_of_shorter_months(start, months, expected):
    assert add_months(start, months) == expected
    assert expiry_date(start, months) == expected
    assert expiry_date(start, None) is None


def test_a_revocation_counts_from_its_day():
    expires = date(2029, 1, 1)
    revoked = date(2027, 6, 1)
    assert status_on(date(2027, 5, 31), expires_on=expires, revoked_on=revoked) == "valid"
    assert status_on(date(2027, 6, 1), expires_on=expires, revoked_on=revoked) == "revoked"
    assert status_on(date(2030, 1, 1), expires_on=expires, revoked_on=revoked) == "revoked"
    assert status_on(date(2030, 1, 1), expires_on=expires) == "expired"


def test_codes_are_long_random_and_forgiving_when_typed():
    made = {codes.new_code() for _ in range(200)}
    assert len(made) == 200
    for code in made:
        assert len(code) == codes.FORMATTED_LENGTH == 24
        compact = code.replace("-", "")
        assert len(compact) * 5 >= 100  # 32 symbols: 5 bits each
        assert set(compact) <= set(codes.ALPHABET)
    assert codes.normalise_code(" k7qm 3xdt\t9pwa\u2013h2nc 8r4e ") == "K7QM-3XDT-9PWA-H2NC-8R4E"
    assert codes.normalise_code("K7QM3XDT9PWAH2NC8R4E") == "K7QM-3XDT-9PWA-H2NC-8R4E"
    # Letters that look like digits are read as the digits (the alphabet has no I, L, O).
    assert codes.normalise_code("O1IL-0000-0000-0000-0000") == "0111-0000-0000-0000-0000"
    for bad in ("", None, "K7QM-3XDT", "K7QM-3XDT-9PWA-H2NC-8R4E-AAAA", "UUUU-0000-0000-0000-0000"):
        assert codes.normalise_code(bad) is None

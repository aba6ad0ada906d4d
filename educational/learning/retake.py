"""Retaking a course to renew its certificate (recertification).

From the first reminder before a certificate expires (``scheme.cycle
.training_reminder_days``), and any time after it expired, its holder may retake the course
that renews it: the course's ``refresher`` (course.yml), or the course itself. Starting the
retake enrols the learner in that course if needed, or re-opens their completed enrolment;
the modules they read stay read, and the course completes again when its exam is passed in
an attempt after the renewed certificate was issued. Completion then issues a new
certificate of the original course, which ``renews`` the old one
(``educational.certificates``). Nothing is deleted: old attempts stay with their quiz, old
certificates stay verifiable (expired, or marked renewed)."""

from datetime import UTC, date, datetime, time

from flask_babel import gettext as _
from sqlalchemy import select

from educational.accounts.models import User
from educational.catalog.models import Course, Enrolment
from educational.catalog.services import enrol
from educational.certificates.models import Certificate
from educational.certificates.renewal import renewable, renewable_by, window_opens
from educational.certificates.renewal import retake_course as retake_course
from educational.core.audit import record_event
from educational.core.db import db, today
from educational.core.errors import DomainError
from educational.quizzes.models import Attempt, AttemptState, QuizOverride
from educational.quizzes.services import attempts_of, quiz_by_name


def start_retake(user: User, certificate: Certificate, *, on: date | None = None) -> Enrolment:
    """Open the retake of ``certificate``'s renewing course for its holder ``user``."""
    on = on or today()
    if certificate.user_id != user.id:
        raise DomainError(_("You can only renew your own certificates."))
    if not renewable(certificate, on):
        raise DomainError(
            _(
                "This certificate cannot be renewed now: it is renewed already, revoked, never "
                "expires, or is not yet close enough to its expiry."
            )
        )
    course = retake_course(certificate.course)
    enrolment = enrol(user, course)
    reopened = enrolment.completed_at is not None
    enrolment.completed_at = None
    _fresh_attempts(user, course)
    db.session.flush()
    record_event(
        "learning.retake_started",
        certificate,
        actor=user,
        code=certificate.code,
        course=certificate.course.slug,
        retake_course=course.slug,
        reopened=reopened,
    )
    return enrolment


def _fresh_attempts(user: User, course: Course) -> None:
    """A retake gets the exam's full number of attempts again: the attempts used before
    are given back as extra attempts (they stay in the quiz's history)."""
    if not course.exam_name:
        return
    exam = quiz_by_name(course, course.exam_name)
    if exam is None or not exam.settings.get("max_attempts"):
        return
    used = len(attempts_of(user.id, exam))
    if not used:
        return
    override = db.session.scalar(
        select(QuizOverride).where(QuizOverride.user_id == user.id, QuizOverride.quiz_id == exam.id)
    )
    if override is None:
        override = QuizOverride(
            user_id=user.id,
            quiz_id=exam.id,
            extra_minutes=0,
            extra_attempts=0,
            reason="",
            created_by_id=user.id,
        )
        db.session.add(override)
    override.extra_attempts = max(override.extra_attempts or 0, used)
    override.reason = "retake to renew a certificate"


def renewal_target(enrolment: Enrolment, on: date) -> Certificate | None:
    """The certificate that completing ``enrolment``'s course now renews, if any."""
    found = renewable_by(enrolment.user_id, enrolment.course, on)
    return found[0] if found else None


def passed_for_renewal(user_id: int, course: Course, renews: Certificate) -> bool:
    """The course's exam passed in an attempt of the retake: one started in ``renews``'s
    renewal window and after it was issued (the pass that earned it never counts again)."""
    exam = quiz_by_name(course, course.exam_name) if course.exam_name else None
    if exam is None:
        return True
    opens = window_opens(renews)
    if opens is None:
        return False
    since = max(renews.issued_at, datetime.combine(opens, time(), UTC))
    return (
        db.session.scalar(
            select(Attempt.id).where(
                Attempt.user_id == user_id,
                Attempt.quiz_id == exam.id,
                Attempt.state == AttemptState.SUBMITTED,
                Attempt.passed.is_(True),
                Attempt.started_at > since,
            )
        )
        is not None
    )

"""Renewing a training certificate: which course renews it (the course's ``refresher``, or
the course itself), when it may be renewed (from ``scheme.cycle.training_reminder_days``'s
first reminder before it expires, and any time after), and which of a learner's
certificates a completed course renews.

A renewal is a new certificate of the *original* course (``Certificate.renews_id``,
``via_course_id``), so the accreditation checklist, eligibility's ``training_current`` and
the registry read it as they read any certificate of that course: one rule,
``CourseRecord.valid_on``, and nothing there knows about refreshers."""

from datetime import date, timedelta

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import aliased

from educational.catalog.content.model import CycleRules
from educational.catalog.models import Course
from educational.catalog.scheme import current_scheme
from educational.catalog.services import course_by_slug
from educational.core.db import db

from .models import Certificate


def reminder_days() -> tuple[int, ...]:
    """The scheme's reminder thresholds, largest first (days before expiry); before the
    scheme is synced, ``CycleRules``' defaults."""
    scheme = current_scheme()
    days = (scheme.cycle if scheme is not None else CycleRules()).training_reminder_days
    return tuple(sorted({d for d in days if d > 0}, reverse=True))


def retake_course(course: Course) -> Course:
    """The course whose completion renews ``course``'s certificate: its refresher while it
    is offered, else the course itself."""
    if course.refresher:
        refresher = course_by_slug(course.refresher)
        if refresher is not None:
            return refresher
    return course


def window_opens(certificate: Certificate) -> date | None:
    """The first day the certificate may be renewed; None: it never expires."""
    if certificate.expires_on is None:
        return None
    days = reminder_days()
    return certificate.expires_on - timedelta(days=days[0] if days else 0)


def superseded_clause(certificate) -> ColumnElement[bool]:
    """Renewed, or followed by a later certificate of the same course (not revoked), as SQL:
    of one ``Certificate`` row, or of each row of a query of certificates when
    ``certificate`` is the ``Certificate`` class itself (the reminders' sweep)."""
    later = aliased(Certificate)
    return exists().where(
        later.user_id == certificate.user_id,
        later.course_id == certificate.course_id,
        later.id != certificate.id,
        later.revoked_at.is_(None),
        (later.renews_id == certificate.id) | (later.issued_at > certificate.issued_at),
    )


def superseded(certificate: Certificate) -> bool:
    """Renewed, or followed by a later certificate of the same course (not revoked)."""
    return bool(db.session.scalar(select(superseded_clause(certificate))))


def renewable(certificate: Certificate, on: date) -> bool:
    """Whether the holder may renew ``certificate`` on ``on``: it expires, is not revoked,
    nothing renewed or followed it yet, and ``on`` is in its reminder window or later."""
    opens = window_opens(certificate)
    return (
        opens is not None
        and certificate.revoked_at is None
        and on >= opens
        and not superseded(certificate)
    )


def renewable_by(user_id: int, taken: Course, on: date) -> list[Certificate]:
    """The user's certificates that completing ``taken`` on ``on`` would renew, newest
    first: those of the courses ``taken`` is the retake course of, renewable that day."""
    candidates = db.session.scalars(
        select(Certificate)
        .join(Course, Certificate.course_id == Course.id)
        .where(
            Certificate.user_id == user_id,
            Certificate.revoked_at.is_(None),
            Certificate.expires_on.is_not(None),
            (Course.id == taken.id) | (Course.refresher == taken.slug),
        )
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    )
    return [
        certificate
        for certificate in candidates
        if retake_course(certificate.course).id == taken.id and renewable(certificate, on)
    ]


def history(user_id: int, course: Course) -> list[Certificate]:
    """The user's certificates of ``course`` and of the courses it is the refresher of,
    newest first, expired, superseded and revoked ones included."""
    return list(
        db.session.scalars(
            select(Certificate)
            .join(Course, Certificate.course_id == Course.id)
            .where(
                Certificate.user_id == user_id,
                (Course.id == course.id) | (Course.refresher == course.slug),
            )
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )

"""Expiry reminders for training certificates, sent by the daily sweep
(``flask accreditation sweep`` calls ``send_expiry_reminders``).

At each of ``scheme.cycle.training_reminder_days`` (90, 30, 7) days before a certificate
expires, its holder gets an e-mail in their language with an absolute link (PUBLIC_URL,
never the request's host) to the course that renews it: the course's refresher, or the
course itself. Each (certificate, threshold) is recorded in ``CertificateReminder`` under a
unique constraint, so nothing is sent twice. A sweep that skipped days sends, if the
certificate has not expired yet, one reminder: the smallest threshold crossed, matching the
days actually left; larger thresholds skipped that way are never sent later. Revoked,
renewed and superseded certificates get none."""

from datetime import date, datetime, timedelta

from flask_babel import lazy_ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from educational.catalog.models import Course
from educational.core.audit import record_event
from educational.core.db import db, utcnow
from educational.core.mail import queue_mail
from educational.core.urls import external_url

from .models import Certificate, CertificateReminder
from .renewal import reminder_days, retake_course, superseded_clause


def send_expiry_reminders(on: date, *, now: datetime | None = None) -> list[str]:
    """Queue the reminders due on ``on``; one line per reminder queued. Flushes only.

    The certificates, their holders and courses, and the smallest threshold each was
    reminded at are read in one query; the retake course once per course."""
    now = now or utcnow()
    thresholds = sorted(reminder_days())
    if not thresholds:
        return []
    smallest_sent = (
        select(func.min(CertificateReminder.days_before))
        .where(CertificateReminder.certificate_id == Certificate.id)
        .scalar_subquery()
    )
    due = db.session.execute(
        select(Certificate, smallest_sent)
        .where(
            Certificate.revoked_at.is_(None),
            Certificate.expires_on > on,
            Certificate.expires_on <= on + timedelta(days=thresholds[-1]),
            ~superseded_clause(Certificate),
        )
        .options(joinedload(Certificate.user), joinedload(Certificate.course))
        .order_by(Certificate.expires_on, Certificate.id)
    ).all()
    renewing: dict[int, Course] = {}
    sent = []
    for certificate, sent_at_days in due:
        days_left = (certificate.expires_on - on).days
        threshold = min(days for days in thresholds if days >= days_left)
        if sent_at_days is not None and sent_at_days <= threshold:
            continue
        if certificate.course_id not in renewing:
            renewing[certificate.course_id] = retake_course(certificate.course)
        db.session.add(
            CertificateReminder(certificate_id=certificate.id, days_before=threshold, sent_at=now)
        )
        _mail(certificate, renewing[certificate.course_id], days_left)
        record_event(
            "certificate.reminder_sent",
            certificate,
            code=certificate.code,
            user_id=certificate.user_id,
            days_before=threshold,
            days_left=days_left,
        )
        sent.append(
            f"certificate {certificate.code} {threshold}-day reminder "
            f"(expires {certificate.expires_on}, {days_left} days left)"
        )
    db.session.flush()
    return sent


def _mail(certificate: Certificate, taken: Course, days_left: int) -> None:
    """``taken``: the course that renews it (``retake_course``), linked absolutely."""
    holder = certificate.user
    course = certificate.course
    language = holder.locale or course.language
    queue_mail(
        holder,
        lazy_ngettext(
            "Your training certificate expires in %(num)d day",
            "Your training certificate expires in %(num)d days",
            days_left,
        ),
        "certificate_expiring",
        user=holder,
        certificate=certificate,
        course_title=course.text(language)["title"],
        retake_title=taken.text(language)["title"],
        refresher=taken.id != course.id,
        days_left=days_left,
        url=external_url("catalog.course", slug=taken.slug),
    )

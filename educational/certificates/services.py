"""Certificate use cases: issue on completion, revoke, look up, and who may see what.

Course completion (``educational.learning``) calls ``issue_certificate``; the views,
the CLI and the API call the rest. Everything flushes and nothing commits."""

from datetime import UTC, date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from educational.accounts.models import User
from educational.catalog.models import Course
from educational.core.audit import record_event
from educational.core.db import db, today, utcnow
from educational.core.errors import DomainError, NotAllowed
from educational.core.permissions import has_role_permission, object_rule

from . import codes
from .models import Certificate
from .rules import CertificateStatus, expiry_date

#: The longest revocation reason kept (it is shown on the public verification page).
MAX_REASON_LENGTH = 500


@object_rule("download_certificate")
def _may_download_pdf(user, certificate: Certificate) -> bool:
    """The holder, and scheme staff (who answer questions about it)."""
    return certificate.user_id == user.id or has_role_permission(user, "staff_area")


@object_rule("download_credential")
def _may_download_credential(user, certificate: Certificate) -> bool:
    """Only the holder: the signed credential is theirs to put in a wallet."""
    return certificate.user_id == user.id


def issue_certificate(
    user: User,
    course: Course,
    *,
    issued_at: datetime,
    renews: Certificate | None = None,
    via: Course | None = None,
) -> Certificate:
    """The certificate for ``user`` completing ``course`` at ``issued_at``.

    Idempotent for one completion: when the learner already holds a certificate of this
    course edition that is valid on that day, that certificate is returned. Otherwise (the
    first completion, a new edition, a retake after expiry or revocation) a new one is
    issued; earlier ones stay as they are.

    ``renews``: a retake (of ``course`` itself, or of its refresher ``via``) renews that
    certificate of ``course``: a new certificate with a new validity is issued even while
    the old one is still valid, once per renewed certificate; the old one stays, in the
    holder's history and verifiable, with a link to its renewal."""
    if issued_at.tzinfo is None:
        raise ValueError("issued_at must be timezone-aware; use educational.core.db.utcnow()")
    issued_at = issued_at.astimezone(UTC).replace(microsecond=0)
    issued_on = issued_at.date()
    if renews is not None:
        if renews.user_id != user.id or renews.course_id != course.id:
            raise ValueError("a renewal is of the holder's own certificate of the same course")
        renewal = db.session.scalar(
            select(Certificate).where(
                Certificate.renews_id == renews.id, Certificate.revoked_at.is_(None)
            )
        )
        if renewal is not None:
            return renewal
    else:
        held = db.session.scalars(
            select(Certificate)
            .where(
                Certificate.user_id == user.id,
                Certificate.course_id == course.id,
                Certificate.course_version == course.version,
            )
            .order_by(Certificate.issued_at.desc())
        )
        for certificate in held:
            if certificate.is_valid_on(issued_on):
                return certificate
    certificate = Certificate(
        code=unused_code(),
        user_id=user.id,
        course_id=course.id,
        course_title=course.title,
        course_version=course.version,
        holder_name=user.name,
        issued_at=issued_at,
        issued_on=issued_on,
        expires_on=expiry_date(issued_on, course.certificate_validity_months),
        renews_id=renews.id if renews is not None else None,
        via_course_id=via.id if via is not None and via.id != course.id else None,
    )
    db.session.add(certificate)
    db.session.flush()
    record_event(
        "certificate.issued",
        certificate,
        code=certificate.code,
        user_id=user.id,
        course=course.slug,
        version=course.version,
        issued_on=issued_on.isoformat(),
        expires_on=certificate.expires_on.isoformat() if certificate.expires_on else None,
    )
    if renews is not None:
        record_event(
            "certificate.renewed",
            renews,
            code=renews.code,
            renewal_code=certificate.code,
            user_id=user.id,
            course=course.slug,
            via=via.slug if via is not None else course.slug,
        )
    return certificate


def unused_code() -> str:
    # 100 random bits make a collision all but impossible; checking costs one query.
    while True:
        code = codes.new_code()
        if db.session.scalar(select(Certificate.id).where(Certificate.code == code)) is None:
            return code


def revoke_certificate(certificate: Certificate, reason: str, actor: User) -> None:
    """Withdraw a certificate (issued in error, obtained by cheating...). Staff only; the
    reason is required, shown on the public verification page, and audited."""
    if not has_role_permission(actor, "staff_area"):
        raise NotAllowed(_("Only scheme staff can revoke a certificate."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Give the reason for revoking; it is shown to anyone who checks the code."),
            field="reason",
        )
    if len(reason) > MAX_REASON_LENGTH:
        raise DomainError(
            _("Shorten the reason to %(n)d characters or fewer.", n=MAX_REASON_LENGTH),
            field="reason",
        )
    certificate.revoke(reason, actor, utcnow())
    db.session.flush()
    record_event(
        "certificate.revoked",
        certificate,
        actor=actor,
        code=certificate.code,
        user_id=certificate.user_id,
        reason=reason,
    )


def certificate_status(certificate: Certificate, on: date | None = None) -> CertificateStatus:
    """valid, expired or revoked on the day ``on`` (default: today)."""
    return certificate.status(on or today())


def find_certificate(code: str | None) -> Certificate | None:
    """The certificate with this code, however it was typed (case, spaces, dashes)."""
    canonical = codes.normalise_code(code)
    if canonical is None:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == canonical))


def certificates_of(user: User) -> list[Certificate]:
    """The learner's certificates, newest first, expired and revoked ones included."""
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.user_id == user.id)
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )


def search_certificates(q: str, *, limit: int = 100) -> list[Certificate]:
    """For staff: by code (however typed), or part of the holder's name or e-mail, or of
    the course title."""
    q = q.strip()
    if not q:
        return []
    canonical = codes.normalise_code(q)
    like = f"%{q.lower()}%"
    conditions = [
        func.lower(Certificate.holder_name).like(like),
        func.lower(User.name).like(like),
        User.email.like(like),
        func.lower(Certificate.course_title).like(like),
    ]
    if canonical:
        conditions.append(Certificate.code == canonical)
    return list(
        db.session.scalars(
            select(Certificate)
            .join(User, User.id == Certificate.user_id)
            .where(or_(*conditions))
            .order_by(Certificate.issued_at.desc())
            .limit(limit)
        )
    )

"""A certificate of course completion, as issued: the facts it states are snapshots taken
at issue, so renaming the learner or publishing a new course edition never changes what a
certificate already says. Rows are never deleted; a retake after expiry is a new row and
the old one stays in the learner's history."""

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint, and_, false, or_
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from educational.catalog.models import Course
from educational.core.db import UTCDateTime, db, utcnow
from educational.core.errors import NotAllowed
from educational.core.records import next_midnight, utc_day

from . import codes
from .rules import CertificateStatus, status_on


class Certificate(db.Model):
    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The public code, e.g. "K7QM-3XDT-9PWA-H2NC-8R4E" (100 random bits); see codes.py.
    code: Mapped[str] = mapped_column(String(codes.FORMATTED_LENGTH), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    #: The course's title and edition (Course.version) when the certificate was issued.
    course_title: Mapped[str] = mapped_column(String(300))
    course_version: Mapped[str] = mapped_column(String(40))
    #: The learner's name (User.name) when the certificate was issued.
    holder_name: Mapped[str] = mapped_column(String(200))
    #: When the course was completed, UTC, to the second.
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: The UTC date of issued_at: the first day the certificate is valid.
    issued_on: Mapped[date] = mapped_column(Date)
    #: The first day it is no longer valid; None: it never expires.
    expires_on: Mapped[date | None] = mapped_column(Date)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Why staff revoked it; shown on the public verification page.
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Recorded from another platform's completions (``flask courses import-completions``),
    #: not earned here; verifiable like the others, and said so on the verification page.
    imported: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: The certificate this one renews (a retake or the course's refresher passed before or
    #: after it expired); that one stays as it was, in the holder's history.
    renews_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"), index=True)
    #: The course actually taken to renew it when that was the course's refresher (None:
    #: the course itself was taken).
    via_course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User", foreign_keys=[user_id])
    course: Mapped[Course] = relationship(foreign_keys=[course_id])
    revoked_by = relationship("User", foreign_keys=[revoked_by_id])
    renews: Mapped["Certificate | None"] = relationship(
        remote_side=[id], foreign_keys=[renews_id], back_populates="renewals"
    )
    #: The certificates that renew this one (normally one).
    renewals: Mapped[list["Certificate"]] = relationship(
        foreign_keys=[renews_id], back_populates="renews", order_by="Certificate.issued_at"
    )
    via_course: Mapped[Course | None] = relationship(foreign_keys=[via_course_id])

    @property
    def renewed_by(self) -> "Certificate | None":
        """The certificate that renewed this one (not revoked), or None."""
        return next((c for c in self.renewals if c.revoked_at is None), None)

    @property
    def revoked_on(self) -> date | None:
        return utc_day(self.revoked_at)

    def status(self, on: date) -> CertificateStatus:
        """valid, expired or revoked on the day ``on`` (a day on or after issued_on)."""
        return status_on(on, expires_on=self.expires_on, revoked_on=self.revoked_on)

    @hybrid_method
    def is_valid_on(self, on: date) -> bool:
        """Issued by ``on`` and valid that day (``status``); in SQL, the same condition."""
        return self.issued_on <= on and self.status(on) == CertificateStatus.VALID

    @is_valid_on.expression
    def is_valid_on(cls, on: date):
        return and_(
            cls.issued_on <= on,
            or_(cls.expires_on.is_(None), cls.expires_on > on),
            or_(cls.revoked_at.is_(None), cls.revoked_at >= next_midnight(on)),
        )

    def revoke(self, reason: str, by, at: datetime) -> None:
        if self.revoked_at is not None:
            raise NotAllowed(
                _(
                    "This certificate was already revoked on %(date)s; nothing more to do.",
                    date=self.revoked_on.isoformat(),
                )
            )
        self.revoked_at = at
        self.revoke_reason = reason
        self.revoked_by_id = by.id

    def __repr__(self) -> str:
        return f"<Certificate {self.code} user={self.user_id} course={self.course_id}>"


class CertificateReminder(db.Model):
    """One expiry reminder queued for a certificate, so the sweep never sends it twice."""

    __tablename__ = "certificate_reminders"
    __table_args__ = (UniqueConstraint("certificate_id", "days_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"), index=True)
    #: The threshold of ``scheme.cycle.training_reminder_days`` it was sent for.
    days_before: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

"""CPD reminders sent: one row per accreditation and cycle year that ended short of the CPD
hours its role needs per year, so the daily sweep never sends the same reminder twice."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from educational.core.db import UTCDateTime, db, utcnow


class CpdReminderSent(db.Model):
    """The holder of ``accreditation_id`` was told that the cycle year ending on
    ``year_end`` ended short of CPD hours."""

    __tablename__ = "cpd_reminders_sent"
    __table_args__ = (UniqueConstraint("accreditation_id", "year_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    accreditation_id: Mapped[int] = mapped_column(ForeignKey("accreditations.id"), index=True)
    #: The last day of the cycle year that ended short.
    year_end: Mapped[date]
    #: Verified hours in that year, and the hours the role needs per year, when it was sent.
    hours: Mapped[float]
    needed: Mapped[float]
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

"""Witness assessments and report reviews: staff's findings on an accredited auditor's work,
with their evidence files."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from educational.core.db import UTCDateTime, db, utcnow
from educational.core.records import ASSESSMENT_RESULTS, AssessmentRecord


class AssessmentKind(StrEnum):
    #: Staff (or an assessor for them) watched the auditor audit.
    WITNESS = "witness"
    #: Staff reviewed an audit report the auditor wrote.
    REPORT_REVIEW = "report_review"


ASSESSMENT_KINDS = tuple(AssessmentKind)
__all__ = ["ASSESSMENT_KINDS", "ASSESSMENT_RESULTS", "Assessment", "AssessmentEvidence"]


class Assessment(db.Model):
    """One witness assessment or report review of one accredited person."""

    __tablename__ = "monitoring_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: One of ``ASSESSMENT_KINDS``.
    kind: Mapped[str] = mapped_column(String(20))
    #: The accreditation (role) whose holder was assessed.
    accreditation_id: Mapped[int] = mapped_column(ForeignKey("accreditations.id"), index=True)
    #: The person assessed (the accreditation's holder).
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: The day of the audit witnessed, or of the review.
    assessed_on: Mapped[date] = mapped_column(index=True)
    #: The audit assessed: the audited entity, the standard and sector (scheme codes) and
    #: the country (ISO 3166-1 alpha-2).
    entity: Mapped[str] = mapped_column(String(200))
    standard: Mapped[str] = mapped_column(String(20))
    sector: Mapped[str] = mapped_column(String(60), default="")
    country: Mapped[str] = mapped_column(String(2))
    #: Who assessed, as written by staff (an assessor need not have an account).
    assessor_name: Mapped[str] = mapped_column(String(200))
    #: One of ``core.records.ASSESSMENT_RESULTS``.
    result: Mapped[str] = mapped_column(String(20))
    #: Findings; shown to the person assessed (the form says so).
    notes: Mapped[str] = mapped_column(Text, default="")
    #: Set when an appeal overturned it: it then counts for nothing.
    overturned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    overturned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The staff member who recorded it.
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    accreditation = relationship("Accreditation")
    user = relationship("User", foreign_keys=[user_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    evidence: Mapped[list["AssessmentEvidence"]] = relationship(
        back_populates="assessment",
        cascade="all, delete-orphan",
        order_by="AssessmentEvidence.id",
    )

    @property
    def counts(self) -> bool:
        return self.overturned_at is None

    @property
    def appealable(self) -> bool:
        """Only a result other than satisfactory, not yet overturned, may be appealed."""
        return self.result != "satisfactory" and self.counts

    def as_record(self) -> AssessmentRecord:
        return AssessmentRecord(
            day=self.assessed_on,
            result=self.result,
            kind=self.kind,
            sector=self.sector or "",
            counts=self.counts,
            assessment_id=self.id,
        )


class AssessmentEvidence(db.Model):
    """A file supporting an assessment, stored under ``EVIDENCE_PATH`` by a random name
    (``experience.uploads``)."""

    __tablename__ = "monitoring_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("monitoring_assessments.id", ondelete="CASCADE"), index=True
    )
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="evidence")

"""Appeals and their evidence files.

Life cycle (``services`` moves it; ``rules`` says what is allowed)::

    lodged ──start_review──▶ under_review ──decide──▶ decided
       │                        │   ▲
       │                        │   └── send back (four-eyes: the second staff member
       │                        ▼         does not confirm)
       │                     proposed (four-eyes: a first decision) ──confirm──▶ decided
       └── withdrawn (by the appellant, while the appeal is open)

The outcome of a decided appeal is ``upheld`` (the original decision stands) or
``overturned`` (its effect is undone by the decision's kind, ``AppealKind.overturn``)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from educational.core.db import UTCDateTime, db, utcnow


class AppealStatus(StrEnum):
    LODGED = "lodged"
    UNDER_REVIEW = "under_review"
    #: Four-eyes: decided once, waiting for a second, different staff member to confirm.
    PROPOSED = "proposed"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"


class AppealOutcome(StrEnum):
    #: The original decision stands.
    UPHELD = "upheld"
    #: The original decision is set aside and its effect undone.
    OVERTURNED = "overturned"


OPEN_STATUSES = frozenset({AppealStatus.LODGED, AppealStatus.UNDER_REVIEW, AppealStatus.PROPOSED})


class Appeal(db.Model):
    """One appeal by the person affected against one decision (``kind`` and ``subject_id``
    name it, as the feature that took it registered it in ``kinds``)."""

    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    subject_id: Mapped[int] = mapped_column(index=True)
    #: "<kind>:<subject_id>" while the appeal is open, None once closed: unique, so a
    #: decision has at most one open appeal even when two are lodged at the same moment.
    open_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    appellant_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: The accreditation the decision affects, if any (the registry's "under appeal").
    accreditation_id: Mapped[int | None] = mapped_column(
        ForeignKey("accreditations.id"), index=True
    )
    #: What the decision was, as described when the appeal was lodged (the appellant's
    #: language); staff pages describe it again in theirs.
    summary: Mapped[str] = mapped_column(String(300))
    decision_url: Mapped[str | None] = mapped_column(String(300))
    #: When the original decision was taken, and by whom (users.id), when lodged.
    decision_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deciders: Mapped[list[int]] = mapped_column(JSON, default=list)
    grounds: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=AppealStatus.LODGED, index=True)
    lodged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: lodged_at + the scheme's appeal_decide_days, fixed when lodged.
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: The staff member who started the review.
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    review_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Four-eyes: the first decision, waiting to be confirmed.
    proposed_outcome: Mapped[str | None] = mapped_column(String(20))
    proposed_reasons: Mapped[str] = mapped_column(Text, default="")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Why the last proposal was sent back (shown to staff).
    sent_back_comment: Mapped[str] = mapped_column(Text, default="")
    #: The decision that took effect.
    outcome: Mapped[str | None] = mapped_column(String(20))
    reasons: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    appellant = relationship("User", foreign_keys=[appellant_id])
    reviewer = relationship("User", foreign_keys=[reviewer_id])
    proposed_by = relationship("User", foreign_keys=[proposed_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    evidence: Mapped[list["AppealEvidence"]] = relationship(
        back_populates="appeal", cascade="all, delete-orphan", order_by="AppealEvidence.id"
    )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue(self, now: datetime) -> bool:
        return self.is_open and now > self.due_at


class AppealEvidence(db.Model):
    """A file supporting an appeal, checked and stored by the experience evidence rules
    (``experience.uploads``)."""

    __tablename__ = "appeal_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    appeal: Mapped[Appeal] = relationship(back_populates="evidence")

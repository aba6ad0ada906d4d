"""Complaints about an accredited person (their registry profile) or an audit firm.

A complaint moves lodged -> acknowledged -> under_investigation <-> response_invited ->
decided, or is closed without a decision from any open state. Its deadlines come from the
scheme (``scheme.cycle.complaint_*_days``) and are computed, not stored, so a change of the
rules applies to the complaints already open. The complainant's name and address are
private: staff see them, the subject never does. The status link's token is stored only as
its SHA-256."""

import hashlib
import hmac
from datetime import datetime, timedelta
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, and_, or_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from educational.catalog.content.model import CycleRules
from educational.core.db import UTCDateTime, db, utcnow
from educational.core.errors import NotAllowed


class ComplaintStatus(StrEnum):
    LODGED = "lodged"
    ACKNOWLEDGED = "acknowledged"
    UNDER_INVESTIGATION = "under_investigation"
    RESPONSE_INVITED = "response_invited"
    DECIDED = "decided"
    CLOSED = "closed"


#: Allowed transitions: from -> {to}. Decided and closed are final (an appeal marks a
#: decision overturned; it does not reopen the complaint).
TRANSITIONS: dict[str, frozenset[str]] = {
    ComplaintStatus.LODGED: frozenset({"acknowledged", "closed"}),
    ComplaintStatus.ACKNOWLEDGED: frozenset(
        {"under_investigation", "response_invited", "decided", "closed"}
    ),
    ComplaintStatus.UNDER_INVESTIGATION: frozenset({"response_invited", "decided", "closed"}),
    ComplaintStatus.RESPONSE_INVITED: frozenset({"under_investigation", "decided", "closed"}),
    ComplaintStatus.DECIDED: frozenset(),
    ComplaintStatus.CLOSED: frozenset(),
}
OPEN_STATUSES = frozenset(
    {
        ComplaintStatus.LODGED,
        ComplaintStatus.ACKNOWLEDGED,
        ComplaintStatus.UNDER_INVESTIGATION,
        ComplaintStatus.RESPONSE_INVITED,
    }
)


class Outcome(StrEnum):
    UNFOUNDED = "unfounded"
    FOUNDED_NO_ACTION = "founded_no_action"
    WARNING = "warning"
    SUSPENSION = "suspension"
    WITHDRAWAL = "withdrawal"


#: Outcomes that uphold the complaint (the monitoring's risk factor; the registry's count).
UPHELD_OUTCOMES = frozenset(
    {Outcome.FOUNDED_NO_ACTION, Outcome.WARNING, Outcome.SUSPENSION, Outcome.WITHDRAWAL}
)
#: Outcome -> the accreditation status action it takes (decisions.change_status).
STATUS_ACTION = {Outcome.SUSPENSION: "suspend", Outcome.WITHDRAWAL: "withdraw"}

STATUS_LABELS = {
    "lodged": _l("Lodged"),
    "acknowledged": _l("Acknowledged"),
    "under_investigation": _l("Under investigation"),
    "response_invited": _l("Response invited"),
    "decided": _l("Decided"),
    "closed": _l("Closed"),
}
OUTCOME_LABELS = {
    "unfounded": _l("Unfounded"),
    "founded_no_action": _l("Founded, no action"),
    "warning": _l("Warning"),
    "suspension": _l("Suspension"),
    "withdrawal": _l("Withdrawal"),
}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Complaint(db.Model):
    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "C-2026-0007": the year lodged and the id; given once the row has its id.
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)
    #: The subject: a person's registry profile, or an audit firm (exactly one).
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("registry_profiles.id"), index=True)
    firm_id: Mapped[int | None] = mapped_column(ForeignKey("audit_firms.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    #: The complainant's account, None when anonymous.
    complainant_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Optional, for replies to an anonymous complainant. Staff only; never the subject.
    complainant_name: Mapped[str | None] = mapped_column(String(200))
    complainant_email: Mapped[str | None] = mapped_column(String(320))
    #: The language the complainant lodged in: their replies are written in it.
    complainant_locale: Mapped[str] = mapped_column(String(8), default="en")
    #: SHA-256 of the status link's secret.
    token_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(30), default=ComplaintStatus.LODGED, index=True)
    lodged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: What staff ask the subject to answer (the subject reads it).
    invitation: Mapped[str | None] = mapped_column(Text)
    response: Mapped[str | None] = mapped_column(Text)
    response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(30))
    #: Why: the complainant and the subject read them.
    outcome_reasons: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The accreditation a suspension or withdrawal changed, and the StatusChange it wrote.
    accreditation_id: Mapped[int | None] = mapped_column(ForeignKey("accreditations.id"))
    status_change_id: Mapped[int | None] = mapped_column(ForeignKey("status_changes.id"))
    #: Set when an appeal overturned the outcome.
    overturned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    overturn_reasons: Mapped[str | None] = mapped_column(Text)

    profile = relationship("RegistryProfile")
    firm = relationship("AuditFirm")
    complainant = relationship("User", foreign_keys=[complainant_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    accreditation = relationship("Accreditation")
    evidence: Mapped[list["ComplaintEvidence"]] = relationship(
        back_populates="complaint", order_by="ComplaintEvidence.id", cascade="all, delete-orphan"
    )
    notes: Mapped[list["ComplaintNote"]] = relationship(
        back_populates="complaint", order_by="ComplaintNote.id", cascade="all, delete-orphan"
    )

    # State

    def move(self, to: str) -> None:
        if to not in TRANSITIONS[self.status]:
            raise NotAllowed(
                _l(
                    "A complaint that is %(status)s cannot become %(to)s.",
                    status=STATUS_LABELS[self.status],
                    to=STATUS_LABELS[to],
                )
            )
        self.status = to

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @hybrid_property
    def upheld(self) -> bool:
        """Decided with an outcome that upholds it, and not overturned on appeal."""
        return (
            self.status == ComplaintStatus.DECIDED
            and self.outcome in UPHELD_OUTCOMES
            and self.overturned_at is None
        )

    @upheld.inplace.expression
    @classmethod
    def _upheld_expression(cls):
        return and_(
            cls.status == ComplaintStatus.DECIDED,
            cls.outcome.in_([str(o) for o in UPHELD_OUTCOMES]),
            cls.overturned_at.is_(None),
        )

    @hybrid_property
    def shown_to_subject(self) -> bool:
        """The subject sees a complaint once invited to respond or once it is decided (not
        while it is still being assessed)."""
        return self.invited_at is not None or self.status == ComplaintStatus.DECIDED

    @shown_to_subject.inplace.expression
    @classmethod
    def _shown_to_subject_expression(cls):
        return or_(cls.invited_at.is_not(None), cls.status == ComplaintStatus.DECIDED)

    @property
    def subject_user_id(self) -> int | None:
        return self.profile.user_id if self.profile is not None else None

    def token_matches(self, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(hash_token(token), self.token_hash)

    # Deadlines (from the scheme's rules, never stored)

    def acknowledge_by(self, rules: CycleRules) -> datetime:
        return self.lodged_at + timedelta(days=rules.complaint_acknowledge_days)

    def respond_by(self, rules: CycleRules) -> datetime | None:
        if self.invited_at is None:
            return None
        return self.invited_at + timedelta(days=rules.complaint_response_days)

    def decide_by(self, rules: CycleRules) -> datetime | None:
        if self.acknowledged_at is None:
            return None
        return self.acknowledged_at + timedelta(days=rules.complaint_decide_days)

    def overdue(self, rules: CycleRules, now: datetime) -> list[str]:
        """The steps past their deadline: "acknowledge", "respond", "decide"."""
        late = []
        if self.status == ComplaintStatus.LODGED and now > self.acknowledge_by(rules):
            late.append("acknowledge")
        respond_by = self.respond_by(rules)
        if (
            self.status == ComplaintStatus.RESPONSE_INVITED
            and self.response_at is None
            and respond_by is not None
            and now > respond_by
        ):
            late.append("respond")
        decide_by = self.decide_by(rules)
        if self.is_open and decide_by is not None and now > decide_by:
            late.append("decide")
        return late


class ComplaintEvidence(db.Model):
    """A file the complainant sent, stored under ``EVIDENCE_PATH`` by a random name; staff
    only (it may name the complainant)."""

    __tablename__ = "complaint_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), index=True
    )
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="evidence")


class ComplaintNote(db.Model):
    """A staff member's investigation note: internal, never shown outside the staff pages."""

    __tablename__ = "complaint_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="notes")
    author = relationship("User")

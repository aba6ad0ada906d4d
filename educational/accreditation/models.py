"""Applications, accreditations and audit firms.

An accreditation's status changes only through its methods (``suspend``, ``reinstate``,
``withdraw``, ``expire``, ``renew``), which refuse transitions the scheme does not allow and
write a ``StatusChange`` row: the public status history and the change feed are read from
those rows, and every change is also an ``AuditEvent`` in the hash chain (written by the
services that call the methods)."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from educational.core.db import UTCDateTime, db, utcnow
from educational.core.errors import NotAllowed


class AccreditationStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


#: Allowed transitions: from -> {to}. Withdrawn is final; an expired accreditation comes
#: back only through an approved renewal.
TRANSITIONS: dict[str, frozenset[str]] = {
    AccreditationStatus.ACTIVE: frozenset({"suspended", "withdrawn", "expired", "active"}),
    AccreditationStatus.SUSPENDED: frozenset({"active", "withdrawn", "expired"}),
    AccreditationStatus.EXPIRED: frozenset({"active"}),
    AccreditationStatus.WITHDRAWN: frozenset(),
}


class RegistryProfile(db.Model):
    """A person's entry in the public registry: the registry id, stable forever, issued at
    their first approval, and their consent to publication."""

    __tablename__ = "registry_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    #: Scheme prefix and number, e.g. "ASI-000123". Never reused, never changed.
    registry_id: Mapped[str] = mapped_column(String(40), unique=True)
    #: Consent to appear in the public registry, API and statistics (given in the application).
    public: Mapped[bool] = mapped_column(default=False)
    consent_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User")
    accreditations: Mapped[list["Accreditation"]] = relationship(
        back_populates="profile", order_by="Accreditation.id"
    )


class Accreditation(db.Model):
    """One role held by a person (auditor, lead_auditor or specialist) with its scopes."""

    __tablename__ = "accreditations"
    __table_args__ = (UniqueConstraint("profile_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("registry_profiles.id"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default=AccreditationStatus.ACTIVE, index=True)
    valid_from: Mapped[date]
    #: The last day the accreditation is valid.
    valid_until: Mapped[date] = mapped_column(index=True)
    #: ISO 3166-1 alpha-2 codes the holder may audit in.
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Specialist areas (specialists only).
    specialist_areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: The application whose approval created or last extended it.
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", use_alter=True)
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    profile: Mapped[RegistryProfile] = relationship(back_populates="accreditations")
    scopes: Mapped[list["AccreditationScope"]] = relationship(
        back_populates="accreditation",
        cascade="all, delete-orphan",
        order_by="AccreditationScope.id",
    )
    changes: Mapped[list["StatusChange"]] = relationship(
        back_populates="accreditation", order_by="StatusChange.id"
    )

    def _move(self, to: str, *, reason: str, actor_id: int | None, on: datetime) -> "StatusChange":
        if to not in TRANSITIONS[self.status]:
            raise NotAllowed(
                _l(
                    "An accreditation that is %(status)s cannot become %(to)s.",
                    status=self.status,
                    to=to,
                )
            )
        if actor_id is not None and not reason.strip():
            raise NotAllowed(_l("Give the reason for this decision; it goes on the record."))
        change = StatusChange(
            accreditation=self,
            from_status=self.status,
            to_status=to,
            reason=reason.strip(),
            actor_id=actor_id,
            occurred_at=on,
        )
        self.status, self.updated_at = to, on
        db.session.add(change)
        return change

    def suspend(self, reason: str, *, actor_id: int, on: datetime | None = None) -> "StatusChange":
        if self.status != AccreditationStatus.ACTIVE:
            raise NotAllowed(_l("Only an active accreditation can be suspended."))
        return self._move("suspended", reason=reason, actor_id=actor_id, on=on or utcnow())

    def reinstate(
        self, reason: str, *, actor_id: int, on: datetime | None = None
    ) -> "StatusChange":
        if self.status != AccreditationStatus.SUSPENDED:
            raise NotAllowed(_l("Only a suspended accreditation can be reinstated."))
        return self._move("active", reason=reason, actor_id=actor_id, on=on or utcnow())

    def withdraw(self, reason: str, *, actor_id: int, on: datetime | None = None) -> "StatusChange":
        return self._move("withdrawn", reason=reason, actor_id=actor_id, on=on or utcnow())

    def expire(self, *, on: datetime | None = None) -> "StatusChange":
        """By the sweep, when valid_until has passed."""
        return self._move("expired", reason="validity ended", actor_id=None, on=on or utcnow())

    def renew(
        self, valid_until: date, reason: str, *, actor_id: int, on: datetime | None = None
    ) -> "StatusChange | None":
        """An approved renewal: a new validity end, and active again if it had expired."""
        if self.status == AccreditationStatus.WITHDRAWN:
            raise NotAllowed(_l("A withdrawn accreditation cannot be renewed; apply anew."))
        self.valid_until = valid_until
        if self.status == AccreditationStatus.EXPIRED:
            return self._move("active", reason=reason, actor_id=actor_id, on=on or utcnow())
        return None


class ScopeStatus(StrEnum):
    ACTIVE = "active"
    #: The standard's transition ended and the holder has not passed the new version's course.
    LAPSED = "lapsed"


class AccreditationScope(db.Model):
    """A standard and sector an accreditation covers (auditors); specialists have none."""

    __tablename__ = "accreditation_scopes"
    __table_args__ = (UniqueConstraint("accreditation_id", "standard", "sector"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    accreditation_id: Mapped[int] = mapped_column(ForeignKey("accreditations.id"), index=True)
    standard: Mapped[str] = mapped_column(String(20), index=True)
    #: The standard version the holder is trained for (the course passed).
    version: Mapped[str] = mapped_column(String(20))
    sector: Mapped[str] = mapped_column(String(60), index=True)
    status: Mapped[str] = mapped_column(String(20), default=ScopeStatus.ACTIVE)
    lapsed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    accreditation: Mapped[Accreditation] = relationship(back_populates="scopes")


class StatusChange(db.Model):
    """One status change of an accreditation: the public history and the change feed."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    accreditation_id: Mapped[int] = mapped_column(ForeignKey("accreditations.id"), index=True)
    #: None for a new accreditation.
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    #: None: the system (the sweep).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    accreditation: Mapped[Accreditation] = relationship(back_populates="changes")


class ApplicationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    INFO_REQUESTED = "info_requested"
    #: Four-eyes schemes: approved once, waiting for a second staff member.
    FIRST_APPROVAL = "first_approval"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class ApplicationKind(StrEnum):
    INITIAL = "initial"
    RENEWAL = "renewal"


#: Application statuses from which the applicant may still act (edit, submit, withdraw) or
#: staff still decide: not yet approved, rejected or withdrawn.
OPEN_APPLICATION_STATUSES = frozenset(
    {
        ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.INFO_REQUESTED,
        ApplicationStatus.FIRST_APPROVAL,
    }
)
#: Where the applicant may edit and (re)submit from.
EDITABLE_APPLICATION_STATUSES = frozenset(
    {ApplicationStatus.DRAFT, ApplicationStatus.INFO_REQUESTED}
)
#: Waiting for staff.
AWAITING_DECISION_STATUSES = frozenset(
    {ApplicationStatus.SUBMITTED, ApplicationStatus.FIRST_APPROVAL}
)


class Application(db.Model):
    """An application for a role (initial) or for the renewal of an accreditation.

    Life cycle (the methods below refuse any other move with ``NotAllowed``)::

        draft ──submit──▶ submitted ──approve──▶ approved
          ▲                 │  │  └──first_approve (four-eyes)──▶ first_approval ──approve──▶
          │                 │  └──reject──▶ rejected          (reject / request information
          └─ info_requested ◀─request_information─┘            from there too)

    and the applicant may withdraw it while it is open (draft to first_approval)."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default=ApplicationKind.INITIAL)
    role: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default=ApplicationStatus.DRAFT, index=True)
    #: [{"standard": "PS", "sector": "aluminium-smelting"}, ...]
    scopes: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    specialist_areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Consent to publication in the public registry.
    consent_to_publish: Mapped[bool] = mapped_column(default=False)
    #: The learner's note to the reviewer.
    statement: Mapped[str] = mapped_column(Text, default="")
    #: The requirement checklist as evaluated at submission (and again at decision).
    checklist: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    first_approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The reviewer's last written reason or request.
    staff_comment: Mapped[str] = mapped_column(Text, default="")
    #: The accreditation a renewal extends.
    accreditation_id: Mapped[int | None] = mapped_column(ForeignKey("accreditations.id"))
    #: Four-eyes schemes: when the first approval was given (first_approver_id: by whom).
    first_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The requirement checklist as evaluated at the final decision (``checklist`` keeps the
    #: one taken at the last submission, so staff and the record can compare the two).
    decision_checklist: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)

    user = relationship("User", foreign_keys=[user_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    first_approver = relationship("User", foreign_keys=[first_approver_id])
    accreditation: Mapped["Accreditation | None"] = relationship(foreign_keys=[accreditation_id])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_APPLICATION_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_APPLICATION_STATUSES

    @property
    def awaits_decision(self) -> bool:
        return self.status in AWAITING_DECISION_STATUSES

    def submit(self, checklist: list[dict[str, Any]], *, on: datetime) -> None:
        """Send it to staff, with the checklist evaluated now (first time or after a
        request for information)."""
        if not self.is_editable:
            raise NotAllowed(_l("This application is already with the secretariat or decided."))
        self.status, self.submitted_at, self.checklist = ApplicationStatus.SUBMITTED, on, checklist
        self.first_approver_id = self.first_approved_at = None

    def withdraw(self) -> None:
        if not self.is_open:
            raise NotAllowed(_l("This application is already decided or withdrawn."))
        self.status = ApplicationStatus.WITHDRAWN

    def first_approve(self, reason: str, *, actor_id: int, on: datetime) -> None:
        if self.status != ApplicationStatus.SUBMITTED:
            raise NotAllowed(_l("Only a submitted application can receive a first approval."))
        self.status, self.first_approver_id, self.first_approved_at = (
            ApplicationStatus.FIRST_APPROVAL,
            actor_id,
            on,
        )
        self.staff_comment = reason

    def approve(
        self, reason: str, checklist: list[dict[str, Any]], *, actor_id: int, on: datetime
    ) -> None:
        self.check_approval(actor_id)
        self._decided(ApplicationStatus.APPROVED, reason, actor_id, on)
        self.decision_checklist = checklist

    def check_approval(self, actor_id: int) -> None:
        """Refuse (``NotAllowed``) unless ``actor_id`` may approve it now."""
        if not self.awaits_decision:
            raise NotAllowed(_l("Only an application waiting for a decision can be approved."))
        if self.first_approver_id is not None and self.first_approver_id == actor_id:
            raise NotAllowed(
                _l("You gave the first approval; a different staff member must give the final one.")
            )

    def reject(self, reason: str, *, actor_id: int, on: datetime) -> None:
        if not self.awaits_decision:
            raise NotAllowed(_l("Only an application waiting for a decision can be rejected."))
        self._decided(ApplicationStatus.REJECTED, reason, actor_id, on)

    def request_information(self, request: str, *, actor_id: int, on: datetime) -> None:
        if not self.awaits_decision:
            raise NotAllowed(
                _l("Information can only be requested on an application waiting for a decision.")
            )
        self._decided(ApplicationStatus.INFO_REQUESTED, request, actor_id, on)
        # A first approval was given on what the applicant is now asked to change.
        self.first_approver_id = self.first_approved_at = None

    def _decided(self, status: str, comment: str, actor_id: int, on: datetime) -> None:
        self.status, self.staff_comment = status, comment
        self.decided_at, self.decided_by_id = on, actor_id


class FirmStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


class AuditFirm(db.Model):
    __tablename__ = "audit_firms"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    country: Mapped[str] = mapped_column(String(2))
    #: The accreditation body (recognised by the IAF or EA), e.g. "DAkkS".
    accreditation_body: Mapped[str] = mapped_column(String(200))
    #: "ISO/IEC 17021-1", "ISO/IEC 17065" or an equivalent.
    accreditation_standard: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20), default=FirmStatus.ACTIVE)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    affiliations: Mapped[list["FirmAffiliation"]] = relationship(back_populates="firm")


class FirmAffiliation(db.Model):
    """A person attached to a firm; freelancers can be attached to several."""

    __tablename__ = "firm_affiliations"
    __table_args__ = (UniqueConstraint("firm_id", "profile_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("audit_firms.id"), index=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("registry_profiles.id"), index=True)
    since: Mapped[date]
    #: None while current.
    until: Mapped[date | None]

    firm: Mapped[AuditFirm] = relationship(back_populates="affiliations")
    profile: Mapped[RegistryProfile] = relationship()


class ReminderSent(db.Model):
    """One expiry reminder queued, so the sweep never sends the same one twice."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("accreditation_id", "valid_until", "days_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    accreditation_id: Mapped[int] = mapped_column(ForeignKey("accreditations.id"))
    #: The validity end the reminder was about (a renewal starts a new series).
    valid_until: Mapped[date]
    days_before: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RegistrySequence(db.Model):
    """The last registry number issued per scheme prefix. Numbers are taken by an atomic
    ``UPDATE ... RETURNING`` in the approving transaction, so two approvals at the same time
    never get the same number, and a number is never issued twice (profiles are never
    deleted, and the counter never goes back)."""

    __tablename__ = "registry_sequences"

    #: The scheme's code, the prefix of its registry ids ("ASI").
    prefix: Mapped[str] = mapped_column(String(20), primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)

"""Applications for a role (initial) or for the renewal of an accreditation, and their
life cycle."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from educational.core.db import UTCDateTime, db, utcnow
from educational.core.errors import NotAllowed

from .accreditations import Accreditation


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

    and the applicant may withdraw it while it is open (draft to first_approval). An appeal
    that overturns a rejection re-opens it (``reopen``: rejected -> submitted)."""

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

    def reopen(self, reason: str, *, actor_id: int, on: datetime) -> None:
        """An appeal overturned the rejection: the application waits for a decision again
        (submitted, from ``on``), with the appeal's reasons as the last staff comment. Only
        a rejected application can be re-opened."""
        if self.status != ApplicationStatus.REJECTED:
            raise NotAllowed(_l("Only a rejected application can be re-opened for review."))
        self.status, self.submitted_at, self.staff_comment = (
            ApplicationStatus.SUBMITTED,
            on,
            reason,
        )
        self.decided_at = self.decided_by_id = None
        self.first_approver_id = self.first_approved_at = None

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

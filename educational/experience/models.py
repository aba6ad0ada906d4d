"""The experience log: one table per kind of entry, on a common base that carries the owner
and the verification life cycle, and the evidence files attached to any entry.

Life cycle (``EntryStatus``)::

    draft ──submit──▶ submitted ──verify──▶ verified ──owner edits──▶ submitted
                          │  ▲
       reject / request   │  └── owner resubmits (from rejected or info_requested)
       information        ▼
                 rejected / info_requested

Conflict-of-interest declarations need no verification (they count against the person
who makes them): they are ``declared`` from the start and never enter the queue.

Entries that were verified at least once, and every conflict declaration, are never erased:
deleting one *withdraws* it (``withdrawn_at``), so it stops counting, leaves the learner's
list and keeps its evidence and history for staff. Other entries are erased with their files.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from flask_babel import gettext as _
from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from educational.core.db import UTCDateTime, db, utcnow
from educational.core.errors import DomainError, NotAllowed
from educational.core.names import language_name
from educational.core.records import AUDIT_ROLES as AUDIT_ROLES


class EntryStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    REJECTED = "rejected"
    INFO_REQUESTED = "info_requested"
    #: Conflict declarations: count as soon as they are saved, no verification.
    DECLARED = "declared"


#: The subject type of every audit event about an entry, whatever its kind.
SUBJECT_TYPE = "experience_entries"

#: Where the owner may send an entry (back) to staff from.
SUBMITTABLE = frozenset({EntryStatus.DRAFT, EntryStatus.REJECTED, EntryStatus.INFO_REQUESTED})

#: Audit-log vocabularies (IRCA / Exemplar Global practice; the roles: ``core.records``).
AUDIT_TYPES = ("certification", "surveillance", "recertification", "other")
CONFLICT_NATURES = ("consulting", "employment", "other")
PROFICIENCIES = ("A1", "A2", "B1", "B2", "C1", "C2", "native")


class ExperienceEntry(db.Model):
    """What every entry has: an owner, a kind and the verification state."""

    __tablename__ = "experience_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: The key of ``ENTRY_KINDS``: audit, work, qualification, language, conflict.
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=EntryStatus.DRAFT, index=True)
    #: Counts the owner's changes (fields or evidence), so a staff decision taken on a page
    #: the owner has changed since is refused.
    revision: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When it last entered the queue; the queue's age is counted from here.
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    #: The last verification. Kept when the owner edits a verified entry, as history.
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The staff member and time of the last decision (verify, reject, ask for information).
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The reason or question of the last decision, shown to the owner.
    staff_comment: Mapped[str | None] = mapped_column(Text)
    #: Set instead of erasing an entry that must stay on the record (see module docstring).
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User", foreign_keys=[user_id])
    verified_by = relationship("User", foreign_keys=[verified_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    evidence: Mapped[list["Evidence"]] = relationship(
        back_populates="entry", order_by="Evidence.id", cascade="all, delete-orphan"
    )

    __mapper_args__: ClassVar[dict[str, Any]] = {"polymorphic_on": "kind"}

    #: False for kinds that count without staff verification.
    needs_verification: ClassVar[bool] = True
    #: The columns the owner fills in through the kind's form.
    FIELDS: ClassVar[tuple[str, ...]] = ()

    @property
    def heading(self) -> str:
        """How lists name the entry."""
        raise NotImplementedError

    @property
    def counts(self) -> bool:
        """Whether the entry counts toward the scheme's rules today."""
        if self.withdrawn_at is not None:
            return False
        return self.status == EntryStatus.VERIFIED or not self.needs_verification

    @property
    def is_submittable(self) -> bool:
        """The owner may send it (back) to the secretariat now (``SUBMITTABLE``)."""
        return self.needs_verification and self.withdrawn_at is None and self.status in SUBMITTABLE

    @property
    def ever_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def must_be_kept(self) -> bool:
        """Withdrawn rather than erased when its owner deletes it."""
        return self.ever_verified or not self.needs_verification

    # The state machine. Each method checks the transition and changes the state.

    def submit(self) -> None:
        if not self.needs_verification:
            raise NotAllowed(_("This entry counts as soon as it is saved; nothing to submit."))
        self._refuse_if_withdrawn()
        if not self.is_submittable:
            raise NotAllowed(
                _("This entry is already with the secretariat or verified; edit it instead.")
            )
        self.status = EntryStatus.SUBMITTED
        self.submitted_at = utcnow()

    def changed_by_owner(self) -> bool:
        """Note a change of fields or evidence by the owner. A verified entry goes back to
        the queue, as a change needs verifying again; returns True when that happened."""
        self._refuse_if_withdrawn()
        self.revision += 1
        self.updated_at = utcnow()
        if self.status == EntryStatus.VERIFIED:
            self.status = EntryStatus.SUBMITTED
            self.submitted_at = self.updated_at
            return True
        return False

    def verify(self, staff, comment: str | None = None) -> None:
        self._check_decision(staff)
        self.status = EntryStatus.VERIFIED
        self.verified_at = utcnow()
        self.verified_by_id = staff.id
        self._decided(staff, comment or None)

    def reject(self, staff, reason: str) -> None:
        self._check_decision(staff)
        if not (reason or "").strip():
            raise DomainError(_("Write the reason for the rejection."), field="comment")
        self.status = EntryStatus.REJECTED
        self._decided(staff, reason.strip())

    def request_information(self, staff, comment: str) -> None:
        self._check_decision(staff)
        if not (comment or "").strip():
            raise DomainError(_("Write what the learner should add or explain."), field="comment")
        self.status = EntryStatus.INFO_REQUESTED
        self._decided(staff, comment.strip())

    def withdraw(self) -> None:
        self._refuse_if_withdrawn()
        self.withdrawn_at = utcnow()

    def _decided(self, staff, comment: str | None) -> None:
        self.decided_at = utcnow()
        self.decided_by_id = staff.id
        self.staff_comment = comment

    def _check_decision(self, staff) -> None:
        self._refuse_if_withdrawn()
        if staff.id == self.user_id:
            raise DomainError(
                _("You cannot decide on your own entry; another staff member must review it.")
            )
        if self.status != EntryStatus.SUBMITTED:
            raise NotAllowed(
                _(
                    "Only submitted entries can be decided on; this one is %(status)s.",
                    status=self.status.replace("_", " "),
                )
            )

    def _refuse_if_withdrawn(self) -> None:
        if self.withdrawn_at is not None:
            raise NotAllowed(_("This entry was withdrawn and can no longer change."))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id} {self.status}>"


def _entry_id() -> Mapped[int]:
    return mapped_column(ForeignKey("experience_entries.id", ondelete="CASCADE"), primary_key=True)


class AuditEntry(ExperienceEntry):
    """One audit, with the fields of an IRCA / Exemplar Global audit log."""

    __tablename__ = "audit_entries"
    __mapper_args__: ClassVar[dict[str, Any]] = {
        "polymorphic_identity": "audit",
        "polymorphic_load": "selectin",
    }
    FIELDS = (
        "start_date",
        "end_date",
        "onsite_days",
        "offsite_days",
        "audit_role",
        "team_size",
        "standard",
        "standard_version",
        "sectors",
        "country",
        "entity",
        "audit_type",
        "reference_name",
        "reference_contact",
        "notes",
    )

    id: Mapped[int] = _entry_id()
    start_date: Mapped[date]
    end_date: Mapped[date]
    #: Person-days, in steps of half a day.
    onsite_days: Mapped[float]
    offsite_days: Mapped[float]
    #: One of ``AUDIT_ROLES``.
    audit_role: Mapped[str] = mapped_column(String(30))
    team_size: Mapped[int]
    #: A standard code of the scheme (PS, COC) and one of its versions.
    standard: Mapped[str] = mapped_column(String(20))
    standard_version: Mapped[str] = mapped_column(String(20))
    #: Sector codes the standard covers.
    sectors: Mapped[list[str]] = mapped_column(JSON)
    #: ISO 3166-1 alpha-2.
    country: Mapped[str] = mapped_column(String(2))
    #: The audited organisation or site.
    entity: Mapped[str] = mapped_column(String(200))
    #: One of ``AUDIT_TYPES``.
    audit_type: Mapped[str] = mapped_column(String(30))
    #: Someone independent of the learner who can confirm the audit.
    reference_name: Mapped[str] = mapped_column(String(200))
    #: Their e-mail address or telephone number.
    reference_contact: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(Text, default="")

    @property
    def heading(self) -> str:
        return f"{self.entity} ({self.standard} v{self.standard_version})"


class WorkEntry(ExperienceEntry):
    """A position held; counts toward sector experience and specialist areas."""

    __tablename__ = "work_entries"
    __mapper_args__: ClassVar[dict[str, Any]] = {
        "polymorphic_identity": "work",
        "polymorphic_load": "selectin",
    }
    FIELDS = (
        "employer",
        "position",
        "sector",
        "country",
        "start_date",
        "end_date",
        "specialist_areas",
        "description",
    )

    id: Mapped[int] = _entry_id()
    employer: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200))
    #: A sector code of the scheme, or None for work outside its sectors.
    sector: Mapped[str | None] = mapped_column(String(40))
    country: Mapped[str] = mapped_column(String(2))
    start_date: Mapped[date]
    #: None: the position is held today.
    end_date: Mapped[date | None]
    #: Specialist-area codes of the scheme the work gave experience in.
    specialist_areas: Mapped[list[str]] = mapped_column(JSON)
    description: Mapped[str] = mapped_column(Text, default="")

    @property
    def heading(self) -> str:
        return f"{self.position}, {self.employer}"


class Qualification(ExperienceEntry):
    __tablename__ = "qualifications"
    __mapper_args__: ClassVar[dict[str, Any]] = {
        "polymorphic_identity": "qualification",
        "polymorphic_load": "selectin",
    }
    FIELDS = ("title", "issuer", "qualification_kind", "obtained_on", "expires_on")

    id: Mapped[int] = _entry_id()
    #: The qualification's name as on its certificate.
    title: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str] = mapped_column(String(200))
    #: management-system-auditor (an ISO 19011-based lead-auditor course), other, or a kind
    #: a requirement of the scheme names.
    qualification_kind: Mapped[str] = mapped_column(String(60))
    obtained_on: Mapped[date]
    expires_on: Mapped[date | None]

    @property
    def heading(self) -> str:
        return self.title


class LanguageSkill(ExperienceEntry):
    __tablename__ = "language_skills"
    __mapper_args__: ClassVar[dict[str, Any]] = {
        "polymorphic_identity": "language",
        "polymorphic_load": "selectin",
    }
    FIELDS = ("language", "proficiency")

    id: Mapped[int] = _entry_id()
    #: ISO 639-1.
    language: Mapped[str] = mapped_column(String(2))
    #: CEFR level A1 to C2, or native.
    proficiency: Mapped[str] = mapped_column(String(10))

    @property
    def heading(self) -> str:
        return f"{language_name(self.language)} ({self.proficiency})"


class ConflictDeclaration(ExperienceEntry):
    """A consulting or employment link with an entity: an eligibility check for that entity
    fails within the scheme's window. Counts as declared, whatever staff think of it."""

    __tablename__ = "conflict_declarations"
    __mapper_args__: ClassVar[dict[str, Any]] = {
        "polymorphic_identity": "conflict",
        "polymorphic_load": "selectin",
    }
    needs_verification = False
    FIELDS = ("entity", "nature", "start_date", "end_date", "notes")

    id: Mapped[int] = _entry_id()
    entity: Mapped[str] = mapped_column(String(200))
    #: One of ``CONFLICT_NATURES``.
    nature: Mapped[str] = mapped_column(String(20))
    start_date: Mapped[date]
    #: None: the link continues.
    end_date: Mapped[date | None]
    notes: Mapped[str] = mapped_column(Text, default="")

    @property
    def heading(self) -> str:
        return self.entity


class CpdActivity(ExperienceEntry):
    """A continuing professional development (CPD) activity: hours in one of the scheme's
    CPD categories. Verified hours count toward the CPD a role needs at renewal
    (``accreditation.rules.cpd``); the evidence rules are those of audits."""

    __tablename__ = "cpd_activities"
    __mapper_args__: ClassVar[dict[str, Any]] = {
        "polymorphic_identity": "cpd",
        "polymorphic_load": "selectin",
    }
    FIELDS = ("activity_date", "hours", "category", "provider", "description")

    id: Mapped[int] = _entry_id()
    #: The day it took place (the last day, for an activity over several days).
    activity_date: Mapped[date] = mapped_column(index=True)
    #: Hours, with at most one decimal or in quarter hours (1.5, 0.25).
    hours: Mapped[float]
    #: A CPD category code of the scheme (``Scheme.cpd_categories``).
    category: Mapped[str] = mapped_column(String(40))
    #: Who ran it (a training body, a conference), or "self" for self-study.
    provider: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    @property
    def heading(self) -> str:
        return _("%(provider)s (%(hours)s h)", provider=self.provider, hours=f"{self.hours:g}")


#: The entry classes by kind, in the order the pages show them.
ENTRY_KINDS: dict[str, type[ExperienceEntry]] = {
    "audit": AuditEntry,
    "work": WorkEntry,
    "qualification": Qualification,
    "language": LanguageSkill,
    "cpd": CpdActivity,
    "conflict": ConflictDeclaration,
}


class Evidence(db.Model):
    """A file supporting an entry, stored under ``EVIDENCE_PATH`` by a random name."""

    __tablename__ = "experience_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("experience_entries.id", ondelete="CASCADE"), index=True
    )
    #: The random file name on disk; never anything the client sent.
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    #: The client's file name, sanitised; for display and the download's file name only.
    display_name: Mapped[str] = mapped_column(String(200))
    #: Found from the content: application/pdf, image/png or image/jpeg.
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    entry: Mapped[ExperienceEntry] = relationship(back_populates="evidence")

    @property
    def locked(self) -> bool:
        """Part of the entry's last verification, so kept as it was."""
        verified_at = self.entry.verified_at
        return verified_at is not None and self.uploaded_at <= verified_at

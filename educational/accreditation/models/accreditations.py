"""Accreditations: the registry profile, each role held with its scopes and status history,
expiry reminders sent and the registry number sequence.

An accreditation's status changes only through its methods (``suspend``, ``reinstate``,
``withdraw``, ``expire``, ``renew``; ``restore_on_appeal``), which refuse transitions the
scheme does not allow and write a ``StatusChange`` row: the public status history and the
change feed are read from those rows, and every change is also an ``AuditEvent`` in the
hash chain (written by the services that call the methods). Today's status is one rule for
Python and SQL (``Accreditation.shown_status`` and ``Accreditation.shows``)."""

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, and_, case, or_
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from educational.core.db import UTCDateTime, db, utcnow
from educational.core.errors import NotAllowed

from ..rules.status import shown_status


class AccreditationStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


#: Allowed transitions: from -> {to}. Withdrawn is final; an expired accreditation comes
#: back only through an approved renewal. The one exception: an appeal that overturns the
#: withdrawal (educational/appeals) moves it back to active through its own method,
#: ``Accreditation.restore_on_appeal``, which does not go through this table.
TRANSITIONS: dict[str, frozenset[str]] = {
    AccreditationStatus.ACTIVE: frozenset({"suspended", "withdrawn", "expired", "active"}),
    AccreditationStatus.SUSPENDED: frozenset({"active", "withdrawn", "expired"}),
    AccreditationStatus.EXPIRED: frozenset({"active"}),
    AccreditationStatus.WITHDRAWN: frozenset(),
}
#: Statuses from which the holder may apply for a renewal (a suspended accreditation must be
#: reinstated first; a withdrawn one is final).
RENEWABLE_STATUSES = frozenset({AccreditationStatus.ACTIVE, AccreditationStatus.EXPIRED})


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

    # Today's status, one rule for Python and SQL (``rules.status.shown_status``).

    @hybrid_method
    def shown_status(self, today: date) -> str:
        """The status the registry shows on ``today``: active past ``valid_until`` is
        expired, even before the nightly sweep records it."""
        return shown_status(self.status, self.valid_until, today)

    @shown_status.expression
    def shown_status(cls, today: date):
        return case(
            (and_(cls.status == AccreditationStatus.ACTIVE, cls.valid_until < today), "expired"),
            else_=cls.status,
        )

    @hybrid_method
    def shows(self, status: str, today: date) -> bool:
        """Whether it shows ``status`` on ``today``; in SQL, a condition the status and
        valid_until indexes serve."""
        return self.shown_status(today) == status

    @shows.expression
    def shows(cls, status: str, today: date):
        active = cls.status == AccreditationStatus.ACTIVE
        if status == AccreditationStatus.ACTIVE:
            return and_(active, cls.valid_until >= today)
        if status == AccreditationStatus.EXPIRED:
            return or_(cls.status == status, and_(active, cls.valid_until < today))
        return cls.status == status

    @property
    def renewable(self) -> bool:
        """Whether a renewal may be applied for and granted (see ``RENEWABLE_STATUSES``)."""
        return self.status in RENEWABLE_STATUSES

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

    def restore_on_appeal(
        self, reason: str, *, actor_id: int, on: datetime | None = None
    ) -> "StatusChange":
        """An appeal overturned the withdrawal: withdrawn -> active, outside ``TRANSITIONS``
        (where withdrawn is final), with a ``StatusChange`` row like every other change, so
        the status history and the change feed carry it ("reinstated")."""
        if self.status != AccreditationStatus.WITHDRAWN:
            raise NotAllowed(_l("Only a withdrawn accreditation can be restored on appeal."))
        if not reason.strip():
            raise NotAllowed(_l("Give the reason for this decision; it goes on the record."))
        on = on or utcnow()
        change = StatusChange(
            accreditation=self,
            from_status=self.status,
            to_status=AccreditationStatus.ACTIVE,
            reason=reason.strip(),
            actor_id=actor_id,
            occurred_at=on,
        )
        self.status, self.updated_at = AccreditationStatus.ACTIVE, on
        db.session.add(change)
        return change

    def expire(self, *, on: datetime | None = None) -> "StatusChange":
        """By the sweep, when valid_until has passed."""
        return self._move("expired", reason="validity ended", actor_id=None, on=on or utcnow())

    def renew(
        self, valid_until: date, reason: str, *, actor_id: int, on: datetime | None = None
    ) -> "StatusChange | None":
        """An approved renewal: a new validity end, and active again if it had expired."""
        if not self.renewable:
            if self.status == AccreditationStatus.WITHDRAWN:
                raise NotAllowed(_l("A withdrawn accreditation cannot be renewed; apply anew."))
            raise NotAllowed(
                _l("The accreditation is suspended. Reinstate it first, or reject this renewal.")
            )
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

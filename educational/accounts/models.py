from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from educational.core.db import UTCDateTime, db, utcnow
from educational.core.errors import NotAllowed
from educational.core.permissions import Role


class MembershipClass(StrEnum):
    """ASI's six membership classes; the first two can be certified."""

    PRODUCTION_TRANSFORMATION = "production-transformation"
    INDUSTRIAL_USERS = "industrial-users"
    CIVIL_SOCIETY = "civil-society"
    DOWNSTREAM_SUPPORTERS = "downstream-supporters"
    ASSOCIATIONS = "associations"
    GENERAL_SUPPORTERS = "general-supporters"


class Organisation(db.Model):
    """A member company of the scheme; its staff hold the member role."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    membership_class: Mapped[str] = mapped_column(String(40))
    #: ISO 3166-1 alpha-2 code of the head office.
    country: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list["User"]] = relationship(back_populates="organisation")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lower-cased; the log-in name.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    #: The name as it should appear on certificates and in the registry.
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default=Role.LEARNER)
    #: IANA time zone name, for showing dates and deadlines.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    #: Preferred interface and content language (ISO 639-1).
    locale: Mapped[str] = mapped_column(String(8), default="en")
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Disabled accounts cannot log in; history is kept.
    active: Mapped[bool] = mapped_column(default=True)
    #: When the person's data was erased at their request (the account stays as a
    #: pseudonym, "Erased person <id>", for what must stay verifiable).
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))

    organisation: Mapped[Organisation | None] = relationship(back_populates="members")

    # Not columns: the log-in session this request runs under, and the token its cookies carry
    # (only its hash is stored). Set by accounts.sessions when it starts or loads one.
    login_session = None
    login_token = None

    def get_id(self) -> str:
        """What Flask-Login puts in the session and remember cookies: the log-in session's
        token, never anything that outlives a log-out."""
        if self.login_token is None:
            raise RuntimeError("Log in through accounts.sessions.start_login_session.")
        return self.login_token

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.STAFF, Role.ADMIN)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


class LoginSession(db.Model):
    """One log-in on one browser. The session and remember cookies carry its random token;
    logging out deletes the row, so a replayed cookie opens nothing."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 (hex) of the token the cookies carry: a copy of the table logs no one in.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Moved forward at most every few minutes, and only by requests that write anyway.
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Fixed at log-in (12 hours, or the remember cookie's 30 days); never extended.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: "Firefox on Linux": enough for the owner to recognise the device, no fingerprint.
    user_agent: Mapped[str] = mapped_column(String(80), default="")
    #: Whether the browser was given a remember cookie.
    remember: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<LoginSession {self.id} user={self.user_id}>"


class NameChangeStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    #: Cancelled by the person, or replaced by a newer request of theirs.
    WITHDRAWN = "withdrawn"


class NameChangeRequest(db.Model):
    """A change of name asked by someone in the registry. ``User.name`` is the accepted name,
    the one every page, export and credential shows; the new name reaches it only when staff
    accept the request (``educational.accounts.names``).

    Life cycle: pending ──accept──▶ accepted, pending ──reject──▶ rejected, and the person
    may withdraw it while pending. The methods refuse any other move with ``NotAllowed``."""

    __tablename__ = "name_change_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: The accepted name when the request was made.
    old_name: Mapped[str] = mapped_column(String(200))
    new_name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default=NameChangeStatus.PENDING, index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The staff member who accepted or rejected it (None while pending or withdrawn).
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Staff's reason for the decision; the person reads it.
    reason: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def is_pending(self) -> bool:
        return self.status == NameChangeStatus.PENDING

    def accept(self, reason: str, *, actor_id: int, on: datetime) -> None:
        self._decide(NameChangeStatus.ACCEPTED, reason, actor_id, on)

    def reject(self, reason: str, *, actor_id: int, on: datetime) -> None:
        self._decide(NameChangeStatus.REJECTED, reason, actor_id, on)

    def withdraw(self, *, on: datetime) -> None:
        if not self.is_pending:
            raise NotAllowed(_l("This change of name is already decided or withdrawn."))
        self.status, self.decided_at = NameChangeStatus.WITHDRAWN, on

    def _decide(self, status: str, reason: str, actor_id: int, on: datetime) -> None:
        if not self.is_pending:
            raise NotAllowed(_l("This change of name is already decided or withdrawn."))
        if actor_id == self.user_id:
            raise NotAllowed(_l("This is your own change of name: another staff member decides."))
        if not reason.strip():
            raise NotAllowed(
                _l("Give the reason for this decision; the person reads it."), field="reason"
            )
        self.status, self.reason = status, reason.strip()
        self.decided_by_id, self.decided_at = actor_id, on

    def __repr__(self) -> str:
        return f"<NameChangeRequest {self.id} user={self.user_id} {self.status}>"

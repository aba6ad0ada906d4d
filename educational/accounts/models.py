import secrets
from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from educational.core.db import UTCDateTime, db, utcnow
from educational.core.permissions import Role


class MembershipClass(StrEnum):
    """ASI's six membership classes; the first two can be certified."""

    PRODUCTION_TRANSFORMATION = "production-transformation"
    INDUSTRIAL_USERS = "industrial-users"
    CIVIL_SOCIETY = "civil-society"
    DOWNSTREAM_SUPPORTERS = "downstream-supporters"
    ASSOCIATIONS = "associations"
    GENERAL_SUPPORTERS = "general-supporters"


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


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
    #: Identifies the user in the session cookie. Replaced on password change, which logs out
    #: every other session of the account.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))

    organisation: Mapped[Organisation | None] = relationship(back_populates="members")

    def get_id(self) -> str:
        return self.session_token

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

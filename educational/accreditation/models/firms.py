"""Audit firms and the accredited people attached to them."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint, and_, or_
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from educational.core.db import UTCDateTime, db, today, utcnow

from .accreditations import RegistryProfile


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

    def affiliations_on(self, day: date) -> list["FirmAffiliation"]:
        """The people attached on ``day`` (``FirmAffiliation.current_on``)."""
        return [affiliation for affiliation in self.affiliations if affiliation.current_on(day)]

    @property
    def current_affiliations(self) -> list["FirmAffiliation"]:
        """The people attached today (UTC, as the registry counts)."""
        return self.affiliations_on(today())

    @property
    def past_affiliations(self) -> list["FirmAffiliation"]:
        """Everyone else: attachments that ended (or start later)."""
        current = self.current_affiliations
        return [affiliation for affiliation in self.affiliations if affiliation not in current]


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

    @hybrid_method
    def current_on(self, day: date) -> bool:
        """The person is attached to the firm on ``day`` (``since`` and ``until`` included):
        the one rule for the registry, its exports and the staff pages."""
        return self.since <= day and (self.until is None or self.until >= day)

    @current_on.expression
    def current_on(cls, day: date):
        return and_(cls.since <= day, or_(cls.until.is_(None), cls.until >= day))

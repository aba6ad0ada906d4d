"""Members' watch lists and the webhook endpoints their changes are delivered to.

A member watches registry ids; each watch is delivered by a daily e-mail digest or by
webhook to every active endpoint of the member. Deliveries are rows of an outbox
(``WebhookDelivery``), sent and retried by ``flask watches deliver``; the changes come from
the public change feed (``registry.queries.changes``), read from a cursor kept here."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from educational.core.db import UTCDateTime, db, utcnow


class Delivery(StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"


class Watch(db.Model):
    __tablename__ = "watches"
    __table_args__ = (UniqueConstraint("user_id", "registry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    registry_id: Mapped[str] = mapped_column(String(40), index=True)
    delivery: Mapped[str] = mapped_column(String(10), default=Delivery.EMAIL)
    #: The newest status change when the watch began: only later ones are delivered.
    since_change_id: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WebhookEndpoint(db.Model):
    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    #: ``whsec_`` and 32 random bytes in base64 (Standard Webhooks); shown once, kept to sign.
    secret: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Set when deliveries kept failing for the whole retry schedule, or by the member.
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disabled_reason: Mapped[str] = mapped_column(Text, default="")

    @property
    def active(self) -> bool:
        return self.disabled_at is None


class WebhookDelivery(db.Model):
    """One change to one endpoint: the outbox row, its attempts and its outcome."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (UniqueConstraint("endpoint_id", "change_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True
    )
    #: The status change delivered (the change feed's cursor).
    change_id: Mapped[int]
    #: ``webhook-id``: the same on every retry, so the receiver can drop duplicates.
    message_id: Mapped[str] = mapped_column(String(40), unique=True)
    #: The JSON body, exactly as signed and sent.
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    #: When to try next; None once delivered or given up.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    gave_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The last answer: an HTTP status, or what went wrong before one.
    last_status: Mapped[int | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    endpoint: Mapped[WebhookEndpoint] = relationship()


class WatchCursor(db.Model):
    """How far a reader of the change feed has got: ``webhooks`` (the fan-out into the
    outbox), or ``digest:<user id>`` (a member's daily e-mail)."""

    __tablename__ = "watch_cursors"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    change_id: Mapped[int] = mapped_column(default=0)

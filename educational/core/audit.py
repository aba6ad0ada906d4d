"""The append-only, hash-chained audit trail.

Each row stores the SHA-256 of the previous row's hash plus its own canonical serialisation,
so editing, deleting or reordering any row breaks every hash after it. ``verify_chain`` walks
the rows in order and names the first one that does not match."""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, Text, event, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import UTCDateTime, db, utcnow

GENESIS = "0" * 64
#: The key of the PostgreSQL advisory lock that serialises appends (SQLite writers already
#: hold the database's write lock).
_CHAIN_LOCK = 0x45445543  # "EDUC"


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: When the event happened, UTC.
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The user who acted; None for the system (CLI, sweep).
    actor_id: Mapped[int | None]
    #: The actor's e-mail at the time, kept so the record reads on its own.
    actor_label: Mapped[str] = mapped_column(String(320))
    #: What happened, dotted: ``account.registered``, ``accreditation.suspended``.
    action: Mapped[str] = mapped_column(String(80), index=True)
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str] = mapped_column(String(80))
    #: Details as canonical JSON (sorted keys).
    payload: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    def canonical(self) -> str:
        return canonical_json(
            {
                "occurred_at": self.occurred_at.isoformat(),
                "actor_id": self.actor_id,
                "actor_label": self.actor_label,
                "action": self.action,
                "subject_type": self.subject_type,
                "subject_id": self.subject_id,
                "payload": json.loads(self.payload),
                "prev_hash": self.prev_hash,
            }
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical().encode()).hexdigest()

    @property
    def data(self) -> dict[str, Any]:
        return json.loads(self.payload)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(mapper, connection, target) -> None:
    raise RuntimeError("audit events are append-only")


def record_event(
    action: str,
    subject: Any = None,
    *,
    actor: Any = None,
    subject_type: str | None = None,
    subject_id: Any = None,
    session: Session | None = None,
    **payload: Any,
) -> AuditEvent:
    """Append an event in the caller's transaction (flushed, not committed).

    ``subject`` is a model instance (its table name and id are recorded) or None together
    with explicit ``subject_type``/``subject_id``."""
    session = session or db.session
    if subject is not None:
        session.flush()
        subject_type = subject_type or subject.__tablename__
        subject_id = subject.id if subject_id is None else subject_id
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})
    prev = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    # Microseconds are dropped so the timestamp serialises identically on every database.
    event_row = AuditEvent(
        occurred_at=utcnow().replace(microsecond=0),
        actor_id=getattr(actor, "id", None),
        actor_label=getattr(actor, "email", None) or "system",
        action=action,
        subject_type=subject_type or "",
        subject_id=str(subject_id if subject_id is not None else ""),
        payload=canonical_json(payload),
        prev_hash=prev or GENESIS,
    )
    event_row.hash = event_row.compute_hash()
    session.add(event_row)
    session.flush()
    return event_row


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify_chain(session: Session | None = None, batch: int = 1000) -> ChainReport:
    session = session or db.session
    expected_prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).all()
        if not rows:
            return ChainReport(checked)
        for row in rows:
            if row.prev_hash != expected_prev:
                reason = "its previous-hash does not match the row before it"
                return ChainReport(checked, row.id, reason)
            if row.compute_hash() != row.hash:
                return ChainReport(checked, row.id, "its content does not match its hash")
            expected_prev = row.hash
            checked += 1
            last_id = row.id
            session.expunge(row)

"""The append-only, hash-chained audit trail.

Each row stores the SHA-256 of the previous row's hash plus its own canonical serialisation,
so editing, deleting or reordering any row breaks every hash after it. Each row also records
its position in the chain (1, 2, 3, ...), inside its hash, so a deleted row shows as a gap
even when every later hash was recomputed. ``verify_chain`` walks the rows in order and names
the first one that does not match.

A chain rewritten consistently (positions and hashes recomputed), or cut short at its tail,
still verifies against itself: only an anchor outside the database shows it. Those anchors
are the signed checkpoints of core/checkpoints.py; ``verify_chain(anchors=...)`` checks that
the chain still has, at each checkpoint's count, exactly the head it signed.

Erasure (a person's data rights). From format 2 on, a row's hash covers the SHA-256 of its
personal content (the actor's label and the payload, ``content_sha256``) instead of that
content itself, so the content can be blanked (``erase_content``) while the chain still
verifies: a blanked row keeps its content hash and says when it was erased, and
``verify_chain`` requires every erased row to be named by a later ``data.erased`` event
(itself in the chain), so a blanking that did not go through an approved erasure shows.
Rows of format 1 (written before format 2) hash their content directly and cannot be
erased."""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import String, Text, event, func, inspect, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column, scoped_session

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
    #: The row's place in the chain, counting from 1, covered by its hash. Unique, so two
    #: writers can never both extend the same head. None only on rows written before
    #: positions were recorded (their hashes do not cover one).
    position: Mapped[int | None] = mapped_column(unique=True)
    #: 1: the hash covers the actor's label and the payload; 2: it covers their SHA-256
    #: (``content_sha256``), so they can be erased (see the module docstring).
    format: Mapped[int] = mapped_column(default=2, server_default=text("1"))
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    #: When the actor's label and the payload were blanked by an approved erasure.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def content_hash(self) -> str:
        """The SHA-256 of the erasable content, as it is now."""
        content = canonical_json({"actor_label": self.actor_label, "payload": self.data})
        return hashlib.sha256(content.encode()).hexdigest()

    def canonical(self) -> str:
        fields = {
            "occurred_at": self.occurred_at.isoformat(),
            "actor_id": self.actor_id,
            "action": self.action,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "prev_hash": self.prev_hash,
        }
        if self.format >= 2:
            fields["content_sha256"] = self.content_sha256
        else:
            fields["actor_label"] = self.actor_label
            fields["payload"] = json.loads(self.payload)
        if self.position is not None:
            fields["position"] = self.position
        return canonical_json(fields)

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical().encode()).hexdigest()

    @property
    def data(self) -> dict[str, Any]:
        return json.loads(self.payload)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


#: The event that records an erasure, naming the positions it blanked.
ERASURE_ACTION = "data.erased"
#: What an erasure may change on a row; nothing else ever changes.
ERASABLE = frozenset({"actor_label", "payload", "erased_at"})


@event.listens_for(AuditEvent, "before_update")
def _refuse_change(mapper, connection, target) -> None:
    changed = {attr.key for attr in inspect(target).attrs if attr.history.has_changes()}
    if target.format < 2 or target.erased_at is None or not changed <= ERASABLE:
        raise RuntimeError("audit events are append-only (only an erasure may blank content)")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(mapper, connection, target) -> None:
    raise RuntimeError("audit events are append-only")


def erase_content(rows: Sequence[AuditEvent], now: datetime) -> list[int]:
    """Blank the actor's label and the payload of ``rows`` (format 2; others are left as
    they are); returns the positions blanked, for the ``data.erased`` event that must name
    them."""
    blanked = []
    for row in rows:
        if row.format < 2 or row.erased_at is not None:
            continue
        row.actor_label, row.payload, row.erased_at = "erased", "{}", now
        blanked.append(row.position)
    return blanked


def record_event(
    action: str,
    subject: Any = None,
    *,
    actor: Any = None,
    subject_type: str | None = None,
    subject_id: Any = None,
    session: Session | None = None,
    **payload: Any,
) -> None:
    """Record an event in the caller's transaction: it joins the chain when the transaction
    commits (``_append_pending``), or is dropped with it.

    ``subject`` is a model instance (its table name and id are recorded) or None together
    with explicit ``subject_type``/``subject_id``. ``actor`` is a user, None for the system,
    or a label for a non-person actor ("import").

    Why at commit: every append takes the chain's head, so appends are serialised (on
    PostgreSQL by an advisory lock held to the end of the transaction); taken at commit, the
    lock is held for the commit alone instead of for the rest of the request. A query of the
    audit events in the same transaction appends the pending ones first, so it sees them."""
    session = session or db.session
    if subject is not None:
        session.flush()
        subject_type = subject_type or subject.__tablename__
        subject_id = subject.id if subject_id is None else subject_id
    _pending(session).append((_actor(actor), action, subject_type, subject_id, payload))


def record_events(events: Sequence[tuple[str, Any, dict[str, Any]]], *, actor: Any = None) -> None:
    """Record many events at once, in order: ``(action, subject, payload)`` each, the subject
    a model instance (one flush for all, for bulk work such as imports); they join the chain
    at commit as ``record_event``'s do."""
    session = db.session
    session.flush()
    who = _actor(actor)
    _pending(session).extend(
        (who, action, subject.__tablename__, subject.id, payload)
        for action, subject, payload in events
    )


#: Where a session keeps the events recorded in its transaction until they join the chain.
_PENDING = "educational.audit_pending"


def _pending(session: Session | scoped_session) -> list[tuple]:
    if isinstance(session, scoped_session):
        session = session()
    if not session.in_transaction():
        session.begin()  # so that a rollback before any other work drops them too
    return session.info.setdefault(_PENDING, [])


def has_pending(session: Session) -> bool:
    """Whether the session's transaction recorded events that have not joined the chain."""
    return bool(session.info.get(_PENDING))


def _actor(actor: Any) -> tuple[int | None, str]:
    if isinstance(actor, str):
        return None, actor
    return getattr(actor, "id", None), getattr(actor, "email", None) or "system"


def write_pending(session: Session) -> None:
    """Append the events the session recorded to the chain, now (flushed, not committed)."""
    pending = session.info.pop(_PENDING, None)
    if pending:
        _append(session, pending)


@event.listens_for(Session, "before_commit")
def _append_pending(session: Session) -> None:
    write_pending(session)


@event.listens_for(Session, "after_transaction_end")
def _drop_pending(session: Session, transaction) -> None:
    # The outermost transaction ended without committing them (a rollback): they go too. A
    # savepoint's end (``begin_nested``) keeps them.
    if transaction.parent is None and not transaction.nested:
        session.info.pop(_PENDING, None)


@event.listens_for(Session, "do_orm_execute")
def _before_reading_the_chain(state) -> None:
    # Runs on every ORM statement: the cheap tests first, the mappers only with events
    # pending.
    if not (state.is_select and has_pending(state.session)):
        return
    if any(mapper.class_ is AuditEvent for mapper in state.all_mappers):
        write_pending(state.session)


def _append(session: Session, events: list[tuple]) -> list[AuditEvent]:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})
    prev = session.execute(
        select(AuditEvent.hash, AuditEvent.position).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    if prev is None:
        position = 1
    elif prev.position is not None:
        position = prev.position + 1
    else:  # the first row after those written before positions were recorded
        position = session.scalar(select(func.count()).select_from(AuditEvent)) + 1
    prev_hash = prev.hash if prev else GENESIS
    # Microseconds are dropped so the timestamp serialises identically on every database.
    occurred_at = utcnow().replace(microsecond=0)
    rows = []
    for offset, ((actor_id, actor_label), action, subject_type, subject_id, payload) in enumerate(
        events
    ):
        event_row = AuditEvent(
            occurred_at=occurred_at,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            subject_type=subject_type or "",
            subject_id=str(subject_id if subject_id is not None else ""),
            payload=canonical_json(payload),
            prev_hash=prev_hash,
            position=position + offset,
            format=2,
        )
        event_row.content_sha256 = event_row.content_hash()
        event_row.hash = prev_hash = event_row.compute_hash()
        rows.append(event_row)
    session.add_all(rows)
    session.flush()
    return rows


class Anchor(Protocol):
    """A head of the chain vouched for outside the database (a signed checkpoint)."""

    count: int
    head_id: int | None
    head_hash: str

    def describe(self) -> str: ...


@dataclass(frozen=True)
class ChainReport:
    #: Rows verified (all of them when the chain is intact).
    checked: int
    broken_id: int | None = None
    reason: str = ""
    #: The last verified row: the chain's head when intact.
    head_id: int | None = None
    head_hash: str = GENESIS

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify_chain(
    session: Session | None = None, batch: int = 1000, anchors: Sequence[Anchor] = ()
) -> ChainReport:
    """Walk the chain in id order; the first row that breaks it is named in the report.

    With ``anchors`` (signed checkpoints, already checked to be in order) the chain must
    also hold, at each anchor's count, exactly that anchor's head row and hash, and be at
    least as long as the longest one."""
    session = session or db.session
    by_count = {a.count: a for a in anchors if a.count}
    by_id = {a.head_id: a for a in anchors if a.head_id is not None}
    expected_prev = GENESIS
    checked = 0
    last_id: int | None = None
    positioned = False
    matched: Anchor | None = None  # the latest checkpoint the chain still agrees with
    unexplained: dict[int, int] = {}  # erased rows no erasure event has named yet: position -> id
    while True:
        rows = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.id > (last_id or 0))
            .order_by(AuditEvent.id)
            .limit(batch)
        ).all()
        if not rows:
            break
        for row in rows:
            number = checked + 1
            reason = _row_fault(row, expected_prev, number, positioned)
            if not reason:
                reason = _anchor_fault(row, number, by_count.get(number), by_id)
                reason += _still_matching(matched) if reason else ""
            if reason:
                return ChainReport(checked, row.id, reason, last_id, expected_prev)
            matched = by_count.get(number, matched)
            positioned = row.position is not None
            expected_prev = row.hash
            checked += 1
            if row.erased_at is not None:
                unexplained[row.position] = row.id
            elif row.action == ERASURE_ACTION:
                for position in row.data.get("erased_positions", ()):
                    unexplained.pop(position, None)
            last_id = row.id
            session.expunge(row)
    if unexplained:
        position, row_id = min(unexplained.items())
        reason = (
            f"its content was blanked, but no data.erased event names event number {position}: "
            "content was removed outside an approved erasure"
        )
        return ChainReport(checked, row_id, reason, last_id, expected_prev)
    longest = max(anchors, key=lambda a: a.count, default=None)
    if longest is not None and longest.count > checked:
        missing = longest.count - checked
        reason = (
            f"it is missing: {longest.describe()} counts {longest.count} events ending with "
            f"event {longest.head_id}, but the chain ends after {checked} events"
            f"{f' at event {last_id}' if last_id else ''}, so at least {missing} events "
            "were deleted"
        ) + _still_matching(matched)
        return ChainReport(checked, longest.head_id, reason, last_id, expected_prev)
    return ChainReport(checked, head_id=last_id, head_hash=expected_prev)


def _still_matching(anchor: Anchor | None) -> str:
    """Where to start looking: the chain agrees with this checkpoint up to its head."""
    if anchor is None:
        return ""
    return f"; up to event {anchor.head_id} it still matches {anchor.describe()}"


def _row_fault(row: AuditEvent, expected_prev: str, number: int, positioned: bool) -> str:
    """Why the row does not follow from the rows before it, or ""."""
    if row.prev_hash != expected_prev:
        return "its previous-hash does not match the row before it"
    if row.compute_hash() != row.hash:
        return "its content does not match its hash"
    if row.format >= 2 and row.erased_at is None and row.content_hash() != row.content_sha256:
        return "its content does not match its hash (the actor or the payload was changed)"
    if row.position is None and positioned:
        return "it has no position in the chain, though the row before it has one"
    if row.position is not None and row.position != number:
        change = "deleted" if row.position > number else "inserted or reordered"
        return (
            f"it says it is event number {row.position} of the chain, but it is number "
            f"{number}: events before it were {change}"
        )
    return ""


def _anchor_fault(
    row: AuditEvent, number: int, at_count: Anchor | None, by_id: dict[int | None, Anchor]
) -> str:
    """Why the row contradicts a signed checkpoint, or ""."""
    anchor = by_id.get(row.id)
    if anchor is not None and anchor.count != number:
        change = "deleted" if anchor.count > number else "inserted"
        return (
            f"{anchor.describe()} signed it as event number {anchor.count} of the chain, but "
            f"it is number {number}: events before it were {change} after that checkpoint"
        )
    if at_count is not None and at_count.head_id != row.id:
        return (
            f"it is event number {number} of the chain, but {at_count.describe()} signed "
            f"event {at_count.head_id} as that number: events were deleted or inserted "
            "after that checkpoint"
        )
    if anchor is not None and anchor.head_hash != row.hash:
        return (
            f"its hash differs from the one {anchor.describe()} signed for it: this event "
            "or one before it was rewritten after that checkpoint"
        )
    return ""

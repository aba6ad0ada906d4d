"""The audit-trail browser's look-ups: events filtered by person, object, kind and date, a
page at a time, and the state of the chain.

It lives here, not in core, because finding a person by e-mail address or registry id needs
the accounts and the registry profiles, which core may not import. Read only: the chain is
verified in full only when staff ask for it (``verify_now``), never on a plain page view, as
a walk over every row grows with the trail."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import Select, func, or_, select

from educational.accounts.models import User
from educational.core.audit import AuditEvent, ChainReport, verify_chain
from educational.core.checkpoints import (
    CheckpointError,
    checkpoint_path,
    latest_checkpoint,
    read_checkpoints,
)
from educational.core.db import db
from educational.core.keys import signing_key
from educational.core.pagination import Page

from .models import RegistryProfile

PER_PAGE = 50
#: Payload keys that name the person an event is about.
PERSON_KEYS = ("user_id", "applicant_id", "owner_id", "holder_id")
REGISTRY_ID = re.compile(r"^[A-Za-z]{1,10}-\d{1,12}$")


@dataclass(frozen=True)
class AuditFilters:
    #: A user id, an e-mail address or a registry id ("ASI-000001").
    person: str = ""
    subject_type: str = ""
    subject_id: str = ""
    #: The start of the action: "accreditation" or "accreditation.suspended".
    kind: str = ""
    since: date | None = None
    until: date | None = None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _payload_has(key: str, value: int | str) -> list:
    """The payload (canonical JSON: sorted keys, no spaces) holds ``key`` = ``value``."""
    literal = f'"{_escape_like(key)}":' + (
        str(value) if isinstance(value, int) else f'"{_escape_like(value)}"'
    )
    return [
        AuditEvent.payload.like(f"%{literal},%", escape="\\"),
        AuditEvent.payload.like(f"%{literal}}}%", escape="\\"),
    ]


def _person_condition(person: str):
    """Events a person did or that are about them, found by id, e-mail or registry id. None
    when the text names no one (the page then shows nothing, rather than everything)."""
    person = person.strip()
    user_id: int | None = None
    registry_id: str | None = None
    conditions = []
    if person.isascii() and person.isdigit() and len(person) <= 12:
        user_id = int(person)
    elif "@" in person:
        conditions.append(func.lower(AuditEvent.actor_label) == person.lower())
        user_id = db.session.scalar(select(User.id).where(func.lower(User.email) == person.lower()))
    elif REGISTRY_ID.match(person):
        profile = db.session.scalar(
            select(RegistryProfile).where(func.upper(RegistryProfile.registry_id) == person.upper())
        )
        if profile is not None:
            user_id, registry_id = profile.user_id, profile.registry_id
    if user_id is not None and registry_id is None:
        registry_id = db.session.scalar(
            select(RegistryProfile.registry_id).where(RegistryProfile.user_id == user_id)
        )
    if user_id is not None:
        conditions.append(AuditEvent.actor_id == user_id)
        conditions.append(
            (AuditEvent.subject_type == User.__tablename__)
            & (AuditEvent.subject_id == str(user_id))
        )
        for key in PERSON_KEYS:
            conditions.extend(_payload_has(key, user_id))
    if registry_id is not None:
        conditions.extend(_payload_has("registry_id", registry_id))
    return or_(*conditions) if conditions else None


def event_query(filters: AuditFilters) -> Select:
    """Events matching every filter given, newest first."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if filters.person:
        condition = _person_condition(filters.person)
        query = query.where(condition if condition is not None else AuditEvent.id.is_(None))
    if filters.subject_type:
        query = query.where(AuditEvent.subject_type == filters.subject_type)
    if filters.subject_id:
        query = query.where(AuditEvent.subject_id == filters.subject_id)
    if filters.kind:
        query = query.where(AuditEvent.action.like(f"{_escape_like(filters.kind)}%", escape="\\"))
    if filters.since:
        query = query.where(AuditEvent.occurred_at >= datetime.combine(filters.since, time(), UTC))
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time(), UTC)
        query = query.where(AuditEvent.occurred_at < end)
    return query


def events_page(filters: AuditFilters, page: int, per_page: int = PER_PAGE) -> Page[AuditEvent]:
    """One page of the matching events (one COUNT, one page of rows)."""
    query = event_query(filters)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = db.session.scalars(query.offset((page - 1) * per_page).limit(per_page)).all()
    return Page(list(items), total or 0, page, per_page)


def subject_types() -> list[str]:
    """The kinds of object the trail names, for the filter's choices."""
    return list(
        db.session.scalars(
            select(AuditEvent.subject_type).distinct().order_by(AuditEvent.subject_type)
        )
    )


def action_kinds() -> list[str]:
    """The first part of every action ("accreditation", "experience"), for the filter."""
    actions = db.session.scalars(select(AuditEvent.action).distinct())
    return sorted({action.split(".", 1)[0] for action in actions})


@dataclass(frozen=True)
class ChainStatus:
    """What the page says about the chain: the latest signed checkpoint (cron verifies the
    chain before it signs one) and, after "Verify now", the full verification."""

    #: The latest checkpoint as published (time, count, head_id), or None.
    checkpoint: dict | None
    #: Events in the chain now.
    events: int
    #: The result of a verification run for this request, or None.
    report: ChainReport | None = None
    #: Why the checkpoint log could not be read, when it could not.
    log_problem: str = ""


def chain_status(report: ChainReport | None = None, log_problem: str = "") -> ChainStatus:
    """Cheap: the tail of the checkpoint log and a COUNT of the events."""
    events = db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    return ChainStatus(latest_checkpoint(checkpoint_path()), events, report, log_problem)


def verify_now() -> ChainStatus:
    """Walk the whole chain and check it against the signed checkpoints (what ``flask audit
    verify`` does). Reads only; as slow as the trail is long."""
    path: Path = checkpoint_path()
    anchors = []
    problem = ""
    if path.exists():
        try:
            anchors = read_checkpoints(path, signing_key())
        except CheckpointError as error:
            problem = str(error)
    return chain_status(verify_chain(anchors=anchors), problem)

"""Erasure at a person's request, decided by staff, and the retention that follows.

What an approved erasure does at once: the account becomes "Erased person <id>" (name,
e-mail, password, sessions, API tokens, watches gone; it cannot log in); evidence files are
deleted; the free text of experience entries, quiz answers, application statements and
changes of name are blanked; the person leaves the public registry; and the audit trail's
content about them (their own actions, their account, entries and changes of name) is
blanked, which the chain allows for rows of format 2 (``core.audit.erase_content``).

What stays, because it must stay verifiable: certificates (code, course, dates, status; the
holder shown as erased at their request), and the registry id with its accreditations,
status history and the decision events about them, for ``DATA_RETENTION_YEARS`` after the
last accreditation ended. ``flask data retention`` then blanks those decision events too.

An erasure is refused while the person holds an active or suspended accreditation: an
accredited auditor must be withdrawn (or expire) first."""

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import String, Text, delete, func, or_, select, update

from educational.accounts.models import LoginSession, NameChangeRequest, User
from educational.accreditation.models import (
    Accreditation,
    AccreditationStatus,
    Application,
    RegistryProfile,
)
from educational.accreditation.rules import add_months
from educational.api.models import ApiToken
from educational.certificates.models import Certificate
from educational.core.audit import ERASURE_ACTION, AuditEvent, erase_content, record_event
from educational.core.db import db, utcnow
from educational.core.errors import DomainError, NotAllowed
from educational.core.waiting import Waiting, count_waiting
from educational.experience import uploads
from educational.experience.models import ExperienceEntry
from educational.quizzes.models import Attempt, AttemptSlot
from educational.watches.models import Watch, WebhookEndpoint

from .models import ErasureRequest, ErasureStatus

LIVE = (AccreditationStatus.ACTIVE, AccreditationStatus.SUSPENDED)
#: Free-text columns of experience entries shorter than this are codes (sector, country,
#: level...), kept; longer ones are what the person wrote, blanked.
CODE_LENGTH = 100


def pseudonym(user: User) -> str:
    return f"Erased person {user.id}"


def pending_request(user: User) -> ErasureRequest | None:
    return db.session.scalar(
        select(ErasureRequest).where(
            ErasureRequest.user_id == user.id, ErasureRequest.status == ErasureStatus.PENDING
        )
    )


def latest_request(user: User) -> ErasureRequest | None:
    return db.session.scalar(
        select(ErasureRequest)
        .where(ErasureRequest.user_id == user.id)
        .order_by(ErasureRequest.id.desc())
        .limit(1)
    )


def request_erasure(user: User) -> ErasureRequest:
    if pending_request(user) is not None:
        raise DomainError(_("Your request to erase your data is already with the staff."))
    erasure = ErasureRequest(user_id=user.id)
    db.session.add(erasure)
    record_event("data.erasure_requested", erasure, actor=user, user_id=user.id)
    return erasure


def withdraw_request(user: User) -> ErasureRequest:
    erasure = pending_request(user)
    if erasure is None:
        raise DomainError(_("You have no request to erase your data waiting."))
    erasure.status, erasure.decided_at = ErasureStatus.WITHDRAWN, utcnow()
    record_event("data.erasure_withdrawn", erasure, actor=user, user_id=user.id)
    return erasure


def queue() -> list[ErasureRequest]:
    return list(
        db.session.scalars(
            select(ErasureRequest)
            .where(ErasureRequest.status == ErasureStatus.PENDING)
            .order_by(ErasureRequest.requested_at)
        )
    )


def erasures_waiting() -> Waiting:
    """Requests waiting for a decision, and since when the oldest has waited (staff page)."""
    return count_waiting(
        select(func.count(), func.min(ErasureRequest.requested_at)).where(
            ErasureRequest.status == ErasureStatus.PENDING
        )
    )


def blocking_accreditations(user: User) -> list[Accreditation]:
    """What stops an erasure: accreditations still active or suspended."""
    return list(
        db.session.scalars(
            select(Accreditation)
            .join(RegistryProfile)
            .where(RegistryProfile.user_id == user.id, Accreditation.status.in_(LIVE))
        )
    )


def decide(erasure: ErasureRequest, staff: User, *, approve: bool, reason: str) -> None:
    if erasure.status != ErasureStatus.PENDING:
        raise NotAllowed(_("This request was already decided or withdrawn."))
    if erasure.user_id == staff.id:
        raise NotAllowed(_("Another member of staff must decide on your own request."))
    reason = reason.strip()
    now = utcnow()
    if not approve:
        if not reason:
            raise DomainError(_("Say why the request is rejected; the person is told."), "reason")
        erasure.status, erasure.decided_at, erasure.decided_by_id = (
            ErasureStatus.REJECTED,
            now,
            staff.id,
        )
        erasure.decision_reason = reason
        record_event("data.erasure_rejected", erasure, actor=staff, reason=reason)
        return
    user = db.session.get(User, erasure.user_id)
    if blocking_accreditations(user):
        raise NotAllowed(
            _(
                "The person holds an active or suspended accreditation: withdraw it (or let "
                "it expire) before erasing their data."
            )
        )
    erasure.status, erasure.decided_at, erasure.decided_by_id = (
        ErasureStatus.APPROVED,
        now,
        staff.id,
    )
    erasure.decision_reason = reason
    summary = erase_person(user, now)
    positions = erase_content(_personal_events(user), now)
    record_event(
        ERASURE_ACTION,
        erasure,
        actor=staff,
        user_id=user.id,
        erased_positions=positions,
        **summary,
    )


def erase_person(user: User, now: datetime) -> dict[str, int]:
    """Pseudonymise the account and remove what the person wrote or uploaded; returns
    counts for the erasure's audit event (no personal data)."""
    label = pseudonym(user)
    user.name, user.email = label, f"erased-{user.id}@erased.invalid"
    user.password_hash, user.active, user.erased_at = "!erased", False, now
    user.last_login_at, user.organisation_id = None, None
    sessions = db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    db.session.execute(delete(Watch).where(Watch.user_id == user.id))
    db.session.execute(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.user_id == user.id)
        .values(url="", secret="", disabled_at=now, disabled_reason="erased")
    )
    db.session.execute(
        update(NameChangeRequest)
        .where(NameChangeRequest.user_id == user.id)
        .values(old_name=label, new_name=label)
    )
    db.session.execute(
        update(Certificate).where(Certificate.user_id == user.id).values(holder_name=label)
    )
    db.session.execute(
        update(RegistryProfile).where(RegistryProfile.user_id == user.id).values(public=False)
    )
    db.session.execute(
        update(Application).where(Application.user_id == user.id).values(statement="")
    )
    answers = db.session.execute(
        update(AttemptSlot)
        .where(AttemptSlot.attempt_id.in_(select(Attempt.id).where(Attempt.user_id == user.id)))
        .values(answer=None)
    )
    files = 0
    entries = db.session.scalars(select(ExperienceEntry).where(ExperienceEntry.user_id == user.id))
    count = 0
    for entry in entries:
        count += 1
        for evidence in list(entry.evidence):
            uploads.remove_after_commit(evidence.stored_name, db.session)
            db.session.delete(evidence)
            files += 1
        written = (*entry.FIELDS, "staff_comment")
        for column in entry.__mapper__.columns:
            if column.key in written and _is_free_text(column) and getattr(entry, column.key):
                setattr(entry, column.key, "" if not column.nullable else None)
    return {
        "evidence_files": files,
        "experience_entries": count,
        "answers": answers.rowcount or 0,
        "sessions": sessions.rowcount or 0,
    }


def _is_free_text(column) -> bool:
    kind = column.type
    return isinstance(kind, Text) or (
        isinstance(kind, String) and (kind.length or 0) >= CODE_LENGTH
    )


def _personal_events(user: User) -> list[AuditEvent]:
    return _events(personal_events(user))


def _decision_events(user: User) -> list[AuditEvent]:
    return _events(decision_events(user))


def personal_events(user: User):
    """Which audit events are the person's own (a SQL condition): their own actions, and
    events about their account, entries, evidence and changes of name. An erasure blanks them
    at once."""
    entries = select(func.cast(ExperienceEntry.id, String)).where(
        ExperienceEntry.user_id == user.id
    )
    names = select(func.cast(NameChangeRequest.id, String)).where(
        NameChangeRequest.user_id == user.id
    )
    return or_(
        AuditEvent.actor_id == user.id,
        (AuditEvent.subject_type == "users") & (AuditEvent.subject_id == str(user.id)),
        (AuditEvent.subject_type == "experience_entries") & AuditEvent.subject_id.in_(entries),
        (AuditEvent.subject_type == "name_change_requests") & AuditEvent.subject_id.in_(names),
    )


def decision_events(user: User):
    """Which audit events are decisions about the person (a SQL condition): on their
    applications, accreditations, certificates and registry profile, kept for the retention
    period."""
    profile = select(RegistryProfile.id).where(RegistryProfile.user_id == user.id)
    accreditations = select(func.cast(Accreditation.id, String)).where(
        Accreditation.profile_id.in_(profile)
    )
    applications = select(func.cast(Application.id, String)).where(Application.user_id == user.id)
    certificates = select(func.cast(Certificate.id, String)).where(Certificate.user_id == user.id)
    return or_(
        (AuditEvent.subject_type == "accreditations") & AuditEvent.subject_id.in_(accreditations),
        (AuditEvent.subject_type == "applications") & AuditEvent.subject_id.in_(applications),
        (AuditEvent.subject_type == "certificates") & AuditEvent.subject_id.in_(certificates),
        (AuditEvent.subject_type == "registry_profiles")
        & AuditEvent.subject_id.in_(
            select(func.cast(RegistryProfile.id, String)).where(RegistryProfile.user_id == user.id)
        ),
    )


def _events(condition) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                condition,
                AuditEvent.action != ERASURE_ACTION,
                AuditEvent.erased_at.is_(None),
                AuditEvent.format >= 2,
            )
            .order_by(AuditEvent.id)
        )
    )


def retention_ends(user: User) -> date | None:
    """When what is kept of an erased person may go: ``DATA_RETENTION_YEARS`` after their
    last accreditation ended (a withdrawn or expired one on its last status change, any
    other at the end of its validity); None if they held none."""
    ends = []
    accreditations = db.session.scalars(
        select(Accreditation).join(RegistryProfile).where(RegistryProfile.user_id == user.id)
    )
    for accreditation in accreditations:
        ended = accreditation.valid_until
        if accreditation.status not in LIVE:
            last = accreditation.changes[-1].occurred_at if accreditation.changes else None
            ended = min(ended, (last or accreditation.updated_at).date())
        ends.append(ended)
    if not ends:
        return None
    return add_months(max(ends), 12 * current_app.config["DATA_RETENTION_YEARS"])


@dataclass
class RetentionReport:
    people: list[str] = field(default_factory=list)
    events: int = 0


def apply_retention(today: date) -> RetentionReport:
    """Blank the decision events kept for erased people whose retention period has ended
    (``flask data retention``, for cron)."""
    report = RetentionReport()
    due = db.session.scalars(
        select(ErasureRequest).where(
            ErasureRequest.status == ErasureStatus.APPROVED,
            ErasureRequest.retention_done_at.is_(None),
        )
    ).all()
    now = utcnow()
    for erasure in due:
        user = db.session.get(User, erasure.user_id)
        ends = retention_ends(user)
        if ends is not None and ends > today:
            continue
        positions = erase_content(_decision_events(user), now)
        erasure.retention_done_at = now
        record_event(
            ERASURE_ACTION,
            erasure,
            actor="retention",
            user_id=user.id,
            erased_positions=positions,
            retention_ended=ends.isoformat() if ends else None,
        )
        report.people.append(pseudonym(user))
        report.events += len(positions)
    return report

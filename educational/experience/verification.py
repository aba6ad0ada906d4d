"""Staff verification of experience entries: the queue, and the decisions (verify, reject,
ask for more information), each recorded in the audit trail and e-mailed to the owner.
They take explicit objects, flush, and never commit."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from educational.core.audit import AuditEvent, record_event
from educational.core.db import db, utcnow
from educational.core.errors import DomainError
from educational.core.mail import queue_mail
from educational.core.urls import external_url
from educational.core.waiting import Waiting, count_waiting

from .models import ENTRY_KINDS, SUBJECT_TYPE, EntryStatus, ExperienceEntry

DECISIONS = {
    "verify": ("verified", _l("Your experience entry is verified"), "experience_verified"),
    "reject": ("rejected", _l("Your experience entry was not accepted"), "experience_rejected"),
    "request_info": (
        "info_requested",
        _l("More information is needed about your experience entry"),
        "experience_info_requested",
    ),
}


def decide(
    entry: ExperienceEntry,
    staff,
    decision: str,
    comment: str | None = None,
    *,
    revision: int | None = None,
) -> None:
    """Verify, reject (with a reason) or ask for more information (with a question), record
    the decision in the audit trail and tell the owner by e-mail. ``revision`` is the one
    the reviewer saw; a decision on an entry changed since is refused."""
    if decision not in DECISIONS:
        raise DomainError(_("Choose verify, reject or request more information."))
    if revision is not None and revision != entry.revision:
        raise DomainError(
            _("The learner changed this entry after you opened it. Review it again, then decide.")
        )
    comment = (comment or "").strip() or None
    if decision == "verify":
        entry.verify(staff, comment)
    elif decision == "reject":
        entry.reject(staff, comment or "")
    else:
        entry.request_information(staff, comment or "")
    action, subject, template = DECISIONS[decision]
    record_entry_event(
        action, entry, staff, revision=entry.revision, owner_id=entry.user_id, comment=comment
    )
    owner = entry.user
    queue_mail(
        owner,
        subject,
        template,
        user=owner,
        entry=entry,
        comment=comment,
        url=external_url("experience.entry", entry_id=entry.id),
    )


@dataclass(frozen=True)
class Skipped:
    """A selected entry that was not verified, and why (a sentence for the reviewer)."""

    entry_id: int
    heading: str
    reason: str


@dataclass
class BulkVerification:
    verified: list[ExperienceEntry] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    #: How many learners were told, each by one digest e-mail.
    learners_told: int = 0


#: The most entries one "Verify selected" may take (two pages of the queue).
MAX_BULK = 100


def verify_many(selection: Mapping[int, int | None], staff) -> BulkVerification:
    """Verify the selected entries (entry id -> the revision the reviewer saw in the queue),
    each on its own: an entry that cannot be verified now (gone, changed since, no longer
    submitted, withdrawn, the reviewer's own) is skipped with the reason, and the others are
    verified, each recorded in the audit trail as a single verification is. Each learner then
    gets ONE e-mail listing their newly verified entries, not one per entry."""
    if len(selection) > MAX_BULK:
        raise DomainError(
            _("Verify at most %(n)d entries at once; tick fewer and try again.", n=MAX_BULK)
        )
    result = BulkVerification()
    for entry_id in sorted(selection):
        # Locked one by one, as a single decision locks its entry.
        entry = db.session.get(ExperienceEntry, entry_id, with_for_update=True)
        if entry is None:
            result.skipped.append(Skipped(entry_id, "", _("This entry no longer exists.")))
            continue
        seen = selection[entry_id]
        if seen is None or seen != entry.revision:
            result.skipped.append(
                Skipped(
                    entry.id,
                    entry.heading,
                    _("The learner changed it after the queue was shown. Review it again."),
                )
            )
            continue
        try:
            entry.verify(staff)
        except DomainError as error:
            result.skipped.append(Skipped(entry.id, entry.heading, error.message))
            continue
        record_entry_event(
            "verified",
            entry,
            staff,
            revision=entry.revision,
            owner_id=entry.user_id,
            comment=None,
            bulk=True,
        )
        result.verified.append(entry)
    by_owner: dict[int, list[ExperienceEntry]] = {}
    for entry in result.verified:
        by_owner.setdefault(entry.user_id, []).append(entry)
    for entries in by_owner.values():
        _mail_digest(entries)
    result.learners_told = len(by_owner)
    return result


def _mail_digest(entries: list[ExperienceEntry]) -> None:
    owner = entries[0].user
    count = len(entries)
    queue_mail(
        owner,
        lambda: ngettext(
            "%(num)d experience entry is verified",
            "%(num)d experience entries are verified",
            count,
        ),
        "experience_verified_digest",
        user=owner,
        entries=entries,
        links=[external_url("experience.entry", entry_id=entry.id) for entry in entries],
        url=external_url("experience.index"),
    )


def queue_query(kind: str | None = None) -> Select:
    """Submitted entries waiting for a decision, oldest first."""
    query = (
        select(ExperienceEntry)
        .where(
            ExperienceEntry.status == EntryStatus.SUBMITTED,
            ExperienceEntry.withdrawn_at.is_(None),
        )
        .options(joinedload(ExperienceEntry.user))
        .order_by(ExperienceEntry.submitted_at, ExperienceEntry.id)
    )
    if kind in ENTRY_KINDS:
        query = query.where(ExperienceEntry.kind == kind)
    return query


@dataclass(frozen=True)
class QueueCount:
    kind: str
    count: int
    #: Whole days the oldest entry of the kind has waited; None when none waits.
    oldest_days: int | None


def queue_counts(now: datetime | None = None) -> list[QueueCount]:
    """Entries waiting, per kind (every kind listed), with the age of the oldest."""
    now = now or utcnow()
    rows = db.session.execute(
        select(ExperienceEntry.kind, func.count(), func.min(ExperienceEntry.submitted_at))
        .where(
            ExperienceEntry.status == EntryStatus.SUBMITTED,
            ExperienceEntry.withdrawn_at.is_(None),
        )
        .group_by(ExperienceEntry.kind)
    ).all()
    found = {kind: (count, oldest) for kind, count, oldest in rows}
    return [
        QueueCount(
            kind,
            found.get(kind, (0, None))[0],
            age_in_days(found[kind][1], now) if kind in found else None,
        )
        for kind in ENTRY_KINDS
    ]


def entries_waiting() -> Waiting:
    """Entries waiting for verification (every kind), and since when the oldest has waited."""
    return count_waiting(
        select(func.count(), func.min(ExperienceEntry.submitted_at)).where(
            ExperienceEntry.status == EntryStatus.SUBMITTED,
            ExperienceEntry.withdrawn_at.is_(None),
        )
    )


def age_in_days(since: datetime | None, now: datetime | None = None) -> int:
    if since is None:
        return 0
    return max(0, ((now or utcnow()) - since).days)


def entry_history(entry: ExperienceEntry) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.subject_type == SUBJECT_TYPE, AuditEvent.subject_id == str(entry.id))
            .order_by(AuditEvent.id)
        )
    )


def record_entry_event(action: str, entry: ExperienceEntry, actor, /, **payload: Any) -> None:
    """Audit ``experience.<action>`` on ``entry`` with its kind. Every kind's events are filed
    under the base table, so ``entry_history`` reads an entry's history in one query."""
    record_event(
        f"experience.{action}",
        entry,
        actor=actor,
        subject_type=SUBJECT_TYPE,
        kind=entry.kind,
        **payload,
    )

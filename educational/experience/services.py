"""Experience use cases: the owner's log and its evidence, and the verified record the
scheme's rules read (staff decisions are in ``verification``). They take explicit objects,
flush, and never commit."""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext as _
from sqlalchemy import select

from educational.catalog.scheme import current_scheme
from educational.core.db import db
from educational.core.errors import DomainError
from educational.core.permissions import has_role_permission, object_rule

from . import limits, uploads
from .models import (
    ENTRY_KINDS,
    CpdActivity,
    EntryStatus,
    Evidence,
    ExperienceEntry,
    LanguageSkill,
)
from .records import CpdRecord, VerifiedRecord, build_record
from .validation import CLEANERS

# The staff side lives in ``verification``; other features import these from here too.
from .verification import (  # noqa: F401
    QueueCount,
    age_in_days,
    decide,
    entry_history,
    queue_counts,
    queue_query,
    record_entry_event,
)

MAX_FILES_PER_ENTRY = 10

#: (stream, client file name) as the view received them.
Upload = tuple[BinaryIO, str]


@object_rule("own_experience")
def _owns_entry(user, entry: ExperienceEntry) -> bool:
    return entry.user_id == user.id


@object_rule("view_evidence")
def _may_view_evidence(user, evidence: Evidence) -> bool:
    return evidence.entry.user_id == user.id or has_role_permission(user, "staff_area")


def local_today(user) -> date:
    """Today in the user's time zone: an audit that ended today, there, is not future."""
    try:
        zone = ZoneInfo(getattr(user, "timezone", None) or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return datetime.now(zone).date()


# The owner's log


def entries_of(user, *, include_withdrawn: bool = False) -> dict[str, list[ExperienceEntry]]:
    """The user's entries by kind (every kind present, oldest first within one)."""
    query = select(ExperienceEntry).where(ExperienceEntry.user_id == user.id)
    if not include_withdrawn:
        query = query.where(ExperienceEntry.withdrawn_at.is_(None))
    grouped: dict[str, list[ExperienceEntry]] = {kind: [] for kind in ENTRY_KINDS}
    for entry in db.session.scalars(query.order_by(ExperienceEntry.id)):
        grouped[entry.kind].append(entry)
    return grouped


def find_entry(entry_id: int) -> ExperienceEntry | None:
    return db.session.get(ExperienceEntry, entry_id)


def create_entry(
    user,
    kind: str,
    data: dict[str, Any],
    files: Iterable[Upload] = (),
    *,
    submit: bool = False,
    today: date | None = None,
) -> ExperienceEntry:
    """Log a new entry of ``kind`` with its evidence; a draft unless ``submit``."""
    entry_class = ENTRY_KINDS.get(kind)
    if entry_class is None:
        raise DomainError(
            _(
                "Choose what to add: an audit, work, a qualification, a language "
                "or a conflict of interest."
            )
        )
    files = list(files)
    limits.lock_owner(user)
    limits.check_entry_cap(user)
    limits.check_may_upload(user, files)
    values = CLEANERS[kind](data, current_scheme(), today or local_today(user))
    _check_unique_language(user, kind, values)
    checked = _check_files(files, already=0)
    limits.check_quota(user, checked)
    status = EntryStatus.DRAFT if entry_class.needs_verification else EntryStatus.DECLARED
    entry = entry_class(user_id=user.id, status=status, **values)
    db.session.add(entry)
    db.session.flush()
    _attach(entry, checked)
    if not entry.needs_verification:
        record_entry_event("declared", entry, user, **_plain(values))
    if submit and entry.needs_verification:
        submit_entry(entry, user)
    return entry


def update_entry(
    entry: ExperienceEntry,
    user,
    data: dict[str, Any],
    files: Iterable[Upload] = (),
    *,
    submit: bool = False,
    today: date | None = None,
) -> bool:
    """Save the owner's changes. A verified entry that changes goes back to the queue.
    Returns True when that happened."""
    _require_owner(entry, user)
    files = list(files)
    if files:
        limits.lock_owner(user)
    limits.check_may_upload(user, files)
    values = CLEANERS[entry.kind](data, current_scheme(), today or local_today(user))
    _check_unique_language(user, entry.kind, values, entry_id=entry.id)
    checked = _check_files(files, already=len(entry.evidence))
    limits.check_quota(user, checked)
    changed = {
        name: (getattr(entry, name), value)
        for name, value in values.items()
        if getattr(entry, name) != value
    }
    back_to_queue = False
    if changed or checked:
        back_to_queue = entry.changed_by_owner()
        for name, value in values.items():
            setattr(entry, name, value)
        _attach(entry, checked)
        if back_to_queue:
            record_entry_event(
                "changed_after_verification",
                entry,
                user,
                revision=entry.revision,
                fields=sorted(changed),
                files_added=len(checked),
            )
        elif not entry.needs_verification:
            record_entry_event(
                "changed",
                entry,
                user,
                changes={name: _plain(pair) for name, pair in changed.items()},
            )
    if submit and entry.is_submittable:
        submit_entry(entry, user)
    return back_to_queue


def submit_entry(entry: ExperienceEntry, user) -> None:
    """Send the entry to the secretariat's queue."""
    _require_owner(entry, user)
    entry.submit()
    record_entry_event("submitted", entry, user, revision=entry.revision)


def delete_entry(entry: ExperienceEntry, user) -> bool:
    """Erase the entry with its files, or withdraw it when it must stay on the record
    (verified at least once, or a conflict declaration). Returns True when withdrawn."""
    _require_owner(entry, user)
    if entry.must_be_kept:
        entry.withdraw()
        record_entry_event("withdrawn", entry, user, status=entry.status)
        return True
    if entry.status != EntryStatus.DRAFT:
        record_entry_event("deleted", entry, user, status=entry.status)
    for evidence in entry.evidence:
        uploads.remove_after_commit(evidence.stored_name, db.session)
    db.session.delete(entry)
    db.session.flush()
    return False


def remove_evidence(evidence: Evidence, user) -> None:
    """Remove a file the owner attached, unless it supported the entry's verification."""
    entry = evidence.entry
    _require_owner(entry, user)
    if evidence.locked:
        raise DomainError(
            _(
                "This file supported the entry's verification and stays on the record. "
                "Upload a newer file instead if it is out of date."
            )
        )
    entry.changed_by_owner()
    uploads.remove_after_commit(evidence.stored_name, db.session)
    entry.evidence.remove(evidence)
    db.session.flush()


def _require_owner(entry: ExperienceEntry, user) -> None:
    if entry.user_id != user.id:
        raise DomainError(_("Only the person who logged this entry can change it."))


def _check_unique_language(user, kind: str, values: dict, entry_id: int | None = None) -> None:
    if kind != "language":
        return
    query = select(LanguageSkill.id).where(
        LanguageSkill.user_id == user.id,
        LanguageSkill.language == values["language"],
        LanguageSkill.withdrawn_at.is_(None),
    )
    if entry_id is not None:
        query = query.where(LanguageSkill.id != entry_id)
    if db.session.scalar(query) is not None:
        raise DomainError(
            _("You have already listed this language; edit that entry instead."),
            field="language",
        )


def _check_files(files: Iterable[Upload], *, already: int) -> list[uploads.CheckedFile]:
    """Check every upload before anything is written, so one bad file stores none."""
    checked = [uploads.check_upload(stream, name) for stream, name in files]
    if already + len(checked) > MAX_FILES_PER_ENTRY:
        raise DomainError(
            _(
                "An entry can have at most %(n)d evidence files; combine some into one PDF.",
                n=MAX_FILES_PER_ENTRY,
            ),
            field="evidence",
        )
    return checked


def _attach(entry: ExperienceEntry, checked: list[uploads.CheckedFile]) -> None:
    for item in checked:
        stored_name = uploads.store(item, db.session)
        entry.evidence.append(
            Evidence(
                stored_name=stored_name,
                display_name=item.display_name,
                content_type=item.content_type,
                size=item.size,
                sha256=item.sha256,
            )
        )
    db.session.flush()


def _plain(value: Any) -> Any:
    """Dates as ISO strings, for audit-event payloads."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


# For the scheme's rules


def verified_record(user_id: int) -> VerifiedRecord:
    """The person's experience that counts, as plain frozen data (see ``records``):
    verified audits, work, qualifications and languages, and every conflict declaration;
    nothing withdrawn. Each tuple is sorted oldest first."""
    entries = db.session.scalars(
        select(ExperienceEntry)
        .where(ExperienceEntry.user_id == user_id, ExperienceEntry.withdrawn_at.is_(None))
        .order_by(ExperienceEntry.id)
    )
    return build_record(user_id, [entry for entry in entries if entry.counts])


def cpd_of(user_id: int) -> tuple[tuple[CpdRecord, ...], tuple[CpdRecord, ...]]:
    """The person's CPD activities as records, oldest first: those that count (verified, as
    in ``verified_record``), and those waiting for verification (submitted). Nothing
    withdrawn."""
    entries = db.session.scalars(
        select(CpdActivity)
        .where(
            CpdActivity.user_id == user_id,
            CpdActivity.withdrawn_at.is_(None),
            CpdActivity.status.in_((EntryStatus.VERIFIED, EntryStatus.SUBMITTED)),
        )
        .order_by(CpdActivity.id)
    ).all()
    verified = build_record(user_id, [e for e in entries if e.counts]).cpd
    waiting = build_record(user_id, [e for e in entries if e.status == EntryStatus.SUBMITTED]).cpd
    return verified, waiting

"""Limits on what one person may store in their experience log: storage and rows cost the
scheme, and an account costs nothing to make (issue 10).

- Evidence only from a confirmed e-mail address.
- ``EVIDENCE_QUOTA_BYTES`` (default 200 MiB) over all of a person's evidence, the files of
  withdrawn entries included (they stay stored).
- ``EXPERIENCE_MAX_ENTRIES`` (default 500) entries per person, withdrawn ones included.

Each refusal is a ``DomainError`` on the form's ``evidence`` field (the cap: at the top)."""

from collections.abc import Sequence
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from educational.accounts.models import User
from educational.core.db import db
from educational.core.errors import DomainError

from .models import Evidence, ExperienceEntry
from .uploads import CheckedFile


def lock_owner(user) -> None:
    """Serialise one person's writes to their log (a row lock on PostgreSQL; SQLite writers
    hold the database lock), so two uploads at once cannot both pass the quota."""
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())


def check_may_upload(user, files: Sequence[Any]) -> None:
    """Evidence only from a confirmed address: otherwise anyone could store files under an
    address they do not own."""
    if files and not user.is_confirmed:
        raise DomainError(
            _(
                "Confirm your e-mail address before you upload evidence: follow the link in "
                "the message we sent you, or ask for a new link with “Send the link again” "
                "on this page. You can save the entry without files now."
            ),
            field="evidence",
        )


def check_entry_cap(user) -> None:
    """At most ``EXPERIENCE_MAX_ENTRIES`` entries, withdrawn ones included (they stay
    stored)."""
    limit = int(current_app.config["EXPERIENCE_MAX_ENTRIES"])
    count = db.session.scalar(select(func.count()).where(ExperienceEntry.user_id == user.id))
    if count >= limit:
        raise DomainError(
            _(
                "Your experience log has reached its limit of %(n)d entries. Delete drafts "
                "you no longer need, or ask the secretariat if you need more.",
                n=limit,
            )
        )


def evidence_bytes(user) -> int:
    """The bytes of evidence the person has stored, withdrawn entries included."""
    return db.session.scalar(
        select(func.coalesce(func.sum(Evidence.size), 0))
        .join(ExperienceEntry, ExperienceEntry.id == Evidence.entry_id)
        .where(ExperienceEntry.user_id == user.id)
    )


def check_quota(user, checked: Sequence[CheckedFile]) -> None:
    """The person's evidence stays within ``EVIDENCE_QUOTA_BYTES``."""
    if not checked:
        return
    quota = int(current_app.config["EVIDENCE_QUOTA_BYTES"])
    stored = evidence_bytes(user)
    if stored + sum(item.size for item in checked) > quota:
        raise DomainError(
            _(
                "These files would take your evidence over its limit of %(quota)s MB "
                "(%(free)s MB left). Remove files you no longer need, or upload smaller ones "
                "(a scan at a lower resolution, or the relevant pages only).",
                quota=_megabytes(quota),
                free=_megabytes(max(0, quota - stored)),
            ),
            field="evidence",
        )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")

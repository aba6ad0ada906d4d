""" "Download my data": a ZIP with ``data.json`` (everything the system holds about the
person) and their evidence files, streamed as it is made.

Nothing is loaded whole: each section of ``data.json`` is read in batches and written into
the archive entry as it goes, evidence files are copied in chunks, and the archive's bytes
are handed to the response as soon as the compressor releases them (``zipfile`` writes to
a stream it cannot seek, with data descriptors)."""

import json
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect, or_, select

from educational.accounts.models import LoginSession, NameChangeRequest, User
from educational.accreditation.models import (
    Accreditation,
    Application,
    FirmAffiliation,
    RegistryProfile,
    StatusChange,
)
from educational.api.models import ApiToken
from educational.catalog.models import Enrolment, ModuleProgress
from educational.certificates.models import Certificate
from educational.core.audit import AuditEvent
from educational.core.db import db, utcnow
from educational.experience import uploads
from educational.experience.models import Evidence, ExperienceEntry
from educational.quizzes.models import Attempt, AttemptSlot
from educational.watches.models import Watch, WebhookEndpoint

from . import erasure

#: Columns never given out: secrets, and hashes that stand for them.
SECRET_COLUMNS = frozenset({"password_hash", "token_hash", "secret", "hash_of_token"})
#: What the archive holds, as the download page lists it.
SECTIONS = (
    "account",
    "name_changes",
    "sessions",
    "enrolments",
    "module_progress",
    "attempts",
    "answers",
    "certificates",
    "experience",
    "evidence",
    "applications",
    "registry_profile",
    "accreditations",
    "status_history",
    "firm_affiliations",
    "complaints",
    "api_tokens",
    "watches",
    "webhook_endpoints",
    "audit_events",
)
BATCH = 500


def row_dict(row: Any) -> dict[str, Any]:
    """A row's columns as JSON values, without secrets."""
    mapper = inspect(row).mapper
    return {
        column.key: _plain(getattr(row, column.key))
        for column in mapper.column_attrs
        if column.key not in SECRET_COLUMNS
    }


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _queries(user: User) -> dict[str, Any]:
    """Each section's query (or None: the system holds no such records yet)."""
    entries = select(ExperienceEntry.id).where(ExperienceEntry.user_id == user.id)
    attempts = select(Attempt.id).where(Attempt.user_id == user.id)
    profile = select(RegistryProfile.id).where(RegistryProfile.user_id == user.id)
    accreditations = select(Accreditation.id).where(Accreditation.profile_id.in_(profile))
    return {
        "account": select(User).where(User.id == user.id),
        "name_changes": select(NameChangeRequest).where(NameChangeRequest.user_id == user.id),
        "sessions": select(LoginSession).where(LoginSession.user_id == user.id),
        "enrolments": select(Enrolment).where(Enrolment.user_id == user.id),
        "module_progress": select(ModuleProgress).where(
            ModuleProgress.enrolment_id.in_(
                select(Enrolment.id).where(Enrolment.user_id == user.id)
            )
        ),
        "attempts": select(Attempt).where(Attempt.user_id == user.id),
        "answers": select(AttemptSlot).where(AttemptSlot.attempt_id.in_(attempts)),
        "certificates": select(Certificate).where(Certificate.user_id == user.id),
        "experience": select(ExperienceEntry).where(ExperienceEntry.user_id == user.id),
        "evidence": select(Evidence).where(Evidence.entry_id.in_(entries)),
        "applications": select(Application).where(Application.user_id == user.id),
        "registry_profile": select(RegistryProfile).where(RegistryProfile.user_id == user.id),
        "accreditations": select(Accreditation).where(Accreditation.profile_id.in_(profile)),
        "status_history": select(StatusChange).where(
            StatusChange.accreditation_id.in_(accreditations)
        ),
        "firm_affiliations": select(FirmAffiliation).where(FirmAffiliation.profile_id.in_(profile)),
        "complaints": None,
        "api_tokens": select(ApiToken).where(ApiToken.user_id == user.id),
        "watches": select(Watch).where(Watch.user_id == user.id),
        "webhook_endpoints": select(WebhookEndpoint).where(WebhookEndpoint.user_id == user.id),
        # The same events an erasure blanks, now or after the retention period.
        "audit_events": select(AuditEvent)
        .where(or_(erasure.personal_events(user), erasure.decision_events(user)))
        .order_by(AuditEvent.id),
    }


def archive(user: User) -> Iterator[bytes]:
    """The ZIP, in chunks. Reads in the request's (read-only) transaction."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        with zf.open("data.json", "w") as entry:
            entry.write(b'{"exported_at": ' + json.dumps(utcnow().isoformat()).encode())
            for name, query in _queries(user).items():
                entry.write(f', "{name}": ['.encode())
                first = True
                if query is not None:
                    for row in db.session.scalars(query.execution_options(yield_per=BATCH)):
                        entry.write((b"" if first else b", ") + _json(row_dict(row)))
                        first = False
                        yield from sink.take()
                entry.write(b"]")
            entry.write(b"}\n")
        yield from sink.take()
        evidence = select(Evidence).join(ExperienceEntry).where(ExperienceEntry.user_id == user.id)
        for item in db.session.scalars(evidence.execution_options(yield_per=BATCH)):
            path = uploads.path_of(item.stored_name)
            if not path.exists():
                continue
            with (
                path.open("rb") as source,
                zf.open(f"evidence/{item.id}-{_safe(item.display_name)}", "w") as target,
            ):
                for block in iter(lambda: source.read(1 << 16), b""):
                    target.write(block)
                    yield from sink.take()
    yield from sink.take()


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str).encode()


def _safe(name: str) -> str:
    kept = "".join(c if c.isalnum() or c in "._- " else "_" for c in name).strip(" .")
    return kept[:100] or "file"


class _Sink:
    """A write-only stream whose bytes are taken out as they come."""

    def __init__(self):
        self._chunks: list[bytes] = []
        self._written = 0

    def write(self, data: bytes) -> int:
        self._chunks.append(bytes(data))
        self._written += len(data)
        return len(data)

    def tell(self) -> int:
        return self._written

    def flush(self) -> None:
        pass

    def take(self) -> Iterator[bytes]:
        chunks, self._chunks = self._chunks, []
        yield from chunks

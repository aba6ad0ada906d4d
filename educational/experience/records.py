"""A person's experience as plain data, for the scheme's rules engine.

``educational.experience.services.verified_record(user_id)`` builds a ``VerifiedRecord``
(its types live in the neutral ``educational.core.records``, which the accreditation rules
read too).
It holds only what counts:

- audits, work, qualifications and languages whose entry is VERIFIED today (an entry its
  owner changed after verification is back in the queue and does not count until verified
  again; draft, submitted, rejected and info-requested entries never count);
- CPD activities (``CpdRecord``) whose entry is VERIFIED, whatever their date (the CPD
  check reads the cycle it needs);
- every conflict-of-interest declaration, whatever its status: a declaration counts against
  the person who makes it, so it needs no verification;
- nothing withdrawn (an entry its owner deleted after it was verified, or a withdrawn
  declaration).

Everything is immutable and free of the database: dates are ``datetime.date``, codes are
plain strings (standard "PS", version "3", sector "aluminium-smelting", country "DE",
language "fr"), lists are tuples, each sorted oldest first. ``entry_id`` names the entry
the record came from, so a checklist can link to it. Audits, work, qualifications and
declarations are the rules engine's own record types.
"""

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from educational.core.records import (
    AuditRecord,
    CpdRecord,
    InterestDeclaration,
    LanguageRecord,
    QualificationRecord,
    VerifiedRecord,
    WorkRecord,
)

# Building a record from entries


def _oldest_first(record) -> tuple[date, int]:
    when = (
        getattr(record, "start", None)
        or getattr(record, "obtained", None)
        or getattr(record, "day", None)
        or date.min
    )
    return when, record.entry_id


def _audit_record(a) -> AuditRecord:
    return AuditRecord(
        start=a.start_date,
        end=a.end_date,
        onsite_days=a.onsite_days,
        offsite_days=a.offsite_days,
        role=a.audit_role,
        standard=a.standard,
        version=a.standard_version,
        sectors=tuple(a.sectors),
        country=a.country,
        entity=a.entity,
        entry_id=a.id,
    )


def _work_record(w) -> WorkRecord:
    return WorkRecord(
        sector=w.sector,
        country=w.country,
        start=w.start_date,
        end=w.end_date,
        specialist_areas=tuple(w.specialist_areas),
        entry_id=w.id,
    )


def _qualification_record(q) -> QualificationRecord:
    return QualificationRecord(
        kind=q.qualification_kind, obtained=q.obtained_on, expires=q.expires_on, entry_id=q.id
    )


def _language_record(s) -> LanguageRecord:
    return LanguageRecord(language=s.language, proficiency=s.proficiency, entry_id=s.id)


def _conflict_record(c) -> InterestDeclaration:
    return InterestDeclaration(
        entity=c.entity, start=c.start_date, end=c.end_date, nature=c.nature, entry_id=c.id
    )


def _cpd_record(c) -> CpdRecord:
    return CpdRecord(day=c.activity_date, hours=c.hours, category=c.category, entry_id=c.id)


#: Entry kind -> (VerifiedRecord field, record builder).
_BUILDERS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "audit": ("audits", _audit_record),
    "work": ("work", _work_record),
    "qualification": ("qualifications", _qualification_record),
    "language": ("languages", _language_record),
    "conflict": ("conflicts", _conflict_record),
    "cpd": ("cpd", _cpd_record),
}


def build_record(user_id: int, entries: Iterable[Any]) -> VerifiedRecord:
    """The record of ``entries`` (the entries that count; any object with the entry
    models' attributes will do), each tuple sorted oldest first."""
    found: dict[str, list] = {name: [] for name, _build in _BUILDERS.values()}
    for entry in entries:
        name, build = _BUILDERS[entry.kind]
        found[name].append(build(entry))
    return VerifiedRecord(
        user_id=user_id,
        **{name: tuple(sorted(items, key=_oldest_first)) for name, items in found.items()},
    )

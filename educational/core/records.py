"""A person's verified record, as plain data: what the scheme's rules read.

The neutral home of the record types (no Flask, no database): the experience log builds them
from its VERIFIED entries (``educational.experience.records``), the accreditation checklist
bundles them with the person's certificates into a ``PersonRecord``, and the eligibility
engine reads the same ``CourseRecord`` and ``InterestDeclaration``. Neither feature imports
the other to share them.

Dates are whole days; ``end`` and ``expires`` are the last day that still counts (inclusive),
while a course's ``expires_on`` and ``revoked_on`` are the certificate's: the first day it is
no longer valid, as ``educational.certificates`` computes them, so a certificate converts as
is. ``CourseRecord.valid_on`` is the one rule for whether a course counts on a day.

Codes are the scheme's: standards, sectors and specialist areas as in ``courses/scheme.yml``,
countries as ISO 3166-1 alpha-2 (compared upper-case), languages ISO 639-1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

#: The roles a person can hold in an audit (IRCA/Exemplar audit-log roles).
AUDIT_ROLES = ("lead", "auditor", "auditor_in_training", "observer", "specialist")


@dataclass(frozen=True)
class AuditRecord:
    """One verified audit of the person's audit log."""

    start: date
    #: The last day of the audit; the rules date an audit by its end.
    end: date
    onsite_days: float
    offsite_days: float
    #: One of ``AUDIT_ROLES``.
    role: str
    #: The standard audited against, e.g. "PS" or "ISO 14001"; any text.
    standard: str
    version: str
    #: Sector codes of the audited entity.
    sectors: tuple[str, ...]
    #: ISO 3166-1 alpha-2.
    country: str
    #: The audited entity's name.
    entity: str
    #: The experience entry it comes from (0 when built by hand), for links in checklists.
    entry_id: int = 0

    def __post_init__(self) -> None:
        if self.role not in AUDIT_ROLES:
            raise ValueError(
                f"audit role {self.role!r} is not one of {', '.join(AUDIT_ROLES)}; "
                "map the experience log's role to one of them"
            )
        if self.end < self.start:
            raise ValueError(f"an audit cannot end ({self.end}) before it starts ({self.start})")
        if self.onsite_days < 0 or self.offsite_days < 0:
            raise ValueError("audit days cannot be negative")

    @property
    def days(self) -> float:
        """Audit time: on-site plus off-site days."""
        return self.onsite_days + self.offsite_days


@dataclass(frozen=True)
class WorkRecord:
    """One verified work entry (a job or assignment), in one sector and country."""

    #: None for work outside the scheme's sectors (it still counts for countries and areas).
    sector: str | None
    country: str
    start: date
    #: The last day worked; None while the work goes on (it then counts up to the
    #: evaluation date).
    end: date | None
    #: Specialist areas this work is evidence of.
    specialist_areas: tuple[str, ...] = ()
    #: The experience entry it comes from (0 when built by hand), for links in checklists.
    entry_id: int = 0

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"work cannot end ({self.end}) before it starts ({self.start})")


@dataclass(frozen=True)
class QualificationRecord:
    """One verified qualification, e.g. kind "management-system-auditor"."""

    kind: str
    obtained: date
    #: The last day it is valid; None: it never expires.
    expires: date | None = None
    entry_id: int = 0


def certificate_status(
    day: date, *, expires_on: date | None, revoked_on: date | None = None
) -> str:
    """A certificate's status on ``day`` (a day on or after its issue): "revoked" from the
    day it was revoked, "expired" from its ``expires_on``, else "valid". A revocation counts
    from its day, so a question about an earlier day is answered as it was then."""
    if revoked_on is not None and revoked_on <= day:
        return "revoked"
    if expires_on is not None and day >= expires_on:
        return "expired"
    return "valid"


def utc_day(moment: datetime | None) -> date | None:
    """The UTC day of a timestamp (a revocation, a lapse, a status change)."""
    return moment.astimezone(UTC).date() if moment is not None else None


def next_midnight(day: date) -> datetime:
    """The first moment after ``day`` (UTC): a timestamp falls on ``day`` or before when it
    is earlier. The end of time for the last representable day."""
    if day >= date.max:
        return datetime.max.replace(tzinfo=UTC)
    return datetime.combine(day + timedelta(days=1), time(), UTC)


@dataclass(frozen=True, slots=True)
class CourseRecord:
    """A course passed: one certificate of completion, revoked or not."""

    slug: str
    #: The day the certificate was issued (``Certificate.issued_on``).
    completed_on: date
    #: The first day the certificate is no longer valid (``Certificate.expires_on``);
    #: None: it never expires.
    expires_on: date | None = None
    #: The standard code and version the course trains for, as in its course.yml (None for
    #: general courses such as asi-auditor).
    standard: str | None = None
    version: str | None = None
    #: The day it was revoked (a revocation counts from that day on); None: never.
    revoked_on: date | None = None

    def valid_on(self, day: date) -> bool:
        """The one rule for training: completed by ``day``, and its certificate valid on
        ``day`` (not expired, not revoked)."""
        return self.completed_on <= day and (
            certificate_status(day, expires_on=self.expires_on, revoked_on=self.revoked_on)
            == "valid"
        )

    def revoked_by(self, day: date) -> bool:
        return self.revoked_on is not None and self.revoked_on <= day


@dataclass(frozen=True)
class SpecialistEvidence:
    """Verified evidence of expertise in a specialist area, other than a work entry.

    Work entries already carry their areas (``WorkRecord.specialist_areas``); this holds the
    rest: a qualification, an audit done as specialist, a publication, a reference.
    """

    #: A specialist area code of the scheme.
    area: str
    #: What the evidence is: "qualification", "audit", "publication", "reference", "other";
    #: free text, only used to describe the evidence in reasons.
    kind: str
    #: When it was obtained or done; evidence dated after the evaluation date does not count.
    dated: date
    description: str = ""


@dataclass(frozen=True)
class InterestDeclaration:
    """A declared consulting, employment or other link with an entity (conflict of interest).

    Declarations are the person's own statements and count whether verified or not.
    """

    entity: str
    #: "consulting", "employment", "other"...; used in reasons.
    nature: str
    start: date
    #: The last day of the link; None while it lasts.
    end: date | None = None
    entry_id: int = 0


#: The results of a witness assessment or a report review, best first.
ASSESSMENT_RESULTS = ("satisfactory", "minor_concerns", "major_concerns")


@dataclass(frozen=True)
class CpdRecord:
    """One verified continuing professional development (CPD) activity."""

    #: The day it took place (the last day, for an activity over several days).
    day: date
    hours: float
    #: A CPD category code of scheme.yml.
    category: str
    entry_id: int = 0


@dataclass(frozen=True)
class AssessmentRecord:
    """One witness assessment of the person at work, or one review of an audit report they
    wrote (performance monitoring), as recorded by staff."""

    day: date
    #: One of ``ASSESSMENT_RESULTS``.
    result: str
    #: "witness" or "report_review".
    kind: str = "witness"
    #: The sector of the audit assessed ("" when not given).
    sector: str = ""
    #: False once an appeal overturned it: it then counts for nothing.
    counts: bool = True
    assessment_id: int = 0

    def __post_init__(self) -> None:
        if self.result not in ASSESSMENT_RESULTS:
            raise ValueError(
                f"assessment result {self.result!r} is not one of {', '.join(ASSESSMENT_RESULTS)}"
            )


@dataclass(frozen=True)
class PersonRecord:
    """Everything verified about one person that the rules read."""

    audits: tuple[AuditRecord, ...] = ()
    work: tuple[WorkRecord, ...] = ()
    qualifications: tuple[QualificationRecord, ...] = ()
    courses: tuple[CourseRecord, ...] = ()
    specialist_evidence: tuple[SpecialistEvidence, ...] = ()
    declarations: tuple[InterestDeclaration, ...] = ()
    cpd: tuple[CpdRecord, ...] = ()
    #: Witness assessments and report reviews, oldest first.
    assessments: tuple[AssessmentRecord, ...] = ()


@dataclass(frozen=True)
class LanguageRecord:
    #: ISO 639-1.
    language: str
    #: A1, A2, B1, B2, C1, C2 or native.
    proficiency: str
    entry_id: int = 0


@dataclass(frozen=True)
class VerifiedRecord:
    """What the experience log holds that counts (see ``educational.experience.records``)."""

    user_id: int
    audits: tuple[AuditRecord, ...] = ()
    work: tuple[WorkRecord, ...] = ()
    qualifications: tuple[QualificationRecord, ...] = ()
    languages: tuple[LanguageRecord, ...] = ()
    conflicts: tuple[InterestDeclaration, ...] = ()
    cpd: tuple[CpdRecord, ...] = ()

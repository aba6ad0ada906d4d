"""A person's verified record, as the accreditation rules engine reads it.

Plain frozen dataclasses, no database. The experience log converts its VERIFIED rows into
these (``PersonRecord`` bundles them); the rules engine never sees anything unverified, so it
never asks. Dates are whole days; ``end`` and ``expires`` are the last day that still counts
(inclusive), while a course's ``expires_on`` is the certificate's: the first day it is no
longer valid, as ``educational.certificates`` computes it, so a certificate converts as is.

Codes are the scheme's: standards, sectors and specialist areas as in ``courses/scheme.yml``,
countries as ISO 3166-1 alpha-2 (compared upper-case).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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


@dataclass(frozen=True)
class CourseRecord:
    """A passed course, i.e. a valid (not revoked) certificate."""

    slug: str
    completed_on: date
    #: The first day the certificate is no longer valid (``Certificate.expires_on``);
    #: None: it never expires.
    expires_on: date | None = None
    #: The standard code and version the course trains for, as in its course.yml (None for
    #: general courses such as asi-auditor).
    standard: str | None = None
    version: str | None = None


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


@dataclass(frozen=True)
class PersonRecord:
    """Everything verified about one person that the rules read."""

    audits: tuple[AuditRecord, ...] = ()
    work: tuple[WorkRecord, ...] = ()
    qualifications: tuple[QualificationRecord, ...] = ()
    courses: tuple[CourseRecord, ...] = ()
    specialist_evidence: tuple[SpecialistEvidence, ...] = ()
    declarations: tuple[InterestDeclaration, ...] = ()

"""What the rules engine returns, and what every check reads besides the record."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from educational.catalog.content.model import Scheme


@dataclass(frozen=True)
class Reason:
    """Why a requirement is met or not, as data: a message id and its values, rendered in
    the reader's language with human names by ``educational.accreditation.reasons``.

    Values are JSON-ready and hold codes, not names: "course" (a slug), "standard",
    "sector", "country", "area", "kind" (a qualification kind), numbers, and dates as ISO
    strings under the keys that ``reasons.DATE_KEYS`` lists."""

    id: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "values": dict(self.values)}


@dataclass(frozen=True)
class RequirementResult:
    """One requirement, met or not, for one scope item (a standard, sector, country, area)."""

    #: Stable and machine-readable: "course:asi-auditor", "standard_course:PS",
    #: "qualification:management-system-auditor", "audits", "audits:lead",
    #: "sector_experience:PS/aluminium-smelting", "country_experience:NO",
    #: "specialist_area:human-rights"; the bare kind ("standard_course", "sector_experience",
    #: "country_experience", "specialist_area") when nothing of that kind was chosen.
    code: str
    met: bool
    #: A sentence for people: "3 of 4 audits in the last 3 years (since 2023-11-26)".
    reason: str
    #: The figures behind the reason, JSON-ready (numbers, strings, ISO dates, None).
    details: dict[str, Any] = field(default_factory=dict)
    #: The reason as a message id with values, for pages in the reader's language (the
    #: English ``reason`` stays the record's wording: snapshots, logs, the CLI).
    message: Reason | None = None


def unknown_standard(code: str, standard: str, scheme: Scheme) -> RequirementResult:
    """The unmet result ``code`` of a check about a standard that ``scheme`` does not have."""
    known = ", ".join(sorted(scheme.standards))
    reason = f"standard {standard} is not in the scheme (known: {known})"
    message = Reason("standard.unknown", {"standard": standard})
    return RequirementResult(code, False, reason, {"standard": standard}, message)


@dataclass(frozen=True)
class Evaluation:
    """A role's requirements evaluated for one person, scope and date."""

    role: str
    #: True when every result is met.
    met: bool
    #: In the order of the scheme's requirements (included roles' first).
    results: tuple[RequirementResult, ...]
    as_of: date

    @property
    def unmet(self) -> tuple[RequirementResult, ...]:
        return tuple(result for result in self.results if not result.met)


@dataclass(frozen=True)
class EvaluationContext:
    """What a check needs besides the record: the scheme, the scope asked for, the date."""

    scheme: Scheme
    #: (standard code, sector code) pairs, without duplicates, in the order given.
    scopes: tuple[tuple[str, str], ...]
    #: ISO 3166-1 alpha-2 codes, upper-case, without duplicates.
    countries: tuple[str, ...]
    #: Specialist area codes, without duplicates.
    specialist_areas: tuple[str, ...]
    as_of: date
    #: At renewal: the first day of the cycle that ends (``as_of`` less the scheme's
    #: validity), over which the renewal requirements (CPD, witness) are read; None for a
    #: first application.
    cycle_start: date | None = None

    @property
    def standards(self) -> tuple[str, ...]:
        """The standards in scope, each once, in the order given."""
        return tuple(dict.fromkeys(standard for standard, _sector in self.scopes))


class UnknownRequirementKind(ValueError):
    """scheme.yml names a requirement kind the engine does not know."""


class UnknownRole(ValueError):
    """The role asked for is not a role of the scheme."""

"""Conflict of interest: a declared link with the audited entity in the last years."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from educational.core.records import InterestDeclaration

from .periods import Window
from .results import Reason, RequirementResult


def normalise_entity(name: str) -> str:
    """The name as compared: spaces collapsed, case folded ("ACME  Smelter" = "acme smelter")."""
    return " ".join(name.split()).casefold()


def conflict_of_interest(
    declarations: Iterable[InterestDeclaration],
    entity: str,
    as_of: date,
    window_years: int = 3,
) -> RequirementResult:
    """Met (no conflict) unless a link declared with ``entity`` overlapped the
    ``window_years`` years up to ``as_of`` (the same window as the audits requirement: from
    the same day ``window_years`` earlier up to ``as_of``, both inclusive). A link that starts
    after ``as_of`` is not a conflict on ``as_of``.

    The reason names the entity as asked and the window only, never a link's kind or dates:
    members read it. ``details`` has the links in full for the holder and staff."""
    window = Window.last_years(as_of, window_years)
    wanted = normalise_entity(entity)
    entity = " ".join(entity.split())
    links = [
        declaration
        for declaration in declarations
        if normalise_entity(declaration.entity) == wanted
        and window.clip(declaration.start, declaration.end) is not None
    ]
    details = {
        "entity": entity,
        "links": [
            {
                "entity": link.entity,
                "nature": link.nature,
                "start": link.start.isoformat(),
                "end": link.end.isoformat() if link.end else None,
            }
            for link in links
        ],
    } | window.details()
    # Members read the message too: the entity and the window only.
    values = {"entity": entity} | window.details()
    if not links:
        reason = f"no declared link with {entity}{window.phrase}"
        message = Reason("conflict.none", values)
        return RequirementResult("conflict_of_interest", True, reason, details, message)
    # The reason is read by members (the eligibility form and API): it says that a link is
    # declared, never its kind or dates, which are the holder's to share. The details keep
    # them for the holder and staff, who see the declarations themselves.
    reason = f"declared a link with {entity}: a conflict of interest{window.phrase}"
    message = Reason("conflict.declared", values)
    return RequirementResult("conflict_of_interest", False, reason, details, message)

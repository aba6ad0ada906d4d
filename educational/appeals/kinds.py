"""The appeals interface: what a feature tells appeals about a decision that may be
appealed, and how an overturn is applied. Features above appeals (complaints, monitoring)
register their kinds in their ``init_app``; appeals registers its own (application
rejection, suspension, withdrawal). See /work/notes/appeal-interface.md."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app


@dataclass(frozen=True)
class Decision:
    """A decision that may be appealed, as the feature that took it describes it."""

    kind: str  # e.g. "complaint_outcome"
    subject_id: int  # the id of the decision's row in its feature
    person_id: int  # users.id of the person affected: the only one who may appeal
    decided_at: datetime  # aware UTC; the appeal window runs from here
    deciders: frozenset[int]  # users.id of every staff member who took part in the decision
    summary: str  # one line in the reader's language, e.g. "Complaint C-2026-0007: suspension"
    url: str | None = None  # a page where staff see the decision (relative, url_for)
    appealable: bool = True  # False when the decision is of a kind that cannot be appealed
    # (e.g. a satisfactory assessment, an unfounded complaint)
    accreditation_id: int | None = None  # the accreditation the decision suspended, withdrew
    # or otherwise affects, if any: the registry shows it "under appeal" while one is open


@dataclass(frozen=True)
class AppealKind:
    kind: str
    label: object  # lazy_gettext, e.g. _l("Complaint outcome")
    find: Callable[[int], Decision | None]  # subject_id -> Decision, None if unknown
    overturn: Callable[[int, object, str], None]  # (subject_id, acting staff user, reasons):
    # apply the effect of an overturned decision, write its own audit events; raise
    # educational.core.errors.NotAllowed if it cannot be applied. Called inside the
    # request's transaction.


def register_appeal_kind(app, kind: AppealKind) -> None:
    app.extensions.setdefault("appeal_kinds", {})[kind.kind] = kind


def appeal_kinds() -> dict[str, AppealKind]:
    return current_app.extensions.get("appeal_kinds", {})

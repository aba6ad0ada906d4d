"""The accreditation rules engine: pure functions, no Flask, no database.

``evaluate(scheme, role, record, scopes=..., countries=..., as_of=...)`` checks a person's
verified record (``educational.core.records``) against a role's requirements from
scheme.yml and returns every requirement met or not, with a reason. The version helpers and
``conflict_of_interest`` serve the eligibility engine too.
"""

from .conflicts import conflict_of_interest, normalise_entity
from .engine import CHECKS, Check, evaluate
from .experience import COUNTED_AUDIT_ROLES, DAYS_PER_YEAR, counted_audits
from .periods import Window, add_months, covered_days, years_before
from .results import (
    Evaluation,
    EvaluationContext,
    Reason,
    RequirementResult,
    UnknownRequirementKind,
    UnknownRole,
)
from .versions import current_version, transition_last_day, usable_versions

__all__ = [
    "CHECKS",
    "COUNTED_AUDIT_ROLES",
    "DAYS_PER_YEAR",
    "Check",
    "Evaluation",
    "EvaluationContext",
    "Reason",
    "RequirementResult",
    "UnknownRequirementKind",
    "UnknownRole",
    "Window",
    "add_months",
    "conflict_of_interest",
    "counted_audits",
    "covered_days",
    "current_version",
    "evaluate",
    "normalise_entity",
    "transition_last_day",
    "usable_versions",
    "years_before",
]

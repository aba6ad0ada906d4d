"""``GET /api/v1/eligibility`` (one auditor, every check) and ``GET /api/v1/eligible``
(everyone who passes every check): members only, the same engine and queries as the
members' pages."""

from educational.catalog.scheme import current_scheme
from educational.core.db import today
from educational.registry import queries
from educational.registry.schemas import (
    EligibilityQuestionSchema,
    PageAndSize,
    ScopeQuestionSchema,
)

from .. import schemas
from ..auth import members_only
from ..openapi import operation
from . import bp
from .registry import unknown_registry_id


@bp.get("/eligibility")
@members_only
@operation(
    "checkEligibility",
    "Whether one auditor may audit: every check with its reason.",
    query=[EligibilityQuestionSchema()],
    responds=schemas.Eligibility,
    ok="The verdict and every check.",
    errors=("400", "401", "403", "404", "429"),
)
def eligibility(question):
    answer = queries.eligibility(question, current_scheme())
    if answer is None:
        raise unknown_registry_id(question.registry_id)
    return answer


@bp.get("/eligible")
@members_only
@operation(
    "findEligible",
    "Everyone who passes every check, sorted by name.",
    query=[ScopeQuestionSchema(), PageAndSize()],
    responds=schemas.EntryPage,
    ok="A page of entries.",
    errors=("400", "401", "403", "429"),
)
def eligible(question, paging):
    found = queries.eligible_page(question, current_scheme(), today(), *paging)
    return found.map(lambda row: row.entry)

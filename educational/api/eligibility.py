"""``GET /api/v1/eligibility`` (one auditor, every check) and ``GET /api/v1/eligible``
(everyone who passes every check): members only, the same engine as the members' pages."""

from flask import jsonify, request
from flask_babel import gettext as _

from educational.registry import params
from educational.registry.entries import entry_json, load_entries
from educational.registry.holders import check_eligibility, eligible_holders

from .auth import members_only
from .errors import ApiError
from .registry import page_json, page_params, refuse_empty
from .views import bp


def verdict_json(registry_id: str, as_of, verdict) -> dict:
    return {
        "registry_id": registry_id,
        "eligible": verdict.eligible,
        "as_of": as_of.isoformat(),
        "checks": [
            {"code": check.code, "passed": check.passed, "message": check.message}
            for check in verdict.checks
        ],
    }


@bp.get("/eligibility")
@members_only
def eligibility():
    refuse_empty(request.args)
    scheme = params.scheme_or_none()
    question = params.parse_eligibility_question(request.args, scheme)
    found = check_eligibility(
        question.registry_id,
        question.role,
        question.standard,
        question.sector,
        question.country,
        question.date,
        question.entity,
        scheme=scheme,
    )
    if found is None:
        raise ApiError(
            404,
            _(
                "No one in the public registry has the registry id %(id)s. Check it, or search "
                "with GET /api/v1/registry?q=<name>.",
                id=question.registry_id,
            ),
            field="registry_id",
        )
    holder, verdict = found
    return jsonify(verdict_json(holder.registry_id, question.date, verdict))


@bp.get("/eligible")
@members_only
def eligible():
    refuse_empty(request.args)
    scheme = params.scheme_or_none()
    question = params.parse_scope_question(request.args, scheme)
    page, per_page = page_params(request.args)
    found = eligible_holders(
        question.role,
        question.standard,
        question.sector,
        question.country,
        question.date,
        scheme=scheme,
    )
    shown = found[(page - 1) * per_page : page * per_page]
    entries = load_entries([item.profile_id for item in shown], params.today())
    return page_json([entry_json(entry) for entry in entries], len(found), page, per_page)

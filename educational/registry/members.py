"""The members' pages: the eligibility check of one auditor, and "find eligible auditors"
(a shortlist, also as CSV). Both ask the engine of ``eligibility.py``, as the API does."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from educational.core.errors import DomainError
from educational.core.export import csv_response
from educational.core.forms import show_domain_error
from educational.core.permissions import requires

from . import csvexport, params
from .entries import load_entries
from .forms import EligibilityForm, ShortlistForm
from .holders import CHUNK, check_eligibility, eligible_holders
from .views import template_labels

bp = Blueprint("members", __name__, url_prefix="/members")

PER_PAGE = 25
#: The query-string fields of the shortlist's question.
QUESTION_FIELDS = ("role", "standard", "sector", "country", "date")


@bp.get("/eligibility")
@requires("check_eligibility")
def eligibility():
    scheme = params.scheme_or_none()
    asked = "registry_id" in request.args
    form = EligibilityForm(scheme, formdata=request.args if asked else None)
    question = holder = verdict = None
    if asked:
        try:
            question = params.parse_eligibility_question(request.args, scheme)
        except DomainError as error:
            show_domain_error(form, error)
        else:
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
                show_domain_error(
                    form,
                    DomainError(
                        _(
                            "No one in the public registry has the registry id %(id)s; "
                            "check it, or search the registry by name.",
                            id=question.registry_id,
                        ),
                        field="registry_id",
                    ),
                )
            else:
                holder, verdict = found
    return render_template(
        "registry/eligibility.html",
        form=form,
        question=question,
        holder=holder,
        verdict=verdict,
        **template_labels(scheme),
    )


def _shortlist(args):
    """(scheme, form, question or None, eligible holders)."""
    scheme = params.scheme_or_none()
    asked = "role" in args
    form = ShortlistForm(scheme, formdata=args if asked else None)
    question, found = None, []
    if asked:
        try:
            question = params.parse_scope_question(args, scheme)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            found = eligible_holders(
                question.role,
                question.standard,
                question.sector,
                question.country,
                question.date,
                scheme=scheme,
            )
    return scheme, form, question, found


@bp.get("/eligible")
@requires("check_eligibility")
def shortlist():
    scheme, form, question, found = _shortlist(request.args)
    try:
        page = params.parse_positive(request.args.get("page"), "page", default=1)
    except DomainError:
        page = 1
    pages = max(1, -(-len(found) // PER_PAGE))
    shown = found[(page - 1) * PER_PAGE : page * PER_PAGE]
    entries = load_entries([item.profile_id for item in shown], params.today())
    held = {item.profile_id: item.verdict.accreditation for item in shown}
    return render_template(
        "registry/shortlist.html",
        form=form,
        question=question,
        total=len(found),
        rows=[(entry, held[entry.profile_id]) for entry in entries],
        page=page,
        pages=pages,
        **template_labels(scheme),
    )


@bp.get("/eligible.csv")
@requires("check_eligibility")
def shortlist_csv():
    _scheme, _form, question, found = _shortlist(request.args)
    if question is None:
        # The page shows what is wrong with the question. Only the question's fields are
        # passed on: url_for would take _external, _scheme or endpoint as its own arguments.
        asked = {name: request.args[name] for name in QUESTION_FIELDS if name in request.args}
        return redirect(url_for("members.shortlist", **asked))
    today = params.today()

    def batches():
        # The engine has checked everyone already (``found``); their entries are read a
        # batch at a time as the download goes.
        for start in range(0, len(found), CHUNK):
            part = found[start : start + CHUNK]
            held = {item.profile_id: item.verdict.accreditation for item in part}
            yield [
                (entry, held[entry.profile_id].role, held[entry.profile_id].valid_until.isoformat())
                for entry in load_entries([item.profile_id for item in part], today)
            ]

    name = f"eligible-{question.role}-{question.standard}-{question.sector}-{question.country}"
    return csv_response(csvexport.shortlist_csv(batches()), f"{name}.csv")

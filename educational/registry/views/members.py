"""The members' pages: the eligibility check of one auditor, and "find eligible auditors"
(a shortlist, also as CSV). Both ask the engine through ``..queries``, as the API does."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from educational.catalog.scheme import current_scheme
from educational.core.db import today
from educational.core.errors import DomainError
from educational.core.export import csv_response
from educational.core.pagination import Page
from educational.core.permissions import requires
from educational.core.transaction import form_errors

from .. import csvexport, queries
from ..forms import EligibilityForm, ShortlistForm
from ..schemas import EligibilityQuestionSchema, LenientPageNumber, ScopeQuestionSchema, load
from ..sql import CHUNK
from . import members_bp as bp
from . import template_labels

PER_PAGE = 25
#: The query-string fields of the shortlist's question.
QUESTION_FIELDS = ("role", "standard", "sector", "country", "date")


@bp.get("/eligibility")
@requires("check_eligibility")
def eligibility():
    scheme = current_scheme()
    asked = "registry_id" in request.args
    form = EligibilityForm(scheme, formdata=request.args if asked else None)
    question = answer = None
    if asked:
        with form_errors(form):
            question = load(EligibilityQuestionSchema(), request.args)
            answer = queries.eligibility(question, scheme)
            if answer is None:
                raise DomainError(
                    _(
                        "No one in the public registry has the registry id %(id)s; check it, "
                        "or search the registry by name.",
                        id=question.registry_id,
                    ),
                    field="registry_id",
                )
    return render_template(
        "registry/eligibility.html",
        form=form,
        question=question,
        holder=answer.holder if answer else None,
        verdict=answer.verdict if answer else None,
        **template_labels(scheme),
    )


def _shortlist(args):
    """(scheme, form, question or None)."""
    scheme = current_scheme()
    asked = "role" in args
    form = ShortlistForm(scheme, formdata=args if asked else None)
    question = None
    if asked:
        with form_errors(form):
            question = load(ScopeQuestionSchema(), args)
    return scheme, form, question


@bp.get("/eligible")
@requires("check_eligibility")
def shortlist():
    scheme, form, question = _shortlist(request.args)
    page = load(LenientPageNumber(), request.args)
    results = Page([], 0, page, PER_PAGE)
    if question is not None:
        results = queries.eligible_page(question, scheme, today(), page, PER_PAGE)
    return render_template(
        "registry/shortlist.html",
        form=form,
        question=question,
        results=results,
        **template_labels(scheme),
    )


@bp.get("/eligible.csv")
@requires("check_eligibility")
def shortlist_csv():
    scheme, _form, question = _shortlist(request.args)
    if question is None:
        # The page shows what is wrong with the question. Only the question's fields are
        # passed on: url_for would take _external, _scheme or endpoint as its own arguments.
        asked = {name: request.args[name] for name in QUESTION_FIELDS if name in request.args}
        return redirect(url_for("members.shortlist", **asked))
    day = today()
    found = queries.eligible(question, scheme)

    def batches():
        # The engine has checked everyone already (``found``); their entries are read a
        # batch at a time as the download goes.
        for start in range(0, len(found), CHUNK):
            yield [
                (row.entry, row.accreditation.role, row.accreditation.valid_until.isoformat())
                for row in queries.shortlist_rows(found[start : start + CHUNK], day)
            ]

    name = f"eligible-{question.role}-{question.standard}-{question.sector}-{question.country}"
    return csv_response(csvexport.shortlist_csv(batches()), f"{name}.csv")

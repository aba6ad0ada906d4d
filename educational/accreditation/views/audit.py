"""The audit-trail browser for staff: every event, filtered by person, object, kind and date,
a page at a time, and whether the chain verifies.

A page view shows the latest signed checkpoint (cron verifies the whole chain before it
signs one) and never walks the chain; "Verify now" (a POST) walks it on demand and shows the
result on the page it returns, writing nothing."""

from datetime import date

from flask import render_template, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from educational.core.forms import query_text, requested_page
from educational.core.permissions import requires

from .. import audit_trail
from . import audit_bp as bp


class VerifyForm(FlaskForm):
    """The "Verify now" button: only the CSRF token."""


def _date(name: str, errors: list[str]) -> date | None:
    text = query_text(name, 10)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(_("“%(value)s” is not a date; write it as 2026-12-31.", value=text))
        return None


#: The query parameters of the page's filters.
FILTER_NAMES = ("person", "subject_type", "subject_id", "kind", "since", "until")


def _filters(errors: list[str]) -> audit_trail.AuditFilters:
    return audit_trail.AuditFilters(
        person=query_text("person", 320),
        subject_type=query_text("subject_type", 40),
        subject_id=query_text("subject_id", 80),
        kind=query_text("kind", 80),
        since=_date("since", errors),
        until=_date("until", errors),
    )


def _page(status: audit_trail.ChainStatus):
    errors: list[str] = []
    filters = _filters(errors)
    return render_template(
        "accreditation/audit_trail.html",
        filters=filters,
        errors=errors,
        page=audit_trail.events_page(filters, requested_page()),
        subject_types=audit_trail.subject_types(),
        kinds=audit_trail.action_kinds(),
        status=status,
        form=VerifyForm(),
        # Only the filters' own names go back into links (never "endpoint" or the like).
        args={k: v for k, v in request.args.items() if k in FILTER_NAMES and v},
    )


@bp.get("")
@requires("audit_trail")
def index():
    return _page(audit_trail.chain_status())


@bp.post("/verify")
@requires("audit_trail")
def verify():
    form = VerifyForm()
    if not form.validate_on_submit():
        return _page(audit_trail.chain_status()), 400
    return _page(audit_trail.verify_now())

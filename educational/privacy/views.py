"""The person's data page (download, ask for erasure) and the staff's erasure queue."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from educational.core.db import db
from educational.core.permissions import authenticated, requires
from educational.core.transaction import flash_errors, form_errors

from . import erasure, export
from .forms import ErasureDecisionForm, ErasureForm
from .models import ErasureRequest

bp = Blueprint("privacy", __name__)
blueprints = (bp,)


@bp.get("/account/data")
@authenticated
def data():
    return _data_page(ErasureForm())


def _data_page(form: ErasureForm, status: int = 200):
    return (
        render_template(
            "privacy/data.html",
            form=form,
            sections=export.SECTIONS,
            request_=erasure.latest_request(current_user),
            blocking=erasure.blocking_accreditations(current_user),
        ),
        status,
    )


@bp.get("/account/data.zip")
@authenticated
def download():
    return Response(
        stream_with_context(export.archive(current_user)),
        mimetype="application/zip",
        headers={
            "Content-Disposition": 'attachment; filename="my-data.zip"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.post("/account/data/erase")
@authenticated
def request_erasure():
    form = ErasureForm()
    if form.validate_on_submit():
        with form_errors(form):
            erasure.request_erasure(current_user)
            flash(
                _("Your request is with the staff; you will be told of their decision."), "success"
            )
            return redirect(url_for("privacy.data"))
    return _data_page(form, 400)


@bp.post("/account/data/erase/withdraw")
@authenticated
def withdraw():
    with flash_errors(url_for("privacy.data")):
        erasure.withdraw_request(current_user)
    flash(_("Your request to erase your data is withdrawn."), "success")
    return redirect(url_for("privacy.data"))


@bp.get("/staff/erasures")
@requires("staff_area")
def queue():
    return render_template("privacy/queue.html", pending=erasure.queue())


@bp.get("/staff/erasures/<int:erasure_id>")
@requires("staff_area")
def review(erasure_id: int):
    found = db.session.get(ErasureRequest, erasure_id) or abort(404)
    return _review_page(found, ErasureDecisionForm())


@bp.post("/staff/erasures/<int:erasure_id>/decide")
@requires("staff_area")
def decide(erasure_id: int):
    found = db.session.get(ErasureRequest, erasure_id, with_for_update=True) or abort(404)
    form = ErasureDecisionForm()
    if form.validate_on_submit():
        with form_errors(form):
            approve = form.decision.data == "approve"
            erasure.decide(found, current_user, approve=approve, reason=form.reason.data or "")
            flash(_("Erased.") if approve else _("Rejected; the person is told why."), "success")
            return redirect(url_for("privacy.queue"))
    return _review_page(found, form, 400)


def _review_page(found: ErasureRequest, form: ErasureDecisionForm, status: int = 200):
    return (
        render_template(
            "privacy/review.html",
            erasure_request=found,
            form=form,
            blocking=erasure.blocking_accreditations(found.user),
            retention_years=current_app.config["DATA_RETENTION_YEARS"],
        ),
        status,
    )

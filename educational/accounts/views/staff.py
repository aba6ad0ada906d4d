"""Changes of name for the secretariat: the queue (old and new names side by side) and the
decision on each, accepted or rejected with a reason. See ``names``."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from educational.core.db import db
from educational.core.permissions import requires
from educational.core.transaction import form_errors

from .. import names
from ..forms import NameDecisionForm
from ..models import NameChangeRequest
from . import names_bp as bp


@bp.get("/staff/names")
@requires("staff_area")
def queue():
    return render_template(
        "accounts/name_changes.html",
        pending=names.pending_requests(),
        decided=names.recent_decisions(),
    )


@bp.get("/staff/names/<int:name_change_id>")
@requires("staff_area")
def review(name_change_id: int):
    change = db.session.get(NameChangeRequest, name_change_id) or abort(404)
    return _review_page(change, NameDecisionForm())


@bp.post("/staff/names/<int:name_change_id>/decide")
@requires("staff_area")
def decide(name_change_id: int):
    # Locked for the decision, so two staff members cannot both decide on it at once.
    change = db.session.get(NameChangeRequest, name_change_id, with_for_update=True)
    if change is None:
        abort(404)
    form = NameDecisionForm()
    if form.validate_on_submit():
        accept = form.decision.data == "accept"
        with form_errors(form):
            names.decide_name_change(change, current_user, accept, form.reason.data or "")
            if accept:
                flash(_("Accepted: the new name shows everywhere from now on."), "success")
            else:
                flash(_("Rejected: the name stays as it was."), "success")
            return redirect(url_for("names.queue"))
    return _review_page(change, form)


def _review_page(change: NameChangeRequest, form: NameDecisionForm):
    return render_template(
        "accounts/name_change.html",
        change=change,
        form=form,
        namesakes=names.namesakes(change),
        own=change.user_id == current_user.id,
    )

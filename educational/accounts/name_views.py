"""Changes of name: the person withdraws their pending one; staff see the queue (old and new
names side by side) and accept or reject each with a reason. See ``names``."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from educational.core.db import db
from educational.core.errors import DomainError
from educational.core.forms import show_domain_error
from educational.core.permissions import authenticated, requires

from . import names
from .forms import NameDecisionForm
from .models import NameChangeRequest

bp = Blueprint("names", __name__)


@bp.post("/account/name-change/withdraw")
@authenticated
def withdraw():
    try:
        names.withdraw_name_change(current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("Your change of name is withdrawn; your name stays as it is."), "success")
    return redirect(url_for("accounts.profile"))


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
        try:
            names.decide_name_change(change, current_user, accept, form.reason.data or "")
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
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

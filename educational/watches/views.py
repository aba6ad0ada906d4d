"""The member's watch list: the people watched and how, webhook endpoints (the secret shown
once), and the delivery log. Watch buttons on the registry pages post here."""

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from educational.core.permissions import requires
from educational.core.security import safe_next
from educational.core.transaction import flash_errors, form_errors

from . import services
from .forms import DELIVERY_LABELS, EndpointForm, WatchForm

bp = Blueprint("watches", __name__, url_prefix="/account/watches")
blueprints = (bp,)
PERMISSION = "watch_registry"


def _page(endpoint_form: EndpointForm, created=None, status: int = 200):
    response = make_response(
        render_template(
            "watches/index.html",
            watches=services.watches_of(current_user),
            endpoints=services.endpoints_of(current_user),
            deliveries=services.deliveries_of(current_user),
            endpoint_form=endpoint_form,
            created=created,
            labels=DELIVERY_LABELS,
        ),
        status,
    )
    response.headers["Cache-Control"] = "no-store"  # may hold a new endpoint's secret
    return response


@bp.get("")
@requires(PERMISSION)
def index():
    return _page(EndpointForm())


@bp.post("/people/<registry_id>")
@requires(PERMISSION)
def watch(registry_id: str):
    back = safe_next(request.form.get("next")) or url_for("watches.index")
    form = WatchForm()
    if not form.validate_on_submit():
        flash(_("The form expired. Try again."), "error")
        return redirect(safe_next(request.form.get("next")) or url_for("watches.index"))
    with flash_errors(back):
        services.watch(current_user, registry_id, form.delivery.data)
    flash(
        _("You watch %(id)s: %(how)s.", id=registry_id, how=DELIVERY_LABELS[form.delivery.data]),
        "success",
    )
    return redirect(safe_next(request.form.get("next")) or url_for("watches.index"))


@bp.post("/people/<registry_id>/remove")
@requires(PERMISSION)
def unwatch(registry_id: str):
    if not WatchForm().validate_on_submit():
        flash(_("The form expired. Try again."), "error")
    elif services.unwatch(current_user, registry_id):
        flash(_("You no longer watch %(id)s.", id=registry_id), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("watches.index"))


@bp.post("/endpoints")
@requires(PERMISSION)
def add_endpoint():
    form = EndpointForm()
    if form.validate_on_submit():
        with form_errors(form):
            endpoint, secret = services.add_endpoint(current_user, form.url.data)
            # Shown in this answer only, never in a redirect's flash (the session cookie).
            return _page(EndpointForm(formdata=None), created=(endpoint, secret))
    return _page(form, status=400)


@bp.post("/endpoints/<int:endpoint_id>/disable")
@requires(PERMISSION)
def disable_endpoint(endpoint_id: int):
    if not WatchForm().validate_on_submit():
        flash(_("The form expired. Try again."), "error")
        return redirect(url_for("watches.index"))
    endpoint = services.endpoint_of(current_user, endpoint_id)
    if endpoint is None:
        flash(_("There is no such endpoint of yours."), "error")
        return redirect(url_for("watches.index"))
    with flash_errors(url_for("watches.index")):
        services.disable_endpoint(current_user, endpoint)
    flash(_("The endpoint is disabled; nothing more is sent to it."), "success")
    return redirect(url_for("watches.index"))

"""The staff page: every staff and admin tool, from the features' navigation entries."""

from flask import current_app, render_template
from flask_login import current_user

from ..permissions import requires
from ..waiting import waiting_work
from . import bp


@bp.get("/staff")
@requires("staff_area")
def staff_hub():
    """The work waiting in each queue (with how long the oldest has waited), and every staff
    and admin tool, from the features' navigation entries."""
    return render_template(
        "core/staff.html",
        waiting=waiting_work(current_app.extensions.get("waiting", []), current_user),
    )

"""The staff page: every staff and admin tool, from the features' navigation entries."""

from flask import render_template

from ..permissions import requires
from . import bp


@bp.get("/staff")
@requires("staff_area")
def staff_hub():
    """Every staff and admin tool, from the features' navigation entries."""
    return render_template("core/staff.html")

"""Pages that belong to no feature: home, language switch, health check."""

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from .db import db
from .permissions import public, requires
from .security import safe_next

bp = Blueprint("core", __name__)


@bp.get("/")
@public
def index():
    return render_template("core/index.html")


@bp.post("/language")
@public
def set_language():
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
        if current_user.is_authenticated:
            current_user.locale = language
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("core.index"))


@bp.get("/healthz")
@public
def health():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


@bp.get("/staff")
@requires("staff_area")
def staff_hub():
    """Every staff and admin tool, from the features' navigation entries."""
    return render_template("core/staff.html")

"""Pages that belong to no feature: home, language switch, health check, and the latest
signed audit checkpoint."""

from flask import current_app, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import text

from ..checkpoints import checkpoint_path, latest_checkpoint
from ..db import db
from ..errors import api_error
from ..permissions import public
from ..security import safe_next
from . import bp


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
    return redirect(safe_next(request.form.get("next")) or url_for("core.index"))


@bp.get("/healthz")
@public
def health():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


@bp.get("/.well-known/audit-checkpoint")
@public
def audit_checkpoint():
    """The newest line of the checkpoint log, as written: check its ``signature`` (a compact
    JWS) with ``/.well-known/jwks.json``. Read only; ``flask audit checkpoint`` writes."""
    latest = latest_checkpoint(checkpoint_path())
    if latest is None:
        return api_error(
            404,
            _(
                "No audit checkpoint has been published yet. Try again after the next "
                "scheduled checkpoint."
            ),
        )
    response = jsonify(latest)
    # A checkpoint is superseded by the next cron run: caches must ask again.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response

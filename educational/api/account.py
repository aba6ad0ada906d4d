"""The member's API tokens page: create a token (shown once), see the tokens and when each
was last used, revoke one."""

from flask import Blueprint, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from educational.core.db import db
from educational.core.errors import DomainError
from educational.core.forms import show_domain_error
from educational.core.permissions import requires

from . import tokens

bp = Blueprint("api_tokens", __name__, url_prefix="/account/api-tokens")


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name of the new token"),
        validators=[DataRequired(), Length(max=tokens.MAX_NAME_LENGTH)],
        description=_l("What will use it, such as “Supplier portal”. Only you see it."),
    )


class RevokeForm(FlaskForm):
    """Only the CSRF token: the token to revoke is in the URL."""


def _page(form: TokenForm, created=None, status: int = 200):
    response = make_response(
        render_template(
            "api/tokens.html",
            form=form,
            tokens=tokens.tokens_of(current_user),
            created=created,
            max_tokens=tokens.MAX_ACTIVE_TOKENS,
        ),
        status,
    )
    # The page may hold a new token's secret: never keep it in a cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("")
@requires(tokens.PERMISSION)
def index():
    return _page(TokenForm())


@bp.post("")
@requires(tokens.PERMISSION)
def create():
    form = TokenForm()
    if form.validate_on_submit():
        try:
            created = tokens.create_token(current_user, form.name.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            # Shown in this answer only (not in a redirect's flash, which would put the
            # secret into the session cookie).
            return _page(TokenForm(formdata=None), created=created)
    return _page(form, status=400)


@bp.post("/<int:token_id>/revoke")
@requires(tokens.PERMISSION)
def revoke(token_id: int):
    form = RevokeForm()
    if not form.validate_on_submit():
        flash(_("The form expired. Revoke the token again."), "error")
        return redirect(url_for("api_tokens.index"))
    try:
        token = tokens.revoke_token(current_user, token_id)
    except DomainError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("The token “%(name)s” is revoked; it no longer works.", name=token.name), "success")
    return redirect(url_for("api_tokens.index"))

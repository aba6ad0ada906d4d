"""The member's API tokens page: create a token (shown once), see the tokens and when each
was last used, revoke one. The request's transaction is committed by the boundary
(``educational.core.transaction``)."""

from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from educational.core.permissions import requires
from educational.core.transaction import flash_errors, form_errors

from .. import tokens
from ..forms import RevokeForm, TokenForm
from . import tokens_bp as bp


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
        with form_errors(form):
            created = tokens.create_token(current_user, form.name.data)
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
    with flash_errors(url_for("api_tokens.index")):
        token = tokens.revoke_token(current_user, token_id)
    flash(_("The token “%(name)s” is revoked; it no longer works.", name=token.name), "success")
    return redirect(url_for("api_tokens.index"))

"""Self-service account pages: register, confirm, log in and out, reset, profile."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from educational.core.db import db
from educational.core.errors import DomainError
from educational.core.extensions import form_field_key, limiter, login_manager
from educational.core.forms import show_domain_error
from educational.core.i18n import select_locale
from educational.core.permissions import authenticated, public
from educational.core.security import safe_next

from . import services
from .forms import (
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from .models import User

bp = Blueprint("accounts", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_LIMIT"]


def _account_limit() -> str:
    return current_app.config["ACCOUNT_LIMIT"]


def _failed_login(response) -> bool:
    # Only failed attempts count: a successful log-in redirects.
    return request.method == "POST" and response.status_code != 302


@bp.route("/register", methods=["GET", "POST"])
@public
@limiter.limit(_account_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            services.register(
                form.email.data, form.password.data, form.name.data, locale=select_locale()
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            return render_template("accounts/check_email.html", email=form.email.data)
    return render_template("accounts/register.html", form=form)


@bp.get("/confirm/<token>")
@public
def confirm(token: str):
    user = services.confirm_email(token)
    if user is None:
        flash(
            _("That confirmation link is invalid or has expired. Log in to get a new one."), "error"
        )
        return redirect(url_for("accounts.login"))
    db.session.commit()
    flash(_("Thank you: your e-mail address is confirmed."), "success")
    return redirect(
        url_for("core.index") if current_user.is_authenticated else url_for("accounts.login")
    )


@bp.post("/confirm/resend")
@authenticated
@limiter.limit(_account_limit)
def resend_confirmation():
    if not current_user.is_confirmed:
        services.send_confirmation(current_user)
        db.session.commit()
    flash(_("We have sent a new confirmation link to %(email)s.", email=current_user.email), "info")
    return redirect(url_for("accounts.profile"))


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed_login)
@limiter.limit(
    _account_limit, methods=["POST"], deduct_when=_failed_login, key_func=form_field_key("email")
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            flash(_("The e-mail address or the password is not right."), "error")
        else:
            db.session.commit()
            # A fresh session at log-in: nothing set before authentication carries over.
            language = session.get("language")
            session.clear()
            if language:
                session["language"] = language
            login_user(user, remember=form.remember.data)
            if not user.is_confirmed:
                flash(_("Please confirm your e-mail address: we sent you a link."), "info")
            return redirect(safe_next(request.args.get("next")) or url_for("core.index"))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@authenticated
def logout():
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("core.index"))


@bp.route("/reset", methods=["GET", "POST"])
@public
@limiter.limit(_account_limit, methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        return render_template("accounts/check_email.html", email=form.email.data, reset=True)
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    user = services.user_for_reset_token(token)
    if user is None:
        flash(_("That reset link is invalid, used or expired. Ask for a new one."), "error")
        return redirect(url_for("accounts.reset_request"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(user, form.password.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            logout_user()
            flash(_("Your password is changed. Log in with the new one."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@authenticated
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(
            current_user, name=form.name.data, timezone=form.timezone.data, locale=form.locale.data
        )
        db.session.commit()
        session["language"] = current_user.locale
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@authenticated
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            # The session token changed: log in again under it so this session survives.
            login_user(current_user._get_current_object())
            flash(_("Your password is changed. Other devices have been logged out."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form)


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    return db.session.scalar(select(User).where(User.session_token == session_token))

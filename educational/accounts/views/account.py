"""A person's own account: register, confirm, log in and out, reset, profile, password; and
withdrawing their pending change of name."""

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from educational.core.extensions import limiter, login_manager
from educational.core.i18n import select_locale, select_timezone
from educational.core.permissions import authenticated, public
from educational.core.security import safe_next
from educational.core.transaction import flash_errors, form_errors

from .. import names, services, sessions, throttle
from ..forms import (
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from ..models import User
from . import bp, names_bp


@bp.route("/register", methods=["GET", "POST"])
@public
@limiter.limit(throttle.account_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        with form_errors(form):
            services.register(
                form.email.data,
                form.password.data,
                form.name.data,
                locale=select_locale(),
                timezone=select_timezone() or "UTC",  # the browser's, if it told us
            )
            return render_template("accounts/check_email.html", email=form.email.data)
    return render_template("accounts/register.html", form=form)


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@public
def confirm(token: str):
    """The e-mailed link shows a button that confirms (a POST): a GET never writes, and a mail
    scanner that follows every link confirms nothing."""
    user = services.user_for_confirm_token(token)
    if user is None:
        flash(
            _("That confirmation link is invalid or has expired. Log in to get a new one."), "error"
        )
        return redirect(url_for("accounts.login"))
    if request.method == "GET" and not user.is_confirmed:
        return render_template("accounts/confirm.html", token=token, email=user.email)
    services.confirm_email(token)
    flash(_("Thank you: your e-mail address is confirmed."), "success")
    return redirect(
        url_for("core.index") if current_user.is_authenticated else url_for("accounts.login")
    )


@bp.post("/confirm/resend")
@authenticated
@limiter.limit(throttle.account_limit)
def resend_confirmation():
    if not current_user.is_confirmed:
        services.send_confirmation(current_user)
    flash(_("We have sent a new confirmation link to %(email)s.", email=current_user.email), "info")
    return redirect(url_for("accounts.profile"))


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(throttle.login_limit, methods=["POST"], deduct_when=throttle.password_failed)
@limiter.limit(
    throttle.account_limit,
    methods=["POST"],
    deduct_when=throttle.password_failed,
    key_func=throttle.account_address_key,
)
@limiter.limit(
    throttle.account_daily_limit,
    methods=["POST"],
    deduct_when=throttle.password_failed,
    key_func=throttle.account_daily_key,
    on_breach=throttle.on_daily_cap,
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            throttle.note_failed_password()
            flash(_("The e-mail address or the password is not right."), "error")
        else:
            remember = bool(form.remember.data)
            sessions.start_login_session(
                user, remember=remember, user_agent=request.user_agent.string
            )
            # A fresh session at log-in: nothing set before authentication carries over.
            language = session.get("language")
            session.clear()
            if language:
                session["language"] = language
            login_user(user, remember=remember, duration=sessions.remember_duration())
            if not user.is_confirmed:
                flash(_("Please confirm your e-mail address: we sent you a link."), "info")
            response = redirect(safe_next(request.args.get("next")) or url_for("core.index"))
            throttle.issue_device_cookie(response, user.email)
            return response
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@authenticated
def logout():
    # Deleting the row ends the session everywhere its cookies are, replayed or not.
    sessions.end_login_session(current_user.login_session)
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("core.index"))


@bp.route("/reset", methods=["GET", "POST"])
@public
@limiter.limit(throttle.account_limit, methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
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
        with form_errors(form):
            services.reset_password(user, form.password.data)
            logout_user()
            flash(_("Your password is changed. Log in with the new one."), "success")
            response = redirect(url_for("accounts.login"))
            # Following the e-mailed link proves the mailbox: this browser is the owner's,
            # and gets in even while strangers have used up the account's daily attempts.
            throttle.issue_device_cookie(response, user.email)
            return response
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@authenticated
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        waiting = names.pending_request_of(current_user)
        with form_errors(form):
            pending = services.update_profile(
                current_user,
                name=form.name.data,
                timezone=form.timezone.data,
                locale=form.locale.data,
            )
            session["language"] = current_user.locale
            if pending is not None and pending is not waiting:
                flash(
                    _(
                        "Your profile is saved. Your new name waits for the secretariat's "
                        "review: until they accept it, the registry and your credentials "
                        "show your current name."
                    ),
                    "info",
                )
            else:
                flash(_("Your profile is saved."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template(
        "accounts/profile.html",
        form=form,
        name_change=names.pending_request_of(current_user),
        name_reviewed=names.needs_review(current_user),
    )


@bp.route("/account/password", methods=["GET", "POST"])
@authenticated
@limiter.limit(
    throttle.password_change_limit,
    methods=["POST"],
    deduct_when=throttle.password_failed,
    key_func=throttle.password_check_key,
)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        with form_errors(form):
            services.change_password(
                current_user,
                form.current_password.data,
                form.password.data,
                current_session=current_user.login_session,
            )
            flash(_("Your password is changed. Other devices have been logged out."), "success")
            return redirect(url_for("accounts.profile"))
        if form.current_password.errors:  # the service found the current password wrong
            throttle.note_failed_password()
    return render_template("accounts/change_password.html", form=form)


@names_bp.post("/account/name-change/withdraw", endpoint="withdraw")
@authenticated
def withdraw_name_change():
    with flash_errors(url_for("accounts.profile")):
        names.withdraw_name_change(current_user)
    flash(_("Your change of name is withdrawn; your name stays as it is."), "success")
    return redirect(url_for("accounts.profile"))


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """The user of the log-in session whose token the session or remember cookie carries."""
    user = sessions.user_for_token(token)
    if user is not None and request.method not in ("GET", "HEAD", "OPTIONS"):
        # Only requests that write anyway note the session's use (a GET never writes); the
        # request's commit saves it.
        sessions.touch(user.login_session)
    return user

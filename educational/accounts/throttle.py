"""How failed log-ins and password checks are limited.

Three limits apply to failed log-ins (attempts answered 429 do not count: no password was
checked):

- LOGIN_LIMIT per client address (5 a minute): slows guessing from one place;
- ACCOUNT_LIMIT per account and address (10 an hour): one person guessing one account from
  one address is stopped, and its owner, logging in from anywhere else, is not;
- LOGIN_ACCOUNT_DAILY_LIMIT per account (100 a day), over all addresses: an attacker spread
  over many addresses is stopped too. It applies to browsers the account has not logged in
  from: a browser that has holds a "device cookie" (OWASP's "Slow Down Online Guessing
  Attacks with Device Cookies") and counts against its own budget instead, so the owner's
  browser still gets in while strangers are shut out. The first time in a day the cap is
  reached, the owner is told by e-mail.

The current-password form is limited per account (PASSWORD_CHANGE_LIMIT, 5 in 15 minutes)."""

import hashlib
import secrets
from datetime import timedelta

from flask import Response, current_app, g, request
from flask_limiter import RequestLimit
from flask_limiter.util import get_remote_address
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import parse

from educational.core.db import db
from educational.core.extensions import limiter

from . import services

DEVICE_COOKIE = "device"
#: At most one "log-ins were blocked" e-mail per account in this window.
BLOCKED_MAIL_LIMIT = parse("1 per day")


def login_limit() -> str:
    return current_app.config["LOGIN_LIMIT"]


def account_limit() -> str:
    return current_app.config["ACCOUNT_LIMIT"]


def account_daily_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_DAILY_LIMIT"]


def password_change_limit() -> str:
    return current_app.config["PASSWORD_CHANGE_LIMIT"]


def _posted_email() -> str:
    return services.normalise_email(request.form.get("email", ""))


def account_address_key() -> str:
    return f"login:{_posted_email()}:{get_remote_address()}"


def account_daily_key() -> str:
    """The posted account's budget, or this browser's own one if it holds the account's
    device cookie."""
    email = _posted_email()
    nonce = _device_nonce(email)
    return f"login-device:{nonce}" if nonce else f"login-account:{email}"


def password_check_key() -> str:
    return f"password:{getattr(current_user, 'id', '')}"


def note_failed_password() -> None:
    """Called by a view when it checked a password and it was wrong: only then is an
    attempt counted."""
    g.password_failed = True


def password_failed(_response: Response) -> bool:
    return g.get("password_failed", False)


def on_daily_cap(limit: RequestLimit) -> None:
    """The account-wide cap is reached: tell the owner, once a day."""
    email = _posted_email()
    if _device_nonce(email):
        return  # this browser's own budget ran out, not the account's
    prefix = current_app.config["RATELIMIT_KEY_PREFIX"]
    if not limiter.limiter.hit(BLOCKED_MAIL_LIMIT, f"{prefix}login-blocked-mail", email):
        return
    user = services.find_user_by_email(email)
    if user is not None and user.active:
        services.notify_login_blocked(user)
        # Its own commit: the 429 that follows rolls the request back, and the owner must
        # still be told.
        db.session.commit()


# Device cookies


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="educational.device")


def _account_tag(email: str) -> str:
    # A digest, not the address: the cookie names an account without saying which.
    return hashlib.sha256(services.normalise_email(email).encode()).hexdigest()[:32]


def _device_lifetime() -> timedelta:
    return timedelta(days=current_app.config["DEVICE_COOKIE_DAYS"])


def _device_nonce(email: str) -> str | None:
    """The nonce of this browser's device cookie if it was issued for ``email``."""
    value = request.cookies.get(DEVICE_COOKIE)
    if not value or not email:
        return None
    try:
        data = _serializer().loads(value, max_age=int(_device_lifetime().total_seconds()))
    except BadSignature:  # also when expired
        return None
    if not isinstance(data, dict) or data.get("account") != _account_tag(email):
        return None
    return data.get("nonce")


def issue_device_cookie(response: Response, email: str) -> None:
    """Mark this browser as one the account logged in from (or reset its password from).
    One account per browser: the last one to log in."""
    value = _serializer().dumps({"account": _account_tag(email), "nonce": secrets.token_hex(8)})
    config = current_app.config
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=_device_lifetime(),
        secure=config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )

"""Log-in sessions: one row per log-in on one browser, so that logging out, changing the
password or disabling an account ends sessions on the server, whatever cookies are replayed.

The cookies carry a random token; the table keeps only its SHA-256 (the token has 256 bits
of entropy, so a fast hash is enough). A session's end is fixed when it starts and never
extended: 12 hours (PERMANENT_SESSION_LIFETIME), or REMEMBER_COOKIE_DURATION (30 days) when
the browser is remembered, which is also the remember cookie's own lifetime."""

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select

from educational.core.db import db, utcnow

from .models import LoginSession, User

#: last_seen_at moves at most this often: a row is not rewritten on every click.
TOUCH_EVERY = timedelta(minutes=5)

_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"))
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _seconds(value: timedelta | int | float) -> timedelta:
    # Configuration from the environment arrives as seconds (EDUCATIONAL_..._DURATION=86400).
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


def remember_duration() -> timedelta:
    return _seconds(current_app.config["REMEMBER_COOKIE_DURATION"])


def summarise_user_agent(user_agent: str) -> str:
    """ "Firefox on Linux" from a User-Agent header; "" when nothing is recognised."""
    browser = next((name for token, name in _BROWSERS if token in user_agent), None)
    if browser is None and re.search(r"Version/[\d.]+.*Safari/", user_agent):
        browser = "Safari"
    system = next((name for token, name in _SYSTEMS if token in user_agent), None)
    return " on ".join(part for part in (browser, system) if part)


def start_login_session(user: User, *, remember: bool, user_agent: str = "") -> LoginSession:
    """A new log-in session for ``user``, attached to it so that ``user.get_id()`` gives the
    token to put in the cookies. The account's expired sessions are cleared on the way."""
    now = utcnow()
    db.session.execute(
        delete(LoginSession).where(LoginSession.user_id == user.id, LoginSession.expires_at <= now)
    )
    lifetime = (
        remember_duration()
        if remember
        else _seconds(current_app.config["PERMANENT_SESSION_LIFETIME"])
    )
    token = secrets.token_urlsafe(32)
    login_session = LoginSession(
        token_hash=_digest(token),
        user=user,
        created_at=now,
        last_seen_at=now,
        expires_at=now + lifetime,
        user_agent=summarise_user_agent(user_agent)[:80],
        remember=remember,
    )
    db.session.add(login_session)
    db.session.flush()
    user.login_session, user.login_token = login_session, token
    return login_session


def user_for_token(token: str) -> User | None:
    """The active user whose unexpired log-in session has this token, with the session
    attached; one query."""
    row = db.session.execute(
        select(LoginSession, User)
        .join(User, LoginSession.user_id == User.id)
        .where(
            LoginSession.token_hash == _digest(token),
            LoginSession.expires_at > utcnow(),
            User.active.is_(True),
        )
    ).first()
    if row is None:
        return None
    login_session, user = row
    user.login_session, user.login_token = login_session, token
    return user


def touch(login_session: LoginSession, now: datetime | None = None) -> None:
    """Note that the session was used. Call it only on requests that write anyway: a GET
    never writes."""
    now = now or utcnow()
    if now - login_session.last_seen_at >= TOUCH_EVERY:
        login_session.last_seen_at = now


def end_login_session(login_session: LoginSession | None) -> None:
    """Log-out: the row goes, so the session and remember cookies holding its token stop
    working wherever they are."""
    if login_session is not None:
        db.session.execute(delete(LoginSession).where(LoginSession.id == login_session.id))


def end_sessions(user: User, *, keep: LoginSession | None = None) -> int:
    """End every log-in session of ``user`` but ``keep``; returns how many ended."""
    statement = delete(LoginSession).where(LoginSession.user_id == user.id)
    if keep is not None:
        statement = statement.where(LoginSession.id != keep.id)
    return db.session.execute(statement).rowcount

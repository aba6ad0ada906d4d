"""Members' API tokens: create (the token is returned once), list, revoke, and find the
token a request presents."""

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from flask import current_app, has_app_context, request
from flask_babel import gettext as _
from sqlalchemy import bindparam, event, func, select, update
from sqlalchemy.exc import OperationalError

from educational.accounts.models import User
from educational.core.audit import record_event
from educational.core.db import SAFE_METHODS, db, utcnow
from educational.core.errors import DomainError, NotAllowed
from educational.core.permissions import has_role_permission

from .models import ApiToken

#: Every token starts with this, so it is recognisable in logs and secret scanners.
TOKEN_PREFIX = "edu_"  # noqa: S105 (a prefix, not a secret)
#: Characters of the token kept to tell tokens apart.
SHOWN_CHARACTERS = 12
MAX_ACTIVE_TOKENS = 10
MAX_NAME_LENGTH = 100
#: last_used_at is written at most this often per token (a write on every call would cost
#: every API request a database write).
LAST_USED_RESOLUTION = timedelta(minutes=1)
#: Who may hold tokens: members (and staff and admins, who hold the same permission).
PERMISSION = "check_eligibility"


@dataclass(frozen=True)
class CreatedToken:
    token: ApiToken
    #: The secret, shown once.
    secret: str


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(user, name: str) -> CreatedToken:
    if not has_role_permission(user, PERMISSION):
        raise NotAllowed(_("Only members can create API tokens."))
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Give the token a name, such as the system that will use it."), "name")
    if len(name) > MAX_NAME_LENGTH:
        raise DomainError(
            _("Shorten the name to %(n)d characters or fewer.", n=MAX_NAME_LENGTH), "name"
        )
    active = db.session.scalar(
        select(func.count())
        .select_from(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    )
    if active >= MAX_ACTIVE_TOKENS:
        raise DomainError(
            _(
                "You already have %(n)d active tokens. Revoke one you no longer use first.",
                n=MAX_ACTIVE_TOKENS,
            )
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=token_hash(secret),
        prefix=secret[:SHOWN_CHARACTERS],
        created_at=utcnow(),
    )
    db.session.add(token)
    db.session.flush()
    record_event("api_token.created", token, actor=user, name=name, prefix=token.prefix)
    return CreatedToken(token, secret)


def tokens_of(user) -> list[ApiToken]:
    """Active tokens first, newest first."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(
                ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc()
            )
        )
    )


def revoke_token(user, token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise DomainError(_("That token is not one of yours; reload the page."))
    if token.revoked_at is not None:
        raise NotAllowed(_("That token was already revoked; nothing more to do."))
    token.revoked_at = utcnow()
    db.session.flush()
    forget_token(token.token_hash)
    record_event("api_token.revoked", token, actor=user, name=token.name, prefix=token.prefix)
    return token


class Caller(NamedTuple):
    """The member a valid token speaks for, as the API needs them (``has_role_permission``
    reads ``is_authenticated`` and ``role``)."""

    token_id: int
    last_used_at: datetime | None
    user_id: int
    role: str
    is_authenticated: bool = True
    #: The token's hash: its key in the kept look-ups (``_CACHE``).
    token_hash: str = ""


#: Built once: every request with a token runs it.
_FIND = (
    select(ApiToken.id, ApiToken.last_used_at, User.id, User.role, User.active)
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None))
)


def find_token(secret: str) -> Caller | None:
    """The caller of the active token with this secret, when its owner may still use the
    API; None otherwise. A valid token's look-up is kept ``API_TOKEN_CACHE_SECONDS`` in
    this worker (``_CACHE``), so a member's calls cost no token query most of the time."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    digest = token_hash(secret)
    cache = _cache()
    kept = cache.get(digest)
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    row = db.session.connection().execute(_FIND, {"token_hash": digest}).first()
    if row is None:
        cache.pop(digest, None)
        return None
    token_id, last_used_at, user_id, role, active = row
    caller = Caller(token_id, last_used_at, user_id, role, token_hash=digest)
    if not active or not has_role_permission(caller, PERMISSION):
        cache.pop(digest, None)
        return None
    _keep(digest, caller)
    return caller


#: Where the look-ups are kept, in ``app.extensions``: token hash -> (until, Caller).
_CACHE = "api_token_cache"
#: At most this many tokens are kept (the cache is emptied when full): only valid tokens
#: are kept, so this bounds memory whatever callers send.
_CACHE_SIZE = 10_000


def _cache() -> dict[str, tuple[float, Caller]]:
    return current_app.extensions.setdefault(_CACHE, {})


def _keep(digest: str, caller: Caller) -> None:
    seconds = current_app.config["API_TOKEN_CACHE_SECONDS"]
    if seconds <= 0:
        return
    cache = _cache()
    if len(cache) >= _CACHE_SIZE:
        cache.clear()
    cache[digest] = (time.monotonic() + seconds, caller)


def forget_token(digest: str) -> None:
    """Drop a token's kept look-up in this worker (it was revoked here)."""
    _cache().pop(digest, None)


@event.listens_for(User.role, "set")
@event.listens_for(User.active, "set")
def _forget_all(*_args) -> None:
    """An account's role or activity changed in this worker: drop every kept look-up here
    (rare; the others see it within ``API_TOKEN_CACHE_SECONDS``)."""
    if has_app_context():
        current_app.extensions.pop(_CACHE, None)


def note_use(caller: Caller) -> None:
    """Record the time of use, at most once per ``LAST_USED_RESOLUTION``, in its own short
    transaction: the request's own (read-only) transaction stays free of writes."""
    now = utcnow()
    if caller.last_used_at is not None and now - caller.last_used_at < LAST_USED_RESOLUTION:
        return
    stamp = update(ApiToken).where(ApiToken.id == caller.token_id).values(last_used_at=now)
    # The kept look-up learns the new time, so the next calls do not stamp again.
    cache = _cache()
    kept = cache.get(caller.token_hash)
    if kept is not None:
        cache[caller.token_hash] = (kept[0], kept[1]._replace(last_used_at=now))
    if request.method not in SAFE_METHODS:
        # A write (the watch list) holds the write lock in its own transaction: stamp there.
        db.session.execute(stamp)
        return
    try:
        with db.engine.begin() as connection:
            connection.execute(stamp)
    except OperationalError:
        # Best effort: a busy database must not fail the request over a timestamp.
        return

"""Who is calling the API, and how often they may.

- A member identifies with ``Authorization: Bearer <token>``; without the header the caller
  is anonymous (the public reads need no token). A header that is not a valid, active token
  is answered 401 with the error envelope, on every endpoint: a broken integration should
  learn it at once, not run on the anonymous limit.
- Rate limits (Flask-Limiter): per token for members (``API_RATE_MEMBER``, default
  "600 per minute"), per client address for anonymous callers (``API_RATE_ANONYMOUS``,
  default "60 per minute"). Over the limit: 429 with ``Retry-After`` and the envelope.
- ``@members_only`` endpoints (eligibility) need a member: by token, or a member signed in
  to the site (the browser's session). Their access is declared as "check_eligibility", so
  the authorization matrix of the test suite checks them.
"""

from functools import wraps

from flask import Blueprint, current_app, g, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from educational.core.extensions import limiter
from educational.core.permissions import has_role_permission

from . import tokens
from .errors import ApiError

#: The access declared by ``members_only`` views (a permission of ROLE_PERMISSIONS).
MEMBER_ACCESS = tokens.PERMISSION
_UNSET = object()


def bearer_token():
    """The ``tokens.Caller`` of the request's bearer token; None without a header. Raises
    ``ApiError(401)`` for a header that is not a valid token. Looked up once per request."""
    found = g.get("api_token", _UNSET)
    if found is not _UNSET:
        if isinstance(found, ApiError):
            raise found
        return found
    header = request.headers.get("Authorization")
    if header is None:
        g.api_token = None
        return None
    scheme, _space, secret = header.strip().partition(" ")
    found = tokens.find_token(secret.strip()) if scheme.lower() == "bearer" else None
    if found is None:
        g.api_token = ApiError(
            401,
            _(
                "The API token is not valid: it is mistyped, revoked, or its account may no "
                "longer use the API. Send “Authorization: Bearer <token>” with an active token "
                "from your account page, or no Authorization header for the public reads."
            ),
            code="invalid_token",
        )
        raise g.api_token
    g.api_token = found
    return found


def _token_or_none():
    try:
        return bearer_token()
    except ApiError:
        return None


def rate_limit() -> str:
    if _token_or_none() is not None:
        return current_app.config["API_RATE_MEMBER"]
    return current_app.config["API_RATE_ANONYMOUS"]


def rate_key() -> str:
    found = _token_or_none()
    if found is not None:
        return f"api-token:{found.token_id}"
    return f"api-ip:{get_remote_address()}"


def rate_message() -> str:
    return _(
        "Too many requests: the limit is %(limit)s. Wait the number of seconds in the "
        "Retry-After header, then try again; members get a higher limit with an API token.",
        limit=rate_limit(),
    )


def _authenticate() -> None:
    found = bearer_token()
    if found is not None:
        tokens.note_use(found)


def _challenge(response):
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def protect(bp: Blueprint) -> None:
    """Identify the callers of ``bp``'s routes by token, apply the rate limits, and challenge
    a 401 (call it once, where the blueprint is made: both live once per process)."""
    limiter.limit(rate_limit, key_func=rate_key, error_message=rate_message)(bp)
    bp.before_request(_authenticate)
    bp.after_request(_challenge)


def api_user():
    """The member calling: by token, else the signed-in user; None when anonymous."""
    found = bearer_token()
    if found is not None:
        return found
    return current_user if current_user.is_authenticated else None


def members_only(view):
    """For member endpoints: 401 without a member identity, 403 for a signed-in account
    that is not a member's."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        user = api_user()
        if user is None:
            raise ApiError(
                401,
                _(
                    "This endpoint is for members: send “Authorization: Bearer <token>” with a "
                    "token from your account page."
                ),
            )
        if not has_role_permission(user, MEMBER_ACCESS):
            raise ApiError(403, _("Only members may use this endpoint."))
        return view(*args, **kwargs)

    wrapped.access = MEMBER_ACCESS  # type: ignore[attr-defined]
    return wrapped

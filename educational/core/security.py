"""Password hashing, safe redirects, bounded ids in URLs, NUL refused, and the security
headers every response carries."""

from functools import cached_property
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, Response, abort, current_app, request
from werkzeug import routing

from .params import MAX_ID, parse_int

#: OWASP's Password Storage Cheat Sheet, first argon2id line: 19 MiB, 2 passes, 1 lane. A
#: server hashes on one core per request: argon2-cffi's default (RFC 9106 low-memory: 64 MiB,
#: 3 passes, 4 lanes) takes 4 threads and several times as long, which queues log-ins behind each
#: other when an exam starts (benchmarks/password_hash.py measures both).
SERVER_PARAMETERS = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}


class Passwords:
    """argon2id with OWASP's minimum parameters for a server (``SERVER_PARAMETERS``).
    ARGON2_TIME_COST and ARGON2_MEMORY_COST change them (tests lower the cost). A hash made
    with other parameters still verifies, and ``needs_rehash`` says so: the log-in that
    verifies it stores a new hash (``accounts.services.authenticate``)."""

    def __init__(self, time_cost: int | None = None, memory_cost: int | None = None) -> None:
        params = {"time_cost": time_cost, "memory_cost": memory_cost}
        chosen = {k: v for k, v in params.items() if v}
        self.hasher = PasswordHasher(**{**SERVER_PARAMETERS, **chosen})

    @cached_property
    def dummy_hash(self) -> str:
        """Verifying against this keeps a log-in for an unknown e-mail as slow as one with
        a wrong password, so timing does not reveal which addresses have accounts. Made at
        the first log-in, not at every start (a hash costs 40 ms)."""
        return self.hasher.hash("not a real password")


def _passwords() -> Passwords:
    return current_app.extensions["passwords"]


def hash_password(password: str) -> str:
    return _passwords().hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    passwords = _passwords()
    try:
        matched = passwords.hasher.verify(password_hash or passwords.dummy_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    return matched and bool(password_hash)


def needs_rehash(password_hash: str) -> bool:
    return _passwords().hasher.check_needs_rehash(password_hash)


def safe_next(target: str | None) -> str | None:
    """Only a relative path on this site is followed; anything else could send the user to an
    attacker's page after logging in."""
    if not target:
        return None
    if target != target.strip() or "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        seconds = current_app.config["HSTS_SECONDS"]
        headers.setdefault("Strict-Transport-Security", f"max-age={seconds}; includeSubDomains")
    return response


class IntegerConverter(routing.IntegerConverter):
    """``<int:...>`` in every route, read by ``parse_int``: ASCII digits only (Werkzeug's
    ``\\d`` also takes "٣" and full-width digits), bounded to ``MAX_ID``, so a longer number
    is "not found", not an overflow in the database driver (a 500). Named as Werkzeug's,
    which it replaces (tests read an argument's kind from the converter's class name)."""

    regex = r"[0-9]+"

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> int:
        minimum = self.min if self.min is not None else (None if self.signed else 0)
        number = parse_int(value, minimum=minimum, maximum=self.max)
        if number is None or (self.fixed_digits and len(value) != self.fixed_digits):
            raise routing.ValidationError()
        return number


def refuse_nul() -> None:
    """NUL is in no slug, code, name or text the app keeps, and PostgreSQL refuses it in text
    (a 500): a path holding one names nothing (404), a form posting one is refused (400).
    Query strings are the pages' and the API's to check (searches drop control characters)."""
    if "\x00" in request.path:
        abort(404)
    if request.method != "GET" and any(
        "\x00" in value for _name, values in request.form.lists() for value in values
    ):
        abort(400)


def init_app(app: Flask) -> None:
    # Before the features register their routes: a rule binds its converters when added.
    app.url_map.converters["int"] = IntegerConverter
    app.extensions["passwords"] = Passwords(
        app.config.get("ARGON2_TIME_COST"), app.config.get("ARGON2_MEMORY_COST")
    )
    app.before_request(refuse_nul)
    app.after_request(set_security_headers)

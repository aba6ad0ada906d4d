"""While the database restarts: a GET retries once, anything else answers 503.

When PostgreSQL restarts (or a connection is lost), a request's query fails with a lost
connection, or its connection attempt is refused. Such a failure is not the app's fault
and not the user's, so it is no 500:

- a GET, HEAD or OPTIONS request is dispatched once more, from the start, in a fresh
  request context (``RetryOnLostConnection``, a WSGI middleware): the pool hands out a
  new connection and the page usually comes after a short pause;
- if that fails too, or the request was a POST (which may not be repeated behind the
  user's back), the answer is 503 with ``Retry-After``: for a form, a page holding what was
  posted as hidden fields of a "Try again" form to the same address (the CSRF token posted
  is still valid: it lives as long as the session; passwords and files are not kept); for
  the API and JSON clients, the JSON error envelope.
"""

import logging
import sys
import time
from collections.abc import Callable, Iterable

from flask import Flask, current_app, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError

from .answers import forget_current_user, wants_json

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Where a request records that it wants to be retried (in its WSGI environ).
RETRY_KEY = "educational.database_retry"
#: Posted fields never written back into a page.
SECRET_FIELDS = ("password", "secret", "token_value")


def database_unavailable(error: BaseException | None) -> bool:
    """Whether ``error`` says the database could not be reached: a connection lost during
    a query (SQLAlchemy invalidates it), or refused or reset by a server that is shutting
    down or starting up (psycopg's OperationalError). Errors of the request itself, such as
    a constraint violated, are not."""
    # psycopg is loaded only with a PostgreSQL database; without it, no error is psycopg's.
    psycopg = sys.modules.get("psycopg")
    unavailable = psycopg.OperationalError if psycopg is not None else ()
    for _depth in range(10):  # the causes of the error, and theirs
        if error is None:
            return False
        if isinstance(error, DBAPIError) and (
            error.connection_invalidated or isinstance(error.orig, unavailable)
        ):
            return True
        if isinstance(error, unavailable):
            return True
        error = error.__cause__ or getattr(error, "original_exception", None)
    return False


def answer_unavailable(error: BaseException):
    """The answer to a request whose database failed: a retry for a safe request tried
    once, else 503."""
    environ = request.environ
    if environ.get(RETRY_KEY) == "first":
        environ[RETRY_KEY] = "wanted"
        log.warning("Database unavailable on %s %s (%s); retrying once", request.method,
                    request.path, error.__class__.__name__)  # fmt: skip
        return "", 503  # discarded by RetryOnLostConnection
    log.warning("Database unavailable on %s %s (%s); answered 503", request.method,
                request.path, error.__class__.__name__)  # fmt: skip
    forget_current_user()  # the page must not need the database
    seconds = current_app.config["DATABASE_RETRY_AFTER"]
    message = _(
        "The database is restarting. Nothing you saved before is lost; try again in a few seconds."
    )
    if wants_json() or request.accept_mimetypes.best == "application/json":
        body = {"error": {"code": "unavailable", "message": message}}
        response = make_response(jsonify(body), 503)
    else:
        page = render_template(
            "errors/unavailable.html",
            message=message,
            kept=[] if request.method in SAFE_METHODS else kept_fields(),
            dropped_secret=any(_secret(name) for name in request.form),
            retry_url=request.full_path if request.query_string else request.path,
        )
        response = make_response(page, 503)
    response.headers["Retry-After"] = str(seconds)
    return response


def _secret(name: str) -> bool:
    return any(word in name.lower() for word in SECRET_FIELDS)


def kept_fields() -> list[tuple[str, str]]:
    """The posted fields to post again, in order: everything typed but passwords (never
    echoed into a page) and files (which a page cannot hold)."""
    return [
        (name, value)
        for name, values in request.form.lists()
        if not _secret(name)
        for value in values
    ]


class RetryOnLostConnection:
    """WSGI middleware: runs a safe request a second time when its first run found the
    database unavailable (``answer_unavailable`` marks the environ). The second run is a
    fresh request: new context, new session, new connection. GET, HEAD and OPTIONS have no
    body to read twice."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.wsgi_app = app.wsgi_app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD", "GET") not in SAFE_METHODS:
            return self.wsgi_app(environ, start_response)
        first = {**environ, RETRY_KEY: "first"}
        started: list = []

        def hold(status, headers, exc_info=None):
            started[:] = [status, headers, exc_info]
            return _LateWrite(start_response, started).write

        body = self.wsgi_app(first, hold)
        if first.get(RETRY_KEY) != "wanted":
            if started:
                start_response(*started)
            return body
        if hasattr(body, "close"):
            body.close()
        pause = self.app.config["DATABASE_RETRY_PAUSE"]
        if pause:
            time.sleep(pause)  # a server starting up needs a moment
        return self.wsgi_app({**environ, RETRY_KEY: "retried"}, start_response)


class _LateWrite:
    """The ``write`` callable of PEP 3333, for an app that uses it (Flask does not)."""

    def __init__(self, start_response: Callable, started: list) -> None:
        self.start_response = start_response
        self.started = started
        self._write = None

    def write(self, data: bytes) -> None:
        if self._write is None:
            self._write = self.start_response(*self.started)
        self._write(data)

"""The transaction boundary of every request, as Indico's request handler owns it.

Every view runs inside ``transactional`` (applied to each view function by ``init_app``, so
no view writes try/commit/rollback by hand):

- an unsafe request (POST, ...) that returns commits, once, after the view; any exception
  rolls back and goes on to the error handlers;
- a safe request (GET, HEAD, OPTIONS) never commits, and in development and testing a GET
  that flushed a write fails loudly (``GetWroteError``): a GET never writes;
- a ``DomainError`` that a view lets through is the scheme refusing the action: the
  transaction is rolled back, its message is flashed, and the browser goes back to the page
  it came from (the API answers with its JSON error instead).

Inside a view, ``form_errors(form)`` shows a refusal beside the form's field and lets the view
render the form again, filled in; ``flash_errors(url)`` flashes it and redirects to ``url``;
``json_errors(code)`` answers it as a JSON error (a page's script outside ``/api/``).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Flask,
    Response,
    current_app,
    flash,
    make_response,
    redirect,
    request,
    url_for,
)
from flask_wtf import FlaskForm
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from .audit import has_pending
from .db import SAFE_METHODS, db
from .errors import DomainError, api_error, wants_json
from .forms import show_domain_error
from .security import safe_next

#: Set on a session's info when it flushed rows during the current request.
_WROTE = "educational.flushed"


class GetWroteError(RuntimeError):
    """A safe request flushed a write: a bug in the view or a service it called."""


class _Redirect(RequestRedirect):
    """A refusal turned into a redirect by ``flash_errors``. A routing redirect, so Flask
    answers it as it is, without the error pages; 302 like every other redirect of the
    app (a browser follows it with a GET)."""

    code = 302


def transactional(view: Callable) -> Callable:
    """Run ``view`` in the request's one transaction (see the module docstring)."""

    @wraps(view)
    def run(*args: Any, **kwargs: Any):
        session = db.session
        session.info.pop(_WROTE, None)
        try:
            response = view(*args, **kwargs)
        except DomainError as error:
            rollback()
            return refused(error)
        except BaseException:
            rollback()
            raise
        if request.method in SAFE_METHODS:
            wrote = session.info.pop(_WROTE, False) or has_pending(session)
            if wrote or session.new or session.dirty:
                session.rollback()
                if current_app.config["ENV"] != "production":
                    raise GetWroteError(f"{request.method} {request.path} wrote to the database")
            elif not _streamed(response):
                end_read(session)
            # A streamed body (a CSV export) reads its rows in the read transaction, which
            # then closes with the request.
            return response
        try:
            session.commit()
        except BaseException:
            # A constraint the flushes did not meet, a lost connection: nothing is kept, and
            # the error pages (or the retry on a lost connection) take over.
            rollback()
            raise
        return response

    return run


def end_read(session) -> None:
    """End a transaction that only read with COMMIT rather than the ROLLBACK that closing the
    session sends: the same for a read, but psycopg drops every statement it prepared on the
    connection at a rollback and keeps them at a commit, so the requests that follow run the
    hot queries prepared (their planning skipped). The objects read stay loaded."""
    real = session()
    real.expire_on_commit = False
    try:
        real.commit()
    finally:
        real.expire_on_commit = True


def _streamed(response: Any) -> bool:
    body = response[0] if isinstance(response, tuple) else response
    return isinstance(body, Response) and body.is_streamed


def rollback() -> None:
    """Roll back; on a connection already lost, the error being handled is the one to keep."""
    with suppress(SQLAlchemyError):
        db.session.rollback()


def refused(error: DomainError):
    """The answer to an action the scheme refused, after the rollback."""
    if wants_json():
        return api_error(409, error.message, "refused", error.field)
    flash(error.message, "error")
    return redirect(safe_next(_referring_path()) or url_for("core.index"))


def _referring_path() -> str | None:
    """The path (and query) of the page the request came from, when it is on this site."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return None
    return referrer.path + (f"?{referrer.query}" if referrer.query else "")


@contextmanager
def form_errors(form: FlaskForm) -> Iterator[None]:
    """Inside a view: a refusal rolls back and shows beside ``form``'s field at fault (or at
    the top); the view goes on to render the form again, filled in."""
    try:
        yield
    except DomainError as error:
        rollback()
        show_domain_error(form, error)


@contextmanager
def flash_errors(url: str) -> Iterator[None]:
    """Inside a view: a refusal rolls back, is flashed, and the browser goes to ``url``."""
    try:
        yield
    except DomainError as error:
        rollback()
        flash(error.message, "error")
        raise _Redirect(url) from None


@contextmanager
def json_errors(code: str, status: int = 409) -> Iterator[None]:
    """Inside a view that answers a page's script in JSON (outside ``/api/``, whose
    refusals are JSON already): a refusal rolls back and answers the JSON error envelope,
    ``{"error": {"code": code, "message": ...}}``, with ``status``."""
    try:
        yield
    except DomainError as error:
        rollback()
        response = make_response(api_error(status, error.message, code, error.field))
        # An exception carrying its response, which Flask sends as it is.
        raise HTTPException(response=response) from None


def _note_flush(session: Session, _context, _instances) -> None:
    if session.new or session.dirty or session.deleted:
        session.info[_WROTE] = True


def init_app(app: Flask) -> None:
    """Wrap every view of the app (call it once every blueprint is registered)."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint != "static" and not getattr(view, "transactional", False):
            wrapped = transactional(view)
            wrapped.transactional = True  # type: ignore[attr-defined]
            app.view_functions[endpoint] = wrapped
    if not event.contains(Session, "before_flush", _note_flush):
        event.listen(Session, "before_flush", _note_flush)

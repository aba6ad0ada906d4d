"""Domain errors and the error pages. No traceback ever reaches a user: HTML requests get a
page that says what to do next, API requests the JSON error envelope."""

import logging

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError

from .answers import forget_current_user, wants_json
from .outage import RetryOnLostConnection, answer_unavailable, database_unavailable

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule of the scheme refused an action. The message is shown to the user as it is,
    so it must say what to do next."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """A state machine refused a transition (suspend a withdrawn accreditation, ...)."""


ERROR_TEXT = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and try again.")),
    401: (_l("Please log in"), _l("You need to log in to see this page.")),
    403: (
        _l("Not allowed"),
        _l("Your account may not open this page. Log in with another account or go back."),
    ),
    404: (_l("Page not found"), _l("Check the address, or start again from the home page.")),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    409: (_l("Conflict"), _l("The action clashed with another change. Reload and try again.")),
    413: (
        _l("File too large"),
        _l("The upload is larger than the limit. Choose a smaller file and try again."),
    ),
    429: (
        _l("Too many requests"),
        _l("You tried too often in a short time. Wait a minute, then try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l("The error has been logged. Try again in a moment; nothing you saved is lost."),
    ),
    503: (
        _l("Try again in a moment"),
        _l("The service is briefly unavailable. Nothing you saved is lost; try again soon."),
    ),
}

API_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}


def api_error(status: int, message: str, code: str | None = None, field: str | None = None):
    body: dict = {"code": code or API_CODES.get(status, "error"), "message": message}
    if field:
        body["field"] = field
    return jsonify({"error": body}), status


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    original = getattr(error, "original_exception", None)
    if status == 500 and database_unavailable(original):
        return answer_unavailable(original)
    title, text = ERROR_TEXT.get(status, (error.name, error.description))
    if wants_json():
        response = make_response(api_error(status, str(getattr(error, "description", text))))
    else:
        try:
            page = render_template("errors/error.html", status=status, title=title, text=text)
        except SQLAlchemyError:
            # The page shows who is logged in, and the database just failed (a restart, a lost
            # connection): show it as to a visitor, which needs no database.
            forget_current_user()
            page = render_template("errors/error.html", status=status, title=title, text=text)
        response = make_response(page, status)
    # Keep what the exception says about itself (Retry-After on 429, Allow on 405).
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def handle_unexpected(error: Exception):
    if database_unavailable(error):
        return answer_unavailable(error)  # a restart, a lost connection: no 500
    log.exception("Unhandled error on %s %s", request.method, request.path)
    return handle_http_exception(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
    app.wsgi_app = RetryOnLostConnection(app)  # type: ignore[method-assign]

"""Errors of the JSON API, always answered with the envelope of DESIGN.md:
``{"error": {"code": "...", "message": "...", "field": "..."}}`` (field only where one
request parameter is at fault). The rendering is ``educational.core.errors.api_error``, the
same that answers HTTP errors (404 for an unknown URL, 405, 429...) on /api/ paths.

A wrong parameter is answered 400 by the schemas' parser (``schemas.parser``). A
``DomainError`` that escapes a view is the scheme refusing an action: the transaction
boundary rolls back and answers 409 (``educational.core.transaction``)."""

from flask import Blueprint

from educational.core.errors import api_error


class ApiError(Exception):
    """Raise from an endpoint to answer ``status`` with the error envelope; ``code``
    defaults to the status's name in ``educational.core.errors.API_CODES``."""

    def __init__(
        self, status: int, message: str, *, code: str | None = None, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.field = field


def not_found(message: str) -> ApiError:
    return ApiError(404, message)


def register_handlers(bp: Blueprint) -> None:
    @bp.errorhandler(ApiError)
    def handle_api_error(error: ApiError):
        return api_error(error.status, error.message, error.code, error.field)

"""Errors of the JSON API, always answered with the envelope of DESIGN.md:
``{"error": {"code": "...", "message": "...", "field": "..."}}`` (field only where one
request parameter is at fault). The rendering is ``educational.core.errors.api_error``, the
same that answers HTTP errors (404 for an unknown URL, 405, 429...) on /api/ paths."""

from flask import Blueprint

from educational.core.errors import DomainError, api_error


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


def bad_request(message: str, field: str | None = None) -> ApiError:
    return ApiError(400, message, field=field)


def register_handlers(bp: Blueprint) -> None:
    @bp.errorhandler(ApiError)
    def handle_api_error(error: ApiError):
        return api_error(error.status, error.message, error.code, error.field)

    @bp.errorhandler(DomainError)
    def handle_domain_error(error: DomainError):
        return api_error(400, error.message, field=error.field)

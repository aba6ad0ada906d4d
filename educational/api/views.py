"""The API blueprint that every resource module adds its routes to."""

from datetime import date

from flask import Blueprint

from .errors import register_handlers

bp = Blueprint("api", __name__, url_prefix="/api/v1")
register_handlers(bp)


def iso_date(day: date | None) -> str | None:
    """Dates in the API are ``YYYY-MM-DD``; a missing one is null."""
    return day.isoformat() if day else None

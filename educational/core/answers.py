"""What every error answer needs, whatever went wrong: whether the request wants JSON, and
how to answer as to a visitor when the database cannot say who is logged in. The error
pages (errors.py) and the answers while the database restarts (outage.py) both use them."""

from contextlib import suppress

from flask import g, request
from sqlalchemy.exc import SQLAlchemyError

from .db import db
from .extensions import login_manager


def wants_json() -> bool:
    return request.path.startswith("/api/")


def forget_current_user() -> None:
    """Answer as to a visitor: the page must not need the database."""
    with suppress(SQLAlchemyError):
        db.session.rollback()
    g._login_user = login_manager.anonymous_user()  # where Flask-Login keeps current_user

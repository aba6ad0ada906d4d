"""Shared plumbing: database, extensions, errors, permissions, audit trail and mail outbox."""

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from educational import add_nav

    from . import cli, views

    app.register_blueprint(views.bp)
    cli.init_app(app)
    add_nav(app, "core.index", _l("Home"))

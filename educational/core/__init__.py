"""Shared plumbing: database, extensions, errors, permissions, audit trail and mail outbox."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from .features import register_feature
from .nav import add_nav


def init_app(app: Flask) -> None:
    from . import cli, views  # here, not at the top: see register_feature

    register_feature(app, views, cli)
    add_nav(app, "core.index", _l("Home"))

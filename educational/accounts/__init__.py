"""Accounts: registration, confirmation, log-in, password reset, profile, changes of name,
roles."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from educational.core.features import register_feature
from educational.core.nav import add_nav
from educational.core.waiting import add_waiting


def init_app(app: Flask) -> None:
    from . import cli, queries, views  # here, not at the top: see register_feature

    register_feature(app, views, cli)
    add_nav(app, "names.queue", _l("Changes of name"), "staff_area")
    add_waiting(
        app,
        "names.queue",
        _l("Changes of name waiting for a decision"),
        queries.name_changes_waiting,
    )
    add_nav(app, "admin.users", _l("Users"), "manage_users")
    add_nav(app, "admin.organisations", _l("Organisations"), "manage_organisations")

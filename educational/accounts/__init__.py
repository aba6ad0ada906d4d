"""Accounts: registration, confirmation, log-in, password reset, profile, changes of name,
roles."""

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from educational import add_nav

    from . import admin, cli, name_views, views

    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(name_views.bp)
    cli.init_app(app)
    add_nav(app, "names.queue", _l("Changes of name"), "staff_area")
    add_nav(app, "admin.users", _l("Users"), "manage_users")
    add_nav(app, "admin.organisations", _l("Organisations"), "manage_organisations")

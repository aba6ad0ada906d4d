"""Accounts: registration, confirmation, log-in, password reset, profile, changes of name,
roles."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from educational.core.nav import add_nav


def init_app(app: Flask) -> None:
    # The web layer and the commands load when the app is built, not whenever another
    # module imports a model or a service of this package (start-up cost).
    from . import cli, views

    for blueprint in views.blueprints:
        app.register_blueprint(blueprint)
    cli.init_app(app)
    add_nav(app, "names.queue", _l("Changes of name"), "staff_area")
    add_nav(app, "admin.users", _l("Users"), "manage_users")
    add_nav(app, "admin.organisations", _l("Organisations"), "manage_organisations")

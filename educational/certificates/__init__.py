"""Certificates of course completion: code, PDF, QR, public verification, Open Badges."""

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
    add_nav(app, "certificates.mine", _l("My certificates"), "learn")
    add_nav(app, "certificates.verify", _l("Verify a certificate"))
    add_nav(app, "certificates.staff_index", _l("Certificates"), "staff_area")

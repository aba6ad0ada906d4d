"""Certificates of course completion: code, PDF, QR, public verification, Open Badges."""

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from educational import add_nav

    from . import cli, views

    # CREDENTIAL_KEY_PATH defaults in core, which owns the key (core/keys.py).
    app.config.setdefault("CERTIFICATE_FONT", None)
    app.config.setdefault("CERTIFICATE_FONT_BOLD", None)
    app.config.setdefault("CERTIFICATE_FALLBACK_FONTS", [])
    app.register_blueprint(views.bp)
    cli.init_app(app)
    add_nav(app, "certificates.mine", _l("My certificates"), "learn")
    add_nav(app, "certificates.verify", _l("Verify a certificate"))
    add_nav(app, "certificates.staff_index", _l("Certificates"), "staff_area")

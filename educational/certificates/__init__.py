"""Certificates of course completion: code, PDF, QR, public verification, Open Badges."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from educational.core.features import register_feature
from educational.core.nav import add_nav


def init_app(app: Flask) -> None:
    from . import cli, views  # here, not at the top: see register_feature

    register_feature(app, views, cli)
    add_nav(app, "certificates.mine", _l("My certificates"), "learn")
    add_nav(app, "certificates.verify", _l("Verify a certificate"))
    add_nav(app, "certificates.staff_index", _l("Certificates"), "staff_area")

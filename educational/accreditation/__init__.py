"""Accreditation: the scheme's rules, applications, decisions, accreditations, audit firms
and the daily sweep."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from educational.core.features import register_feature
from educational.core.nav import add_nav


def init_app(app: Flask) -> None:
    from . import cli, views  # here, not at the top: see register_feature

    register_feature(app, views, cli)
    add_nav(app, "accreditation.index", _l("My accreditation"), "learn")
    add_nav(app, "accreditation_staff.dashboard", _l("Accreditation"), "staff_area")

"""Accreditation: the scheme's rules, applications, decisions, accreditations, audit firms
and the daily sweep."""

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from educational import add_nav

    from . import cli, firm_views, staff, views

    app.register_blueprint(views.bp)
    app.register_blueprint(staff.bp)
    app.register_blueprint(firm_views.bp)
    cli.init_app(app)
    add_nav(app, "accreditation.index", _l("My accreditation"), "learn")
    add_nav(app, "accreditation_staff.dashboard", _l("Accreditation"), "staff_area")

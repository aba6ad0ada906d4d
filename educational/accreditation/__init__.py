"""Accreditation: the scheme's rules, applications, decisions, accreditations, audit firms
and the daily sweep."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from educational.core.features import register_feature
from educational.core.nav import add_nav
from educational.core.panels import add_panel
from educational.core.waiting import add_waiting


def init_app(app: Flask) -> None:
    from . import cli, cpd, needed, queries, views  # here, not at the top: see register_feature

    register_feature(app, views, cli)
    add_nav(app, "accreditation.index", _l("My accreditation"), "learn")
    add_nav(app, "accreditation_staff.dashboard", _l("Accreditation"), "staff_area")
    add_nav(app, "accreditation_firms.index", _l("Audit firms"), "staff_area")
    add_nav(app, "audit_trail.index", _l("Audit trail"), "audit_trail")
    add_panel(app, "dashboard", needed.needed_courses_panel)
    add_panel(app, "dashboard", cpd.cpd_panel)
    add_waiting(
        app,
        "accreditation_staff.queue",
        _l("Applications waiting for a decision"),
        queries.applications_waiting,
    )

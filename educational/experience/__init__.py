"""The experience log: audits, work, qualifications, languages, conflicts, evidence; and its
verification by staff."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from educational.core.features import register_feature
from educational.core.nav import add_nav
from educational.core.waiting import add_waiting


def init_app(app: Flask) -> None:
    from . import verification, views  # here, not at the top: see register_feature

    register_feature(app, views)
    add_nav(app, "experience.index", _l("My experience"), "learn")
    add_nav(app, "experience_staff.queue", _l("Verify experience"), "staff_area")
    add_waiting(
        app,
        "experience_staff.queue",
        _l("Experience entries waiting for verification"),
        verification.entries_waiting,
    )

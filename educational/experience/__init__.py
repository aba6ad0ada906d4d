"""The experience log: audits, work, qualifications, languages, conflicts, evidence; and its
verification by staff."""

import os

from flask import Flask
from flask_babel import lazy_gettext as _l

from .uploads import DEFAULT_MAX_BYTES


def init_app(app: Flask) -> None:
    from educational import add_nav

    from . import staff, views

    app.config.setdefault("EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)
    #: Evidence one person may store in all (files of withdrawn entries included).
    app.config.setdefault("EVIDENCE_QUOTA_BYTES", 200 * 1024 * 1024)
    #: Entries one person may have in their log (withdrawn ones included).
    app.config.setdefault("EXPERIENCE_MAX_ENTRIES", 500)
    # Outside the web root (static/): files are only ever served through the checked view.
    app.config.setdefault("EVIDENCE_PATH", os.path.join(app.instance_path, "evidence"))
    app.register_blueprint(views.bp)
    app.register_blueprint(staff.bp)
    add_nav(app, "experience.index", _l("My experience"), "learn")
    add_nav(app, "experience_staff.queue", _l("Verify experience"), "staff_area")

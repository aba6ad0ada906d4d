"""Performance monitoring: witness assessments and report reviews of accredited auditors.

- ``models.py``: assessments and their evidence files.
- ``services.py``: recording (audit event, e-mail to the person), reading, and the facts
  for the next witness date (upheld complaints, sectors added to the scope).
- ``schedule.py`` (pure): the next witness date and why; ``due.py``: it for each active
  auditor, the staff's list and its count on the staff page.
- ``appeals.py``: the appeal kind "witness_assessment".
- ``views.py``: the person's page (/monitoring/), the staff's (/staff/monitoring/).

The renewal requirement ``witness`` is checked by ``accreditation.rules.witness`` on the
record part "assessments" this package registers."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from educational.core.features import register_feature
from educational.core.nav import add_nav
from educational.core.panels import add_panel
from educational.core.recordparts import add_record_part
from educational.core.waiting import add_waiting


def init_app(app: Flask) -> None:
    from . import appeals, due, panels, services, views  # see register_feature

    register_feature(app, views)
    add_nav(app, "monitoring_staff.index", _l("Witnesses due"), "staff_area")
    add_panel(app, "dashboard", panels.assessments_panel)
    add_waiting(
        app,
        "monitoring_staff.index",
        _l("Witnesses overdue or due within 30 days"),
        due.witnesses_waiting,
    )
    add_record_part(app, "assessments", services.assessment_records)
    appeals.register(app)

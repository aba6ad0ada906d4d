"""Appeals against decisions: a rejected application, a suspension, a withdrawal (built in,
``builtin``), a complaint outcome and a witness assessment (registered by complaints and
monitoring through ``kinds.register_appeal_kind``).

- ``kinds.py``: the interface (``Decision``, ``AppealKind``); ``rules.py``: the rules, pure
  (the window, the affected person only, one open appeal, uninvolved deciders);
  ``services.py``: lodging, deciding with four-eyes, withdrawing, e-mail and audit events;
  ``public.py``: ``under_appeal`` for the registry; ``panels.py``: the links on the
  accreditation pages."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from educational.core.features import register_feature
from educational.core.nav import add_nav
from educational.core.panels import add_panel
from educational.core.waiting import add_waiting

from .kinds import register_appeal_kind


def init_app(app: Flask) -> None:
    from . import builtin, panels, services, views  # here, not at the top: see register_feature

    register_feature(app, views)
    for kind in builtin.KINDS:
        register_appeal_kind(app, kind)
    add_nav(app, "appeals.index", _l("My appeals"), "learn")
    add_nav(app, "appeals_staff.queue", _l("Appeals"), "staff_area")
    add_waiting(app, "appeals_staff.queue", _l("Open appeals"), services.appeals_waiting)
    add_panel(app, "application", panels.application_panel)
    add_panel(app, "my_accreditations", panels.accreditations_panel)
    add_panel(app, "staff_accreditation", panels.staff_accreditation_panel)
    add_panel(app, "staff_application", panels.staff_application_panel)

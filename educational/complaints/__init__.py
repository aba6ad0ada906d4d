"""Complaints about accredited people and audit firms, lodged by anyone from the public
registry, handled by the secretariat within the scheme's deadlines, and appealable by the
person affected.

- ``models.py``: the complaint, its evidence and staff notes; states and deadlines.
- ``services.py``: lodging, the staff workflow, the subject's response, overturn.
- ``queries.py``: the queue and the staff home counts; ``facts.py`` (monitoring) and
  ``public.py`` (the registry): upheld complaints.
- ``appeal.py``: the "complaint_outcome" appeal kind.
- ``views/``: lodging and the status link, the subject's pages, the staff pages."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from educational.core.features import register_feature
from educational.core.nav import add_nav
from educational.core.waiting import add_waiting


def init_app(app: Flask) -> None:
    from . import appeal, queries, views  # here, not at the top: see register_feature

    register_feature(app, views)
    add_nav(app, "complaints_staff.queue_page", _l("Complaints"), "staff_area")
    add_waiting(
        app,
        "complaints_staff.queue_page",
        _l("Complaints waiting for acknowledgement"),
        queries.waiting_acknowledgement,
    )
    add_waiting(
        app,
        "complaints_staff.queue_page",
        _l("Complaints past their decision deadline"),
        queries.past_decide_deadline,
    )
    appeal.register(app)

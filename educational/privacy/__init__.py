"""People's data rights: "Download my data" (a ZIP, streamed) and erasure at their request,
decided by staff, with what must stay verifiable kept for a retention period
(``flask data retention``). See ``erasure.py`` for what is erased and what is kept."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from educational.core.features import register_feature
from educational.core.nav import add_nav
from educational.core.waiting import add_waiting


def init_app(app: Flask) -> None:
    from . import cli, erasure, views  # here, not at the top: see register_feature

    register_feature(app, views, cli)
    add_nav(app, "privacy.queue", _l("Erasure requests"), "staff_area")
    add_waiting(
        app,
        "privacy.queue",
        _l("Erasure requests waiting for a decision"),
        erasure.erasures_waiting,
    )

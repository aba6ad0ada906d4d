"""Learning across the catalogue and the quizzes: a course is complete when every live
module is read and its exam (if any) passed, and completing it issues the certificate.
Retaking a course (or its refresher) renews a certificate near or after its expiry
(``retake.py``).

It sits above catalog, quizzes and certificates, so none of them imports it: catalog and
quizzes send ``module_read`` and ``attempt_submitted`` (``educational.core.signals``), and
this feature listens."""

from flask import Flask

from educational.core import signals
from educational.core.features import register_feature
from educational.core.panels import add_panel

from .completion import on_attempt_submitted, on_module_read
from .panels import completed_panel, course_certificates_panel, dashboard_course_panel


def init_app(app: Flask) -> None:
    from . import views  # here, not at the top: see register_feature

    # Connecting again (one app per test) keeps one receiver each: blinker keys them by id.
    signals.module_read.connect(on_module_read)
    signals.attempt_submitted.connect(on_attempt_submitted)
    register_feature(app, views)
    add_panel(app, "course.completed", completed_panel)
    add_panel(app, "dashboard.course", dashboard_course_panel)
    add_panel(app, "course.page", course_certificates_panel)

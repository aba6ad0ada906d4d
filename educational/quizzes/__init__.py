"""Quizzes and exams: attempts, grading, overrides and statistics."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from educational.core.features import register_feature
from educational.core.nav import add_nav
from educational.core.panels import add_panel


def init_app(app: Flask) -> None:
    from . import cli, grades, panels, views  # here, not at the top: see register_feature

    register_feature(app, views, cli)
    add_nav(app, "quiz_reports.index", _l("Quiz statistics"), "staff_area")
    add_panel(app, "dashboard", panels.running_attempts_panel)
    add_panel(app, "course_progress", grades.course_grades_panel)

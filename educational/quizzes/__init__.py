"""Quizzes and exams: attempts, grading, overrides and statistics."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from educational.core.features import register_feature
from educational.core.nav import add_nav


def init_app(app: Flask) -> None:
    from . import cli, views  # here, not at the top: see register_feature

    register_feature(app, views, cli)
    add_nav(app, "quiz_reports.index", _l("Quiz statistics"), "staff_area")

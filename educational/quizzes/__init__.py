"""Quizzes and exams: attempts, grading, overrides and statistics."""

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from educational import add_nav

    from . import reports, views

    app.config.setdefault("QUIZ_GRACE_SECONDS", 30)
    app.register_blueprint(views.bp)
    app.register_blueprint(reports.bp)
    add_nav(app, "quiz_reports.index", _l("Quiz statistics"), "staff_area")

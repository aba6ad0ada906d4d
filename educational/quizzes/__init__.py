"""Quizzes and exams: attempts, grading, overrides and statistics."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from educational.core.nav import add_nav


def init_app(app: Flask) -> None:
    # The web layer and the commands load when the app is built, not whenever another
    # module imports a model or a service of this package (start-up cost).
    from . import cli, views

    for blueprint in views.blueprints:
        app.register_blueprint(blueprint)
    cli.init_app(app)
    add_nav(app, "quiz_reports.index", _l("Quiz statistics"), "staff_area")

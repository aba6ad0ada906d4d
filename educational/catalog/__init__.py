"""The course catalogue: content from courses/, sync, enrolment and reading progress."""

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from educational import add_nav

    from . import cli, views

    app.register_blueprint(views.bp)
    cli.init_app(app)
    add_nav(app, "catalog.index", _l("Courses"))
    add_nav(app, "catalog.dashboard", _l("My learning"), "learn")
    add_nav(app, "catalog.staff_courses", _l("Course progress"), "staff_area")

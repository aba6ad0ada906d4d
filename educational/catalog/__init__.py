"""The course catalogue: content from courses/, sync, enrolment and reading progress."""

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
    add_nav(app, "catalog.index", _l("Courses"))
    add_nav(app, "catalog.dashboard", _l("My learning"), "learn")
    add_nav(app, "catalog.staff_courses", _l("Course progress"), "staff_area")

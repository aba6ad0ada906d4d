"""The experience log: audits, work, qualifications, languages, conflicts, evidence; and its
verification by staff."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from educational.core.nav import add_nav


def init_app(app: Flask) -> None:
    # The web layer and the commands load when the app is built, not whenever another
    # module imports a model or a service of this package (start-up cost).
    from . import views

    for blueprint in views.blueprints:
        app.register_blueprint(blueprint)
    add_nav(app, "experience.index", _l("My experience"), "learn")
    add_nav(app, "experience_staff.queue", _l("Verify experience"), "staff_area")

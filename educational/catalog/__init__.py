"""The course catalogue: content from courses/, sync, enrolment and reading progress."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from educational.core.features import register_feature
from educational.core.nav import add_nav


def init_app(app: Flask) -> None:
    from . import cli, views  # here, not at the top: see register_feature

    register_feature(app, views, cli)
    # Scheme names in the reader's language, for every template: ``role|label``,
    # ``named(scheme, "sectors", code)``, ``scope_label(scheme, standard, sector)``.
    from .scheme import label, named, scope_label

    app.add_template_filter(label, "label")
    app.add_template_global(named, "named")
    app.add_template_global(scope_label, "scope_label")
    add_nav(app, "catalog.index", _l("Courses"))
    add_nav(app, "catalog.dashboard", _l("My learning"), "learn")
    add_nav(app, "catalog.staff_courses", _l("Course progress"), "staff_area")

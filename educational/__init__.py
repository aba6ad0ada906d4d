"""educational: training and accreditation for the auditors of sustainability-standard
schemes."""

import os
import secrets
from pathlib import Path

from flask import Flask


class ConfigurationError(RuntimeError):
    """The app cannot start with this configuration; the message says what to set."""


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    _configure(app, test_config)

    from .core import db as core_db
    from .core import errors, security
    from .core.extensions import babel, csrf, limiter, login_manager, migrate
    from .core.i18n import select_locale, select_timezone

    core_db.db.init_app(app)
    migrate.init_app(app, core_db.db, directory=str(Path(app.root_path).parent / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    errors.init_app(app)
    security.init_app(app)

    _register_features(app)
    _register_templates(app)
    return app


def _configure(app: Flask, test_config: dict | None) -> None:
    from .config import DefaultConfig
    from .core.db import normalise_database_url

    app.config.from_object(DefaultConfig)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("EDUCATIONAL")
        if os.environ.get("DATABASE_URL"):
            app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    else:
        app.config.from_mapping(test_config)

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    env = app.config["ENV"]
    if env not in ("development", "production", "testing"):
        raise ConfigurationError(
            f"EDUCATIONAL_ENV is {env!r}; use development, production or testing."
        )
    if not app.config.get("SECRET_KEY"):
        if env == "production":
            raise ConfigurationError(
                "SECRET_KEY is not set. Set EDUCATIONAL_SECRET_KEY to a long random value "
                "(python -c 'import secrets; print(secrets.token_hex(32))'), or set "
                "EDUCATIONAL_ENV=development on a developer's machine."
            )
        app.config["SECRET_KEY"] = _development_secret(Path(app.instance_path))
    explicit = set(test_config or {}) | {
        key.removeprefix("EDUCATIONAL_") for key in os.environ if key.startswith("EDUCATIONAL_")
    }
    if env != "production":
        # Plain http on a developer's machine: secure cookies would never come back.
        for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
            if key not in explicit:
                app.config[key] = False

    uri = app.config.get("SQLALCHEMY_DATABASE_URI") or app.config.get("DATABASE_URL")
    if not uri:
        uri = "sqlite:///" + str(Path(app.instance_path) / "educational.sqlite")
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(uri)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # pre-ping is pointless for a file, and SQLite needs no pool size tuning.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {}
    if app.config.get("COURSES_PATH") is None:
        app.config["COURSES_PATH"] = str(Path(app.root_path).parent / "courses")


def _development_secret(instance: Path) -> str:
    """A random key kept in the instance folder, so sessions survive a restart."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


#: The feature packages, in navigation order. Each has ``init_app(app)`` in its
#: ``__init__.py``, which registers its blueprints, CLI commands and navigation entries.
FEATURES = (
    "core",
    "catalog",
    "quizzes",
    "certificates",
    "experience",
    "accreditation",
    "registry",
    "api",
    "accounts",
    "demo",
)


def _register_features(app: Flask) -> None:
    from importlib import import_module

    from .core.permissions import public

    app.extensions["nav"] = []
    for name in FEATURES:
        import_module(f"{__name__}.{name}").init_app(app)
    public(app.view_functions["static"])


def add_nav(app: Flask, endpoint: str, label, permission: str | None = None) -> None:
    """Add a navigation link, shown to those holding ``permission`` (None: everyone).

    Public links go in the main bar, personal ones (learning, member tools) in a second bar
    for the logged-in user, and staff and admin tools on the staff page (/staff), which the
    main bar links to."""
    app.extensions["nav"].append((endpoint, label, permission))


def navigation(entries, user) -> dict[str, list]:
    """The links a user sees, by place: "main", "personal" and "staff" (the staff page)."""
    from .core.permissions import STAFF_PERMISSIONS, can

    places: dict[str, list] = {"main": [], "personal": [], "staff": []}
    for endpoint, label, permission in entries:
        if permission is None:
            places["main"].append((endpoint, label))
        elif can(user, permission):
            place = "staff" if permission in STAFF_PERMISSIONS else "personal"
            places[place].append((endpoint, label))
    return places


def _register_templates(app: Flask) -> None:
    from flask_login import current_user

    from .accounts.forms import LANGUAGE_NAMES, MEMBERSHIP_CLASS_LABELS, ROLE_LABELS
    from .core.i18n import select_locale
    from .core.permissions import can

    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def inject() -> dict:
        return {
            "can": lambda permission, obj=None: can(current_user, permission, obj),
            "current_language": select_locale(),
            "languages": app.config["LANGUAGES"],
            "language_names": LANGUAGE_NAMES,
            "role_labels": ROLE_LABELS,
            "membership_class_labels": MEMBERSHIP_CLASS_LABELS,
            "nav": navigation(app.extensions["nav"], current_user),
        }

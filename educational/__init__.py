"""educational: training and accreditation for the auditors of sustainability-standard
schemes."""

import os
import secrets
from contextlib import suppress
from pathlib import Path

from flask import Flask


class ConfigurationError(RuntimeError):
    """The app cannot start with this configuration; the message says what to set."""


#: Production refuses a shorter SECRET_KEY (32 random bytes, as secrets.token_hex(32) gives).
MIN_SECRET_BYTES = 32


def create_app(test_config: dict | None = None) -> Flask:
    # Starting the app imports and builds thousands of objects, none of them garbage: the
    # cycle collector would walk them all again and again (a sixth of the start-up).
    from .core.cycles import no_cycle_collection

    with no_cycle_collection():
        return _create_app(test_config)


def _create_app(test_config: dict | None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    _configure(app, test_config)

    # Here, not at the top: importing any module of the package runs this file first, and
    # that must not load the extensions and every feature (start-up cost). No circle: no
    # feature imports this file.
    from .core import db as core_db
    from .core import errors, i18n, security, transaction, urls
    from .core.extensions import babel, csrf, init_limiter, login_manager, migrate
    from .core.i18n import select_locale, select_timezone

    core_db.db.init_app(app)
    migrate.init_app(app, core_db.db, directory=str(Path(app.root_path).parent / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    init_limiter(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    i18n.init_app(app)  # after Babel: our date and time filters replace its own
    errors.init_app(app)
    security.init_app(app)
    urls.init_app(app)

    _register_features(app)
    transaction.init_app(app)  # after every blueprint: it wraps each view
    _register_templates(app)
    return app


def _configure(app: Flask, test_config: dict | None) -> None:
    from .config import INSTANCE_PATHS, DefaultConfig
    from .core import urls
    from .core.db import normalise_database_url

    app.config.from_object(DefaultConfig)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("EDUCATIONAL")
        if os.environ.get("DATABASE_URL"):
            app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    else:
        app.config.from_mapping(test_config)

    # It holds the SQLite database and the keys: readable by the app's user only.
    Path(app.instance_path).mkdir(mode=0o700, parents=True, exist_ok=True)
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
    elif env == "production" and len(str(app.config["SECRET_KEY"]).encode()) < MIN_SECRET_BYTES:
        raise ConfigurationError(
            f"SECRET_KEY is shorter than {MIN_SECRET_BYTES} bytes, which is too easy to guess "
            "for a key that signs sessions and e-mailed links. Set EDUCATIONAL_SECRET_KEY to "
            "python -c 'import secrets; print(secrets.token_hex(32))'."
        )
    urls.configure(app, ConfigurationError)
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
    for key in INSTANCE_PATHS:  # an absolute path stays as it is
        app.config[key] = str(Path(app.instance_path) / app.config[key])


def _development_secret(instance: Path) -> str:
    """A random key kept in the instance folder, so sessions survive a restart. The file is
    created readable by its owner only, never briefly world-readable."""
    path = instance / "secret_key"
    if not path.exists():
        with suppress(FileExistsError):  # another process made it first: use theirs
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as out:
                out.write(secrets.token_hex(32))
    return path.read_text().strip()


#: The feature packages, in navigation order. Each has ``init_app(app)`` in its
#: ``__init__.py``, which registers its blueprints, CLI commands and navigation entries.
FEATURES = (
    "core",
    "catalog",
    "quizzes",
    "certificates",
    "learning",
    "experience",
    "accreditation",
    "appeals",
    "complaints",
    "monitoring",
    "registry",
    "watches",
    "api",
    "accounts",
    "imports",
    "privacy",
    "demo",
)


def _register_features(app: Flask) -> None:
    from importlib import import_module

    from .core.permissions import public

    app.extensions["nav"] = []
    for name in FEATURES:
        import_module(f"{__name__}.{name}").init_app(app)
    public(app.view_functions["static"])


def _register_templates(app: Flask) -> None:
    from flask_login import current_user

    from .accounts.forms import MEMBERSHIP_CLASS_LABELS, ROLE_LABELS
    from .core.i18n import select_locale
    from .core.names import LANGUAGE_NAMES
    from .core.nav import navigation
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

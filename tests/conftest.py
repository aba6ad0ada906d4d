"""Fixtures shared by the whole suite.

Every test gets its own database: a fresh SQLite file by default, or, when TEST_DATABASE_URL
names a PostgreSQL database, that database with its tables emptied after each test (creating
the schema once per run keeps the PostgreSQL leg fast)."""

import os
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
import time_machine
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from educational import create_app
from educational.core.db import db, normalise_database_url
from tests.builders.people import (  # PASSWORD and csrf_token: tests import them from here
    PASSWORD,
    create_user,
    csrf_token,
    sync_courses,
)


def pytest_configure(config):
    """The run's clock starts at noon (UTC) of the day it starts, and ticks. Tests build
    people around "today" when they are collected and ask the app about "today" minutes
    later; a run that crossed midnight compared two days (CI at 23:50 failed three tests).
    From noon, a run has twelve hours before the date changes. Servers the tests start in
    other processes (the browser journeys, the two instances) keep the real clock: they
    are told dates, not times, by the tests."""
    noon = datetime.combine(datetime.now(UTC).date(), time(12, 0), UTC)
    config._educational_clock = time_machine.travel(noon, tick=True)
    config._educational_clock.start()


def pytest_unconfigure(config):
    clock = getattr(config, "_educational_clock", None)
    if clock is not None:
        clock.stop()


TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = TEST_DATABASE_URL.startswith("postgres")


def base_config(tmp_path, **overrides) -> dict:
    config = {
        "ENV": "testing",
        "TESTING": True,
        # 32 bytes: production (which some tests switch to) refuses a shorter key.
        "SECRET_KEY": "test-secret-key-of-thirty-two-bytes",
        "WTF_CSRF_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": (
            normalise_database_url(TEST_DATABASE_URL)
            if ON_POSTGRES
            else f"sqlite:///{tmp_path / 'test.sqlite'}"
        ),
        "SERVER_NAME": "localhost",
        # The test client's host; every absolute URL is built from it, others get 400.
        "PUBLIC_URL": "http://localhost",
        "CREDENTIAL_KEY_PATH": str(tmp_path / "credential-key.pem"),
        "AUDIT_CHECKPOINT_PATH": str(tmp_path / "audit-checkpoints.jsonl"),
        "EVIDENCE_PATH": str(tmp_path / "evidence"),
        "DEMO_PASSWORDS_PATH": str(tmp_path / "demo-passwords.json"),
        # Cheap hashing keeps the suite fast; production uses OWASP's (core/security.py).
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def _postgres_schema(tmp_path_factory):
    """Create the schema once per run on PostgreSQL."""
    if not ON_POSTGRES:
        yield
        return
    create_app(base_config(tmp_path_factory.mktemp("schema")))  # imports every model
    engine = create_engine(normalise_database_url(TEST_DATABASE_URL))
    db.metadata.drop_all(engine)
    db.metadata.create_all(engine)
    engine.dispose()
    yield


@pytest.fixture
def _push_request_context():
    """Replaces pytest-flask's fixture of this name, which keeps one request context pushed
    through the whole test: every request would then share its ``g`` and database session
    (a cached current_user, a cached CSRF token, uncommitted writes seen by the test). Tests
    open ``with app.app_context():`` where they touch the database, as flaskr's do."""


class ReadingClient(FlaskClient):
    """The test client, reading each response whole before it returns it (``buffered``),
    as a browser does, unless a test asks for ``buffered=False`` (and then closes it). A
    streamed body left unread (a test that looks at the status of a CSV only) was closed
    whenever the cycle collector found it, by then inside another test's request, whose
    context and database connection its clean-up tore down."""

    def open(self, *args, buffered: bool = True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)


@pytest.fixture
def client(app):
    """A test client. pytest-flask's uses ``with app.test_client()``, which keeps the last
    request's context pushed, so a second client's request would run inside it."""
    return app.test_client()


@pytest.fixture
def app(request, tmp_path, _postgres_schema):
    """The app. ``@pytest.mark.csrf`` switches CSRF protection on, as in production;
    ``@pytest.mark.app_config(KEY=value)`` sets other configuration."""
    overrides = {}
    if request.node.get_closest_marker("csrf"):
        overrides["WTF_CSRF_ENABLED"] = True
    marker = request.node.get_closest_marker("app_config")
    if marker:
        overrides.update(marker.kwargs)
    app = create_app(base_config(tmp_path, **overrides))
    app.test_client_class = ReadingClient
    if not ON_POSTGRES:
        with app.app_context():
            db.create_all()
    yield app
    with app.app_context():
        if ON_POSTGRES:
            tables = ", ".join(t.name for t in db.metadata.sorted_tables)
            with db.engine.begin() as connection:
                connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


@pytest.fixture
def make_user(app):
    """Create a confirmed user: ``make_user("staff")`` or ``make_user(email=..., role=...)``."""
    counter = iter(range(1, 10_000))

    def make(role: str = "learner", email: str | None = None, name: str | None = None):
        """Returns the user detached from any session: read its columns, not relations."""
        n = next(counter)
        return create_user(
            app, role, email or f"{role}{n}@example.org", name or f"{role.title()} {n}"
        )

    return make


@dataclass
class Auth:
    client: object

    def login(self, email: str, password: str = PASSWORD, **kwargs):
        data = {"email": email, "password": password}
        if kwargs.pop("csrf", False):
            data["csrf_token"] = csrf_token(self.client, "/login")
        return self.client.post("/login", data=data, **kwargs)

    def logout(self):
        return self.client.post("/logout", data={})


@pytest.fixture
def auth(client):
    return Auth(client)


def outbox_messages(app, kind: str | None = None):
    """The queued e-mail (detached rows), oldest first."""
    from sqlalchemy import select

    from educational.core.mail import OutboxMessage

    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    with app.app_context():
        rows = db.session.scalars(query).all()
        db.session.expunge_all()
    return rows


@pytest.fixture
def evidence_dir(app) -> Path:
    """Where the test's evidence files go: its own folder (base_config), never instance/."""
    return Path(app.config["EVIDENCE_PATH"])


@pytest.fixture
def synced_courses(app):
    """The starter curriculum and scheme.yml, synced into the test database."""
    return sync_courses(app)

"""Browser journeys: the app served by gunicorn (production settings) on a fresh SQLite
database, driven by Debian's Chromium through Playwright, with axe-core run on every page
the journeys visit.

The server is set up once per session: ``flask db upgrade`` and ``flask courses sync`` in
subprocesses, then one account per role created directly in the database. Tests reach the
same database through an app made in this process (``server.app``) to read the outbox and to
set up records a journey does not make itself.

Every test here is skipped, saying why, only where /usr/bin/chromium is missing."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser.a11y import Axe
from tests.browser.overflow import Fit

ROOT = Path(__file__).parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SECRET_KEY = "browser-journeys-test-secret-key"
PASSWORD = "correct horse battery"
#: Playwright's default for every wait; pages of the app answer in milliseconds.
TIMEOUT_MS = 15_000
#: The accounts made directly in the database (confirmed, password PASSWORD).
ACCOUNTS = {
    "learner": ("keyboard.learner@example.org", "Kim Keyboard"),
    "member": ("member@example.org", "Mia Member"),
    "staff": ("staff@example.org", "Sam Staff"),
    "admin": ("admin@example.org", "Ada Admin"),
}
BROWSER_DIR = Path(__file__).parent


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives Chromium against the app served by gunicorn (tests/browser)"
    )


# Figures printed at the end of the session, for the lead's report.


@dataclass
class Timings:
    server_setup: float = 0.0
    #: Test node id -> seconds (setup + call + teardown).
    tests: dict[str, float] = field(default_factory=dict)


TIMINGS = Timings()
AXE = Axe(BROWSER_DIR / "vendor" / "axe.min.js")
FIT = Fit()


def pytest_runtest_logreport(report):
    if report.outcome != "skipped" and "tests/browser/" in report.nodeid.replace("\\", "/"):
        TIMINGS.tests[report.nodeid] = TIMINGS.tests.get(report.nodeid, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    if not TIMINGS.tests:
        return
    write = terminalreporter.write_line
    terminalreporter.write_sep("-", "browser journeys")
    write(f"server set-up (migrate, sync, accounts, gunicorn): {TIMINGS.server_setup:.1f} s")
    for nodeid, seconds in TIMINGS.tests.items():
        write(f"{seconds:7.1f} s  {nodeid.split('::')[-1]}")
    write(f"browser tests in total (with the set-up): {sum(TIMINGS.tests.values()):.1f} s")
    for line in AXE.summary_lines():
        write(line)
    if FIT.checks:
        write(FIT.summary_line())


# The server


@dataclass
class Server:
    url: str
    tmp: Path
    #: An app on the same database and keys, for reading and setting up records.
    app: object
    log: Path
    process: subprocess.Popen
    users: dict[str, dict] = field(default_factory=dict)

    def user_id(self, email: str) -> int:
        from sqlalchemy import select

        from educational.accounts.models import User
        from educational.core.db import db

        with self.app.app_context():
            return db.session.scalar(select(User.id).where(User.email == email))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(tmp: Path, url: str) -> dict[str, str]:
    """The process environment without the test run's own settings, plus the server's, which
    serves at ``url``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("EDUCATIONAL_") and key not in ("DATABASE_URL", "TEST_DATABASE_URL")
    }
    env.update(
        {
            "EDUCATIONAL_ENV": "production",
            "EDUCATIONAL_SECRET_KEY": SECRET_KEY,
            # The address the browser uses: links in e-mail point there, other hosts get 400.
            "EDUCATIONAL_PUBLIC_URL": url,
            "DATABASE_URL": f"sqlite:///{tmp / 'educational.sqlite'}",
            # Plain http on 127.0.0.1: secure cookies would never come back.
            "EDUCATIONAL_SESSION_COOKIE_SECURE": "false",
            "EDUCATIONAL_REMEMBER_COOKIE_SECURE": "false",
            # Two workers with per-process limits: gunicorn.conf.py refuses that unless the
            # limits are off (tests/accounts/test_shared_limits.py runs them on Redis).
            "EDUCATIONAL_RATELIMIT_ENABLED": "false",
            "EDUCATIONAL_LOGIN_LIMIT": "1000 per minute",
            "EDUCATIONAL_ACCOUNT_LIMIT": "1000 per hour",
            "EDUCATIONAL_API_RATE_ANONYMOUS": "1000 per minute",
            "EDUCATIONAL_API_RATE_MEMBER": "1000 per minute",
            "EDUCATIONAL_CREDENTIAL_KEY_PATH": str(tmp / "credential-key.pem"),
            "EDUCATIONAL_EVIDENCE_PATH": str(tmp / "evidence"),
            "EDUCATIONAL_REGISTRY_STATISTICS_SECONDS": "0",
            "EDUCATIONAL_REGISTRY_SCHEME_SECONDS": "0",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _flask(env: dict, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}"


def make_schema(env: dict) -> None:
    """``flask db upgrade``; or, with BROWSER_SCHEMA=models in the environment, the tables
    made from the models and stamped as the latest migration: for a model change whose
    migration is not written yet (the migrations themselves are tested in
    tests/test_migrations.py)."""
    if os.environ.get("BROWSER_SCHEMA") != "models":
        _flask(env, "db", "upgrade")
        return
    from educational.core.db import db

    app = _local_app(env)
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    _flask(env, "db", "stamp", "head")


def _local_app(env: dict):
    """The app as the server runs it, made in this process without touching os.environ."""
    from educational import create_app
    from tests.conftest import ReadingClient

    app = create_app(
        {
            "ENV": "production",
            "SECRET_KEY": SECRET_KEY,
            "PUBLIC_URL": env["EDUCATIONAL_PUBLIC_URL"],
            "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
            "CREDENTIAL_KEY_PATH": env["EDUCATIONAL_CREDENTIAL_KEY_PATH"],
            "EVIDENCE_PATH": env["EDUCATIONAL_EVIDENCE_PATH"],
            "REGISTRY_SCHEME_SECONDS": 0,
        }
    )
    app.test_client_class = ReadingClient
    return app


def _create_accounts(app) -> dict[str, dict]:
    from educational.accounts import services
    from educational.accounts.models import MembershipClass
    from educational.core.db import db
    from educational.core.permissions import Role

    users = {}
    with app.app_context():
        organisation = services.create_organisation(
            "Nordic Aluminium Members AS", MembershipClass.INDUSTRIAL_USERS, "NO", actor=None
        )
        for role, (email, name) in ACCOUNTS.items():
            user = services.create_user(email, PASSWORD, name, role=Role(role), confirmed=True)
            if role == "member":
                user.organisation = organisation
            db.session.flush()
            users[role] = {"id": user.id, "email": email, "name": name}
        db.session.commit()
    return users


def _wait_until_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)  # polling a starting server; no page is involved
    pytest.fail(f"gunicorn did not answer /healthz within 30 s:\n{log.read_text()}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@pytest.fixture(scope="session", autouse=True)
def _require_chromium():
    """Set up before every other session fixture here: no server is started for nothing."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing: the browser journeys need Debian's Chromium "
            "(apt-get install chromium; .ci/system-packages installs it)"
        )


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    started = time.monotonic()
    tmp = tmp_path_factory.mktemp("browser")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = _environment(tmp, url)
    make_schema(env)
    _flask(env, "courses", "sync")
    app = _local_app(env)
    users = _create_accounts(app)

    log = tmp / "gunicorn.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--access-logfile",
                "-",
                "--error-logfile",
                "-",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_healthy(url, process, log)
        TIMINGS.server_setup = time.monotonic() - started
        yield Server(url=url, tmp=tmp, app=app, log=log, process=process, users=users)
    finally:
        _stop(process)
        with app.app_context():
            from educational.core.db import db

            db.engine.dispose()


# The browser


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def axe():
    return AXE


@pytest.fixture(scope="session")
def fit():
    """Every page a journey looks at is checked for its fit at 375, 1280 and 1920 px."""
    return FIT

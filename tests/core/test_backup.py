"""`flask backup` and `flask restore`: an online SQLite backup, consistent while the app
writes, restored to exactly the backed-up state with an intact audit chain; on PostgreSQL
the commands print pg_dump / pg_restore (run for real in the PostgreSQL leg)."""

import shlex
import shutil
import sqlite3
import subprocess
import threading
import time
from contextlib import closing

import pytest
from sqlalchemy import select, text

from educational import create_app
from educational.accounts import services as accounts
from educational.accounts.models import User
from educational.core.audit import AuditEvent, record_event
from educational.core.db import db
from tests.builders.people import COURSES_DIR
from tests.conftest import ON_POSTGRES, PASSWORD, base_config


@pytest.fixture
def sqlite_app(tmp_path):
    """An app on its own SQLite file, whichever leg runs (the command is for SQLite)."""
    app = create_app(
        base_config(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'live.sqlite'}")
    )
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


def cli(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def add_users(app, *names: str) -> None:
    with app.app_context():
        for name in names:
            accounts.create_user(f"{name.lower()}@example.org", PASSWORD, name, confirmed=True)
        db.session.commit()


def snapshot(app) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    rows = {}
    with app.app_context(), db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            result = connection.execute(select(table).order_by(*table.primary_key.columns))
            rows[table.name] = [tuple(row) for row in result]
    return rows


def change_everything(app) -> None:
    """Edits a restore must undo: a new account, a renamed one, more audit events."""
    add_users(app, "Mallory")
    with app.app_context():
        db.session.scalars(select(User).order_by(User.id)).first().name = "Renamed"
        record_event("test.after_backup", subject_type="thing", subject_id=1)
        db.session.commit()


def test_restore_brings_back_exactly_the_backed_up_state(sqlite_app, tmp_path):
    assert cli(sqlite_app, "courses", "sync", str(COURSES_DIR)).exit_code == 0
    add_users(sqlite_app, "Alice", "Bob")
    backup = tmp_path / "backups" / "educational.sqlite"
    backup.parent.mkdir()

    result = cli(sqlite_app, "backup", str(backup))
    assert result.exit_code == 0, result.output
    assert f"to {backup}" in result.output
    backed_up = snapshot(sqlite_app)
    assert backed_up["users"] and backed_up["questions"] and backed_up["audit_events"]
    with closing(sqlite3.connect(backup)) as copy:  # one self-contained file, not WAL
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert not (tmp_path / "backups" / "educational.sqlite-wal").exists()

    change_everything(sqlite_app)
    assert snapshot(sqlite_app) != backed_up

    # Stop the app (its pooled connections go), restore, start again.
    with sqlite_app.app_context():
        db.engine.dispose()
    result = cli(sqlite_app, "restore", str(backup), "--yes")
    assert result.exit_code == 0, result.output
    assert snapshot(sqlite_app) == backed_up
    result = cli(sqlite_app, "audit", "verify")
    assert result.exit_code == 0, result.output
    assert "chain intact" in result.output
    with sqlite_app.app_context():
        assert db.session.scalar(text("PRAGMA journal_mode")) == "wal"


def test_backup_while_another_thread_writes_is_a_consistent_snapshot(sqlite_app, tmp_path):
    add_users(sqlite_app, "Alice")
    stop = threading.Event()
    written: list[int] = []
    failures: list[BaseException] = []

    def write() -> None:
        try:
            with sqlite_app.app_context():
                while not stop.is_set():
                    record_event("test.concurrent", subject_type="thing", subject_id=len(written))
                    db.session.commit()
                    written.append(1)
        except BaseException as error:  # reported by the assertion below
            failures.append(error)

    writer = threading.Thread(target=write)
    writer.start()
    backups = []
    try:
        for number in range(3):
            while len(written) < 20 * (number + 1):
                time.sleep(0.005)
            path = tmp_path / f"backup-{number}.sqlite"
            result = cli(sqlite_app, "backup", str(path))
            assert result.exit_code == 0, result.output
            backups.append(path)
    finally:
        stop.set()
        writer.join(timeout=60)
    assert failures == []

    live = snapshot(sqlite_app)["audit_events"]
    counts = []
    for path in backups:
        copy = create_app(base_config(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}"))
        result = cli(copy, "audit", "verify")  # the chain is whole: a snapshot, not a tear
        assert result.exit_code == 0, result.output
        events = snapshot(copy)["audit_events"]
        assert events == live[: len(events)]
        counts.append(len(events))
        with copy.app_context():
            db.engine.dispose()
    assert counts == sorted(counts) and counts[0] < len(live)

    # Restore the middle backup while the app still holds its pooled connections: the
    # restore queues on the write lock and the app then reads the restored rows.
    result = cli(sqlite_app, "restore", str(backups[1]), "--yes")
    assert result.exit_code == 0, result.output
    with sqlite_app.app_context():
        assert db.session.query(AuditEvent).count() == counts[1]
    assert cli(sqlite_app, "audit", "verify").exit_code == 0


def test_backup_refuses_to_overwrite_unless_forced(sqlite_app, tmp_path):
    add_users(sqlite_app, "Alice")
    path = tmp_path / "backup.sqlite"
    path.write_text("an older file")

    result = cli(sqlite_app, "backup", str(path))
    assert result.exit_code == 1
    assert "exists. Choose another name, or add --force to replace it." in result.output
    assert path.read_text() == "an older file"

    result = cli(sqlite_app, "backup", str(path), "--force")
    assert result.exit_code == 0, result.output
    with closing(sqlite3.connect(path)) as copy:
        assert copy.execute("SELECT name FROM users").fetchall() == [("Alice",)]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


@pytest.mark.parametrize(
    ("command", "target", "message"),
    [
        ("backup", "missing/backup.sqlite", "does not exist. Create it first."),
        ("backup", ".", "is a folder. Give a file name"),
        ("backup", "live.sqlite", "That is the database itself."),
        ("restore", "missing.sqlite", "does not exist. Give the path of a backup file."),
        ("restore", "not-a-database.sqlite", "is not a SQLite database"),
        ("restore", "empty.sqlite", "is not a backup of this app's database."),
    ],
)
def test_errors_are_sentences_with_exit_status_1(sqlite_app, tmp_path, command, target, message):
    (tmp_path / "not-a-database.sqlite").write_bytes(b"x" * 4096)
    sqlite3.connect(tmp_path / "empty.sqlite").close()
    before = snapshot(sqlite_app)

    args = [command, str(tmp_path / target)] + (["--yes"] if command == "restore" else [])
    result = sqlite_app.test_cli_runner().invoke(args=args)

    assert result.exit_code == 1
    assert message in result.output
    assert result.output.startswith("error: ")
    assert "Traceback" not in result.output
    assert snapshot(sqlite_app) == before


def test_restore_asks_before_replacing_everything(sqlite_app, tmp_path):
    add_users(sqlite_app, "Alice")
    assert cli(sqlite_app, "backup", str(tmp_path / "b.sqlite")).exit_code == 0
    add_users(sqlite_app, "Bob")
    result = sqlite_app.test_cli_runner().invoke(
        args=["restore", str(tmp_path / "b.sqlite")], input="n\n"
    )
    assert result.exit_code == 1
    assert "Replace everything in" in result.output
    assert len(snapshot(sqlite_app)["users"]) == 2


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_on_postgresql_prints_the_pg_dump_commands_without_password(tmp_path, command):
    app = create_app(
        base_config(
            tmp_path,
            SQLALCHEMY_DATABASE_URI="postgresql://auditor:s3cret@db.internal:5433/edu",
        )
    )
    result = cli(app, command, "/backups/edu.dump")
    assert result.exit_code == 2
    url = "--dbname=postgresql://auditor@db.internal:5433/edu"
    options = "--clean --if-exists --no-owner --single-transaction"
    assert f"pg_restore {options} {url} /backups/edu.dump" in result.output
    if command == "backup":
        assert f"pg_dump --format=custom --file=/backups/edu.dump {url}" in result.output
    assert "s3cret" not in result.output
    assert "Traceback" not in result.output


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs TEST_DATABASE_URL (the PostgreSQL leg)")
@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_postgres_round_trip_with_the_printed_commands(app, tmp_path):
    """The commands `flask backup` prints, run as printed, restore the backed-up state."""
    add_users(app, "Alice", "Bob")
    path = tmp_path / "edu.dump"
    output = cli(app, "backup", str(path)).output
    commands = [line.strip() for line in output.splitlines() if line.startswith("    pg_")]
    dump, restore = (shlex.split(command) for command in commands)
    subprocess.run(dump, check=True, capture_output=True, timeout=120)
    backed_up = snapshot(app)

    change_everything(app)
    with app.app_context():
        db.engine.dispose()  # the app is stopped during a restore
    subprocess.run(restore, check=True, capture_output=True, timeout=120)

    assert snapshot(app) == backed_up
    assert cli(app, "audit", "verify").exit_code == 0

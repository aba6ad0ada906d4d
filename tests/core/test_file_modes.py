"""Files that hold secrets or personal data are created readable by the app's user only
(issue 10, finding 18: the SQLite database and ``flask backup`` output were 0644). Run with
the usual umask 022, under which anything not made private explicitly is world-readable."""

import io
import os
import stat
from contextlib import closing

import pytest
from sqlalchemy import text

from educational import _development_secret, create_app
from educational.certificates import signing
from educational.core.db import db
from educational.experience import uploads
from tests.builders.experience import PDF
from tests.conftest import base_config


@pytest.fixture(autouse=True)
def _usual_umask():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def sqlite_app(tmp_path):
    """An app on its own SQLite file, whichever leg runs, with a row written (WAL)."""
    database = tmp_path / "live.sqlite"
    app = create_app(base_config(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}"))
    with app.app_context():
        db.create_all()
        with db.engine.begin() as connection:
            connection.execute(text("CREATE TABLE probe (x INTEGER)"))
            connection.execute(text("INSERT INTO probe VALUES (1)"))
    yield app, database
    with app.app_context():
        db.engine.dispose()


def test_the_sqlite_database_and_its_wal_files_are_private(sqlite_app):
    app, database = sqlite_app
    with app.app_context(), closing(db.engine.raw_connection()):
        for path in (database, f"{database}-wal", f"{database}-shm"):
            assert mode(path) == 0o600, path


def test_an_existing_world_readable_database_is_made_private(sqlite_app):
    app, database = sqlite_app
    with app.app_context():
        db.engine.dispose()
        os.chmod(database, 0o644)
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    assert mode(database) == 0o600


def test_backup_output_is_private(sqlite_app, tmp_path):
    app, _database = sqlite_app
    target = tmp_path / "backup.sqlite"
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert mode(target) == 0o600


def test_a_restore_into_a_new_file_makes_it_private(sqlite_app, tmp_path):
    from educational.core.backup import backup_sqlite, restore_sqlite

    _app, database = sqlite_app
    backup = tmp_path / "backup.sqlite"
    backup_sqlite(database, backup)
    fresh = tmp_path / "fresh.sqlite"
    restore_sqlite(backup, fresh)
    assert mode(fresh) == 0o600


def test_evidence_files_and_their_folder_are_private(app, tmp_path):
    app.config["EVIDENCE_PATH"] = str(tmp_path / "evidence")
    with app.app_context():
        checked = uploads.check_upload(io.BytesIO(PDF), "report.pdf")
        name = uploads.store(checked, db.session)
        db.session.commit()
    assert mode(tmp_path / "evidence") == 0o700
    assert mode(tmp_path / "evidence" / name) == 0o600


def test_the_signing_key_is_private(app, tmp_path):
    path = tmp_path / "keys" / "credential-key.pem"
    app.config["CREDENTIAL_KEY_PATH"] = str(path)
    signing.signing_key(app)
    assert mode(path) == 0o600


def test_the_development_secret_key_file_is_private(tmp_path):
    secret = _development_secret(tmp_path)
    assert len(secret) == 64
    assert mode(tmp_path / "secret_key") == 0o600
    assert _development_secret(tmp_path) == secret

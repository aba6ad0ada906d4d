"""``flask backup PATH`` and ``flask restore PATH``.

SQLite: an online backup with SQLite's backup API, taken inside one read transaction, so it
is a consistent snapshot even while the app writes; written to a temporary file, fsynced and
renamed into place. A restore copies a backup back into the configured database through the
same API while holding the app's write lock (``<db>-writelock``), so it never races a
writer and never leaves a stale ``-wal`` file behind, as copying files by hand can.

PostgreSQL: pg_dump and pg_restore do this better than the app could; both commands print the
exact command lines for the configured database (without its password) and exit 2."""

import os
import shlex
import sqlite3
from contextlib import closing, contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import URL, make_url

from .db import db, owner_only, take_lock

#: A backup must hold these tables to be restored into this app's database.
REQUIRED_TABLES = frozenset({"users", "audit_events"})
LOCK_TIMEOUT = 60.0


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says what to do instead."""


def backup_sqlite(database: Path, target: Path, *, force: bool = False) -> int:
    """Copy ``database`` to ``target`` as one consistent snapshot; returns the file's size."""
    if not database.is_file():
        raise BackupError(f"The database file {database} does not exist. Check DATABASE_URL.")
    if target.is_dir():
        raise BackupError(f"{target} is a folder. Give a file name, such as {target / 'app.db'}.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist. Create it first.")
    if target.exists() and target.resolve() == database.resolve():
        raise BackupError("That is the database itself. Give another file name.")
    if target.exists() and not force:
        raise BackupError(f"{target} exists. Choose another name, or add --force to replace it.")
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        # Readable by the owner only, as the database is (SQLite would create it 0644).
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        os.chmod(partial, 0o600)  # a stale partial from an earlier run keeps its mode
        with (
            closing(sqlite3.connect(database)) as source,
            closing(sqlite3.connect(partial)) as copy,
        ):
            source.execute("PRAGMA busy_timeout=30000")
            source.backup(copy)  # every page in one step: one read transaction, one snapshot
            # A backup is one self-contained file: no -wal beside it.
            copy.execute("PRAGMA journal_mode=DELETE")
            _check(copy, partial)
        _fsync(partial)
        os.replace(partial, target)
        _fsync(target.parent)
    except (sqlite3.Error, OSError) as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"The backup failed: {error}. Nothing was written to {target}.") from None
    return target.stat().st_size


def restore_sqlite(backup: Path, database: Path) -> None:
    """Replace the content of ``database`` with that of ``backup``, in one transaction."""
    if not backup.is_file():
        raise BackupError(f"{backup} does not exist. Give the path of a backup file.")
    if database.exists() and backup.resolve() == database.resolve():
        raise BackupError("That is the database itself. Give the path of a backup file.")
    try:
        with closing(sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)) as source:
            _check(source, backup)
            tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master")}
            if not tables >= REQUIRED_TABLES:
                raise BackupError(f"{backup} is not a backup of this app's database.")
            with _write_lock(database), closing(sqlite3.connect(database)) as target:
                owner_only(str(database))  # a new file would be 0644, as SQLite makes it
                target.execute("PRAGMA busy_timeout=30000")
                source.backup(target)
                target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _fsync(database)
    except (sqlite3.Error, OSError) as error:
        raise BackupError(f"The restore failed: {error}. The database was not changed.") from None


def _check(connection: sqlite3.Connection, path: Path) -> None:
    try:
        result = connection.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a SQLite database ({error}).") from None
    if result != "ok":
        raise BackupError(f"{path} is damaged: {result}.")


@contextmanager
def _write_lock(database: Path):
    """Queue on the app's write lock, as every writer of the app does (core/db.py)."""
    descriptor = os.open(f"{database}-writelock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if not take_lock(descriptor, LOCK_TIMEOUT, pause=0.01):
            raise BackupError("The app kept the database busy for a minute. Stop it and try again.")
        yield
    finally:
        os.close(descriptor)  # releases the lock


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def postgres_commands(uri: str, path: str) -> tuple[str, str]:
    """The pg_dump and pg_restore command lines for the database at ``uri``, without its
    password (give it through PGPASSWORD or ~/.pgpass)."""
    url = make_url(uri)
    query = {key: value for key, value in url.query.items() if key != "password"}
    without_password = URL.create(
        "postgresql", url.username, None, url.host, url.port, url.database, query
    )
    target = without_password.render_as_string(hide_password=False)
    dump = shlex.join(["pg_dump", "--format=custom", f"--file={path}", f"--dbname={target}"])
    options = ["--clean", "--if-exists", "--no-owner", "--single-transaction"]
    restore = shlex.join(["pg_restore", *options, f"--dbname={target}", path])
    return dump, restore


def _sqlite_path() -> Path | None:
    """The configured SQLite file, or None when the database is not a SQLite file."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:":
        raise BackupError("The database is in memory; there is nothing to back up or restore.")
    # The file Flask-SQLAlchemy opens (relative paths are in instance/).
    return Path(db.engine.url.database)


def _postgres_advice(path: str, restore: bool) -> None:
    dump, restore_command = postgres_commands(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    if restore:
        click.echo("The database is PostgreSQL: restore a pg_dump backup with pg_restore.")
        click.echo("Stop the app, then run (the password comes from PGPASSWORD or ~/.pgpass):")
        click.echo(f"\n    {restore_command}\n")
    else:
        click.echo("The database is PostgreSQL: back it up with pg_dump, which takes a consistent")
        click.echo("snapshot while the app runs (the password comes from PGPASSWORD or ~/.pgpass):")
        click.echo(f"\n    {dump}\n")
        click.echo(f"Restore it with (app stopped):\n\n    {restore_command}\n")
    raise SystemExit(2)


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
def backup_command(path: Path, force: bool) -> None:
    """Copy the SQLite database to PATH while the app runs (PostgreSQL: prints pg_dump)."""
    try:
        database = _sqlite_path()
        if database is None:
            _postgres_advice(str(path), restore=False)
        size = backup_sqlite(database, path, force=force)
    except BackupError as error:
        click.echo(f"error: {error}", err=True)
        raise SystemExit(1) from None
    click.echo(f"backed up {database} to {path} ({size / 1024 / 1024:.1f} MiB)")


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(path: Path, yes: bool) -> None:
    """Replace the SQLite database with the backup at PATH (stop the app first)."""
    try:
        database = _sqlite_path()
        if database is None:
            _postgres_advice(str(path), restore=True)
        if not yes:
            click.confirm(f"Replace everything in {database} with the backup {path}?", abort=True)
        restore_sqlite(path, database)
    except BackupError as error:
        click.echo(f"error: {error}", err=True)
        raise SystemExit(1) from None
    click.echo(f"restored {database} from {path}; run `flask audit verify` to check it")

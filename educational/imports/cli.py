"""``flask registry import PATH`` and ``flask courses import-completions PATH``.

Both check the whole file first: any problem is printed as ``PATH:LINE: message`` and the
command exits with status 1 having written nothing. ``--dry-run`` does everything but the
commit and prints what would be added and changed."""

import hashlib
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_babel import lazy_gettext as _l

from educational.accounts.tokens import make_reset_token
from educational.catalog.scheme import current_scheme
from educational.core.db import db
from educational.core.mail import queue_mail
from educational.core.urls import external_url

from .completions import apply_completions, check_people, read_completions
from .problems import Problems
from .registry import apply_registry, check_against_database, read_registry
from .report import ImportReport

FILE = click.Path(exists=True, dir_okay=False, readable=True, path_type=Path)
DRY_RUN = click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
INVITE = click.option(
    "--invite", is_flag=True, help="Queue an invitation to set a password for each new account."
)


@click.command("import")
@click.argument("path", type=FILE)
@DRY_RUN
@INVITE
@with_appcontext
def import_registry(path: Path, dry_run: bool, invite: bool) -> None:
    """Import a registry: a CSV or XLSX file, one row per accreditation scope (see the
    README for the columns)."""
    scheme = current_scheme()
    if scheme is None:
        raise click.ClickException("There is no scheme yet: run `flask courses sync` first.")
    problems = Problems()
    people = read_registry(path, scheme, problems)
    if not problems:
        check_against_database(people, path, problems)
    _stop_on(problems)
    report = ImportReport(_sha256(path))
    created = apply_registry(people, report, progress=_progress("Importing people"))
    _finish(report, created, dry_run=dry_run, invite=invite)


@click.command("import-completions")
@click.argument("path", type=FILE)
@DRY_RUN
@INVITE
@with_appcontext
def import_completions(path: Path, dry_run: bool, invite: bool) -> None:
    """Import course completions from another platform as certificates (CSV or XLSX with
    the columns email, course, completed_on and optionally expires_on, version, name)."""
    problems = Problems()
    completions = read_completions(path, problems)
    if not problems:
        check_people(completions, path, problems)
    _stop_on(problems)
    report = ImportReport(_sha256(path))
    created = apply_completions(completions, report, progress=_progress("Importing completions"))
    _finish(report, created, dry_run=dry_run, invite=invite)


def _stop_on(problems: Problems) -> None:
    for warning in problems.warnings:
        click.echo(warning, err=True)
    if problems:
        for error in problems.errors:
            click.echo(error, err=True)
        count = len(problems.errors)
        click.echo(
            f"{count} problem{'s' if count > 1 else ''} found; nothing was imported.", err=True
        )
        sys.exit(1)


def _finish(report: ImportReport, created: list, *, dry_run: bool, invite: bool) -> None:
    if report.changed_anything:
        report.record()
    if invite and not dry_run:
        for user in created:
            _invite(user)
    if dry_run:
        db.session.rollback()
        for item in report.added_items:
            click.echo(f"would add {item}")
        for item in report.changed_items:
            click.echo(f"would change {item}")
        click.echo(f"Dry run, nothing written: {report.summary()}.")
        return
    db.session.commit()
    click.echo(f"Imported: {report.summary()}.")
    if invite:
        click.echo(f"Invitations queued: {len(created)}.")


def _invite(user) -> None:
    db.session.flush()  # the token names the account's id
    queue_mail(
        user,
        _l("You are invited to set up your account"),
        "import_invitation",
        user=user,
        reset_url=external_url("accounts.reset_password", token=make_reset_token(user)),
        request_url=external_url("accounts.reset_request"),
        hours=current_app.config["RESET_TOKEN_HOURS"],
    )


def _progress(label: str):
    """A progress bar on a terminal; the plain items in a pipe or a test."""

    def wrap(items):
        if not sys.stderr.isatty():
            yield from items
            return
        with click.progressbar(items, label=label, file=sys.stderr) as bar:
            yield from bar

    return wrap


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def init_app(app: Flask) -> None:
    """Add the commands to the groups of the features whose records they import."""
    for group, command in (("registry", import_registry), ("courses", import_completions)):
        app.cli.commands[group].add_command(command)

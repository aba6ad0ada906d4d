"""``flask accreditation sweep [--date YYYY-MM-DD]``: the daily run, meant for cron."""

from datetime import date

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy.exc import IntegrityError

from educational.catalog.scheme import current_scheme
from educational.core.db import db, today

from .sweep import run_sweep

accreditation_cli = AppGroup("accreditation", help="Accreditations: the daily sweep.")


class IsoDate(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(
                f"{value!r} is not a date; give it as YYYY-MM-DD, e.g. 2026-11-26.", param, ctx
            )


@accreditation_cli.command("sweep")
@click.option(
    "--date",
    "as_of",
    type=IsoDate(),
    default=None,
    help="Sweep as of this day (default: today, UTC).",
)
def sweep(as_of: date | None) -> None:
    """Expire lapsed accreditations, lapse scopes whose standard's transition has ended,
    queue expiry reminders. Safe to run any number of times a day."""
    scheme = current_scheme()
    if scheme is None:
        raise click.ClickException("The scheme is not loaded yet; run `flask courses sync` first.")
    report = run_sweep(scheme, as_of or today())
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise click.ClickException(
            "Another sweep recorded the same reminders at the same time; nothing was saved "
            "by this one. Run it again."
        ) from None
    for line in report.lines():
        click.echo(line)


def init_app(app: Flask) -> None:
    app.cli.add_command(accreditation_cli)

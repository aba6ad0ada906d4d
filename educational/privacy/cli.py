"""``flask data retention``: for cron (daily)."""

import click
from flask import Flask
from flask.cli import AppGroup

from educational.core.db import db, today

from .erasure import apply_retention

data_cli = AppGroup("data", help="People's data: retention after erasure.")


@data_cli.command("retention")
def retention() -> None:
    """Erase what was kept of erased people once their retention period has ended."""
    report = apply_retention(today())
    db.session.commit()
    if not report.people:
        click.echo("Nothing has passed its retention period.")
        return
    for person in report.people:
        click.echo(f"erased what was kept of {person}")
    click.echo(f"{len(report.people)} people, {report.events} audit events blanked.")


def init_app(app: Flask) -> None:
    app.cli.add_command(data_cli)

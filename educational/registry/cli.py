"""``flask registry statistics [--force]``: refresh the statistics snapshot, meant for cron
(every few minutes; it does nothing when the registry has not changed)."""

import click
from flask import Flask
from flask.cli import AppGroup

from educational.core.db import db, today

from .snapshot import refresh_statistics

registry_cli = AppGroup("registry", help="The public registry.")


@registry_cli.command("statistics")
@click.option("--force", is_flag=True, help="Compute even if nothing changed.")
def statistics(force: bool) -> None:
    """Compute the registry statistics the public page shows, if the registry changed since
    the last time (or the day did)."""
    computed = refresh_statistics(db.session, today(), force=force)
    db.session.commit()
    if computed:
        click.echo("Registry statistics computed.")
    else:
        click.echo("Registry statistics unchanged: nothing changed since the last time.")


def init_app(app: Flask) -> None:
    app.cli.add_command(registry_cli)

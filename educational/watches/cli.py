"""``flask watches deliver [--loop SECONDS]`` (cron every minute, or a loop) and
``flask watches digest`` (cron daily)."""

import time

import click
from flask import Flask
from flask.cli import AppGroup

from educational.core.db import db

from .outbox import DeliveryReport, deliver_due, fan_out, send_digests

watches_cli = AppGroup("watches", help="Members' watch lists: webhooks and e-mail digests.")


@watches_cli.command("deliver")
@click.option("--loop", type=click.IntRange(min=1), help="Run again every SECONDS, until stopped.")
def deliver(loop: int | None) -> None:
    """Queue a webhook for each new change someone watches, and send what is due."""
    while True:
        report = DeliveryReport()
        fan_out(report)
        db.session.commit()
        deliver_due(report)
        db.session.commit()
        click.echo(
            f"queued {report.queued}, delivered {report.delivered}, failed {report.failed} "
            f"(will retry), gave up {report.gave_up}"
        )
        for url in report.disabled:
            click.echo(f"disabled endpoint {url}: it kept failing")
        if not loop:
            return
        time.sleep(loop)


@watches_cli.command("digest")
def digest() -> None:
    """E-mail each member the changes of the people they watch by e-mail."""
    sent = send_digests(DeliveryReport())
    db.session.commit()
    click.echo(f"digests queued: {sent}")


def init_app(app: Flask) -> None:
    app.cli.add_command(watches_cli)

"""Commands for the shared plumbing: ``flask audit verify``, ``flask outbox send``, and
``flask backup`` / ``flask restore`` (in backup.py)."""

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .audit import verify_chain
from .backup import backup_command, restore_command
from .mail import deliver_pending

audit_cli = AppGroup("audit", help="The hash-chained audit trail.")
outbox_cli = AppGroup("outbox", help="Queued e-mail.")


@audit_cli.command("verify")
def audit_verify() -> None:
    """Walk the audit chain; exit 1 naming the first broken row."""
    report = verify_chain()
    if report.ok:
        click.echo(f"ok: {report.checked} audit events, chain intact")
        return
    click.echo(
        f"audit chain broken at event {report.broken_id}: {report.reason} "
        f"({report.checked} events before it verified)",
        err=True,
    )
    raise SystemExit(1)


@outbox_cli.command("send")
@click.option("--limit", default=500, show_default=True, help="Most messages to send.")
def outbox_send(limit: int) -> None:
    """Deliver queued e-mail over SMTP (or print it, in development without SMTP)."""
    send = None
    if not current_app.config["MAIL_SERVER"]:
        if current_app.config["ENV"] != "development":
            raise click.UsageError(
                "No MAIL_SERVER is configured. Set EDUCATIONAL_MAIL_SERVER (and _PORT, "
                "_USERNAME, _PASSWORD) to send e-mail."
            )

        def send(message) -> None:
            click.echo(message.as_string())
            click.echo("-" * 72)

    sent, failed = deliver_pending(send, limit=limit)
    click.echo(f"sent {sent}, failed {failed} (failed messages stay queued)")
    if failed:
        raise SystemExit(1)


def init_app(app: Flask) -> None:
    app.cli.add_command(audit_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)

"""Commands for the shared plumbing: ``flask audit verify`` / ``flask audit checkpoint``,
``flask outbox send``, and ``flask backup`` / ``flask restore`` (in backup.py)."""

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from . import checkpoints
from .audit import ChainReport, verify_chain
from .backup import backup_command, restore_command
from .db import utcnow
from .keys import key_id, signing_key
from .mail import deliver_pending

audit_cli = AppGroup("audit", help="The hash-chained audit trail.")
outbox_cli = AppGroup("outbox", help="Queued e-mail.")


@audit_cli.command("verify")
@click.option(
    "--checkpoints",
    "log_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A checkpoint log to check the chain against (default: AUDIT_CHECKPOINT_PATH, when "
    "it exists). Prefer the copy shipped off this host.",
)
def audit_verify(log_path: Path | None) -> None:
    """Walk the audit chain and check it against the signed checkpoints; exit 1 naming the
    first broken row or checkpoint."""
    if log_path is None and checkpoints.checkpoint_path().exists():
        log_path = checkpoints.checkpoint_path()
    anchors = _read_log(log_path) if log_path else []
    report = verify_chain(anchors=anchors)
    if not report.ok:
        _fail(report)
    if not log_path:
        click.echo(
            f"ok: {report.checked} audit events, chain intact; no checkpoint log at "
            f"{checkpoints.checkpoint_path()}, so a deleted tail or a consistent rewrite would "
            "not show: run `flask audit checkpoint` from cron"
        )
    elif not anchors:
        click.echo(f"ok: {report.checked} audit events, chain intact; {log_path} is empty")
    else:
        click.echo(
            f"ok: {report.checked} audit events, chain intact and matching {len(anchors)} "
            f"signed checkpoints in {log_path} (the latest of {anchors[-1].time}, "
            f"{anchors[-1].count} events; {report.checked - anchors[-1].count} newer events "
            "are not anchored yet)"
        )


@audit_cli.command("checkpoint")
def audit_checkpoint() -> None:
    """Verify the chain, sign its head with the app's key and append it to the checkpoint
    log (AUDIT_CHECKPOINT_PATH). Run it from cron, then ship the log elsewhere."""
    path = checkpoints.checkpoint_path()
    key = signing_key()
    try:
        checkpoint = checkpoints.take_checkpoint(path, key, utcnow())
    except checkpoints.ChainBroken as error:
        _fail(error.report, "; no checkpoint written")
    except checkpoints.CheckpointError as error:
        click.echo(
            f"checkpoint log {path}, {error}; no checkpoint written. Find out why (compare "
            "with the copy shipped elsewhere) before moving the log aside.",
            err=True,
        )
        raise SystemExit(1) from None
    click.echo(
        f"checkpoint: {checkpoint.count} audit events, head event {checkpoint.head_id} "
        f"({checkpoint.head_hash}), signed by key {key_id(key)}, appended to {path}"
    )


def _read_log(path: Path) -> list[checkpoints.Checkpoint]:
    try:
        return checkpoints.read_checkpoints(path, signing_key())
    except checkpoints.CheckpointError as error:
        click.echo(f"checkpoint log {path}, {error}", err=True)
        raise SystemExit(1) from None


def _fail(report: ChainReport, suffix: str = "") -> None:
    click.echo(
        f"audit chain broken at event {report.broken_id}: {report.reason} "
        f"({report.checked} events before it verified){suffix}",
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

"""``flask demo load``: an account for every role and, once, a demo registry, so a newcomer
can click through at once; ``flask demo seed --people N``: a synthetic registry (seed.py)."""

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from educational.core.db import db, today
from educational.core.errors import DomainError
from educational.core.urls import external_url

from .accounts import load_demo_accounts, passwords_path

demo_cli = AppGroup("demo", help="Demo data.")

#: The demo registry's size and random seed: the same people on every machine.
DEMO_PEOPLE = 200
DEMO_SEED = 2026


@demo_cli.command("load")
@click.option(
    "--password",
    help="Give every demo account this password (default: a random one each, made once and "
    "kept in the instance folder).",
)
@click.option(
    "--people",
    type=click.IntRange(0, 100_000),
    default=DEMO_PEOPLE,
    show_default=True,
    help="The size of the demo registry, made only while the registry is empty (0: none).",
)
def demo_load(password: str | None, people: int) -> None:
    """Create the demo accounts (and, once, a demo registry) and print the passwords."""
    from .registry import load_demo_registry  # loads for this command only (start-up cost)

    try:
        rows = load_demo_accounts(password)
    except DomainError as error:  # a --password too short
        raise click.BadParameter(str(error), param_hint="--password") from None
    db.session.commit()
    loaded = load_demo_registry(people, seed=DEMO_SEED)
    click.echo(loaded)
    click.echo(f"Demo accounts (log in at {external_url('accounts.login')}):")
    for email, role, user_password in rows:
        click.echo(f"  {role:8} {email:24} {user_password}")
    click.echo(f"  (the passwords are kept in {passwords_path()})")
    if current_app.config["ENV"] == "development":
        click.echo(
            f"E-mail the app sends (confirmations, resets): {external_url('dev_mail.index')}"
        )


@demo_cli.command("seed")
@click.option("--people", type=click.IntRange(1, 2_000_000), default=1000, show_default=True)
@click.option(
    "--seed",
    "random_seed",
    type=int,
    default=2026,
    show_default=True,
    help="The random seed: the same seed makes the same people.",
)
@click.option(
    "--public-share",
    type=click.FloatRange(0, 1),
    default=0.92,
    show_default=True,
    help="The share of people who consent to publication.",
)
def demo_seed(people: int, random_seed: int, public_share: float) -> None:
    """Add a synthetic registry of PEOPLE accredited people (for demos and benchmarks)."""
    from educational.registry.snapshot import refresh_statistics

    from .seed import analyze, seed_registry  # loads for this command only (start-up cost)

    report = seed_registry(people, seed=random_seed, public_share=public_share, progress=click.echo)
    db.session.commit()
    analyze()
    # Bulk inserts pass the snapshot's change listener by: refresh the figures here.
    refresh_statistics(db.session, today())
    db.session.commit()
    for line in report.lines():
        click.echo(line)


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_cli)

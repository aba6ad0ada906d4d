"""``flask demo load``: an account for every role, so a newcomer can click through at once;
``flask demo seed --people N``: a synthetic registry (see seed.py)."""

import secrets

import click
from flask import Flask
from flask.cli import AppGroup

from educational.accounts import services as accounts
from educational.accounts.models import MembershipClass, Organisation
from educational.core.db import db
from educational.core.permissions import Role

demo_cli = AppGroup("demo", help="Demo data.")

DEMO_ORGANISATION = "Demo Aluminium Ltd"
DEMO_ACCOUNTS = [
    ("learner@example.org", "Lena Learner", Role.LEARNER),
    ("member@example.org", "Max Member", Role.MEMBER),
    ("staff@example.org", "Sam Staff", Role.STAFF),
    ("admin@example.org", "Ada Admin", Role.ADMIN),
]


def load_demo_accounts(password: str | None = None) -> list[tuple[str, str, str]]:
    """Create (or reset the password of) the demo accounts; returns (email, role, password)."""
    organisation = db.session.query(Organisation).filter_by(name=DEMO_ORGANISATION).one_or_none()
    if organisation is None:
        organisation = accounts.create_organisation(
            DEMO_ORGANISATION, MembershipClass.PRODUCTION_TRANSFORMATION, "AU", actor=None
        )
    created = []
    for email, name, role in DEMO_ACCOUNTS:
        user_password = password or secrets.token_urlsafe(9)
        user = accounts.find_user_by_email(email)
        if user is None:
            user = accounts.create_user(email, user_password, name, role=role, confirmed=True)
        else:
            accounts.set_password(user, user_password)
        if role == Role.MEMBER:
            accounts.set_role(user, role, actor=None, organisation=organisation)
        created.append((email, role.value, user_password))
    return created


@demo_cli.command("load")
@click.option(
    "--password",
    help="Give every demo account this password (default: a new random one each, printed).",
)
def demo_load(password: str | None) -> None:
    """Create demo accounts for every role and print their passwords."""
    rows = load_demo_accounts(password)
    db.session.commit()
    click.echo("Demo accounts (log in at /login):")
    for email, role, user_password in rows:
        click.echo(f"  {role:8} {email:24} {user_password}")


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
    from .seed import analyze, seed_registry  # loads for this command only (start-up cost)

    report = seed_registry(people, seed=random_seed, public_share=public_share, progress=click.echo)
    db.session.commit()
    analyze()
    db.session.commit()
    for line in report.lines():
        click.echo(line)


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_cli)

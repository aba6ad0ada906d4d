"""``flask users create EMAIL --role admin``."""

import os

import click
from flask import Flask
from flask.cli import AppGroup

from educational.core.db import db
from educational.core.errors import DomainError
from educational.core.permissions import Role

from . import services

users_cli = AppGroup("users", help="User accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", help="Full name (defaults to the part of the e-mail before @).")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role if role != Role.MEMBER]),
    default=Role.LEARNER.value,
    show_default=True,
    help="Members are made from the admin pages, where their organisation is chosen.",
)
@click.option(
    "--password-env",
    metavar="VAR",
    default="EDUCATIONAL_NEW_PASSWORD",
    show_default=True,
    help="Read the password from this environment variable (for scripts); "
    "when it is unset, the password is asked for.",
)
def create_user_command(email: str, name: str | None, role: str, password_env: str) -> None:
    """Create a confirmed account with EMAIL."""
    password = os.environ.get(password_env) or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    try:
        user = services.create_user(
            email, password, name or email.split("@")[0], role=Role(role), confirmed=True
        )
    except DomainError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"created {user.email} ({user.role})")


def init_app(app: Flask) -> None:
    app.cli.add_command(users_cli)

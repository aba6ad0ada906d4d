"""``flask certificates issue|revoke|key``: the same services as the web pages, for staff
at a terminal (a certificate issued by hand, a revocation, the signing key's id)."""

from datetime import datetime

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from educational.accounts.models import User
from educational.catalog.models import Course
from educational.core.db import db, utcnow
from educational.core.errors import DomainError

from . import services, signing

certificates_cli = AppGroup("certificates", help="Certificates of course completion.")


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No account has the e-mail address {email}.")
    return user


@certificates_cli.command("issue")
@click.argument("email")
@click.argument("course_slug")
@click.option("--at", "at", help="Completion time, ISO 8601 with a time zone (default: now).")
def issue(email: str, course_slug: str, at: str | None) -> None:
    """Issue (or show the valid) certificate of COURSE_SLUG for the learner EMAIL."""
    user = _user(email)
    course = db.session.scalar(select(Course).where(Course.slug == course_slug))
    if course is None:
        raise click.ClickException(f"No course has the slug {course_slug}.")
    issued_at = utcnow()
    if at:
        try:
            issued_at = datetime.fromisoformat(at)
        except ValueError:
            raise click.ClickException("Give --at as 2026-01-31T12:00:00+00:00.") from None
        if issued_at.tzinfo is None:
            raise click.ClickException("Give --at with a time zone, e.g. +00:00.")
    certificate = services.issue_certificate(user, course, issued_at=issued_at)
    db.session.commit()
    click.echo(f"{certificate.code} {certificate.holder_name}: {certificate.course_title}")


@certificates_cli.command("revoke")
@click.argument("code")
@click.option("--reason", required=True, help="Shown on the public verification page.")
@click.option("--by", "by", required=True, help="E-mail address of the staff member.")
def revoke(code: str, reason: str, by: str) -> None:
    """Revoke the certificate CODE."""
    certificate = services.find_certificate(code)
    if certificate is None:
        raise click.ClickException(f"No certificate has the code {code}.")
    try:
        services.revoke_certificate(certificate, reason, _user(by))
    except DomainError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"{certificate.code} revoked.")


@certificates_cli.command("key")
def key() -> None:
    """Show the credential-signing key's id (creating the key if there is none yet)."""
    signing_key = signing.signing_key()
    click.echo(f"{signing.key_id(signing_key)} {current_app.config['CREDENTIAL_KEY_PATH']}")


def init_app(app: Flask) -> None:
    app.cli.add_command(certificates_cli)

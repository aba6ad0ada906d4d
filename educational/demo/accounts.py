"""The demo accounts, one for every role, and their passwords.

The passwords are made once and kept in the instance folder (``demo-passwords.json``, readable
by its owner only, never committed: ``instance/`` is ignored by git), so that every
``make serve`` prints the same ones and a browser's saved log-in keeps working. A demo account
whose password no longer matches the file (the file was deleted, someone changed it) gets the
file's password back."""

from __future__ import annotations

import json
import os
import secrets
from contextlib import suppress
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from educational.accounts import services as accounts
from educational.accounts.models import MembershipClass, Organisation
from educational.core.db import db
from educational.core.permissions import Role
from educational.core.security import verify_password

DEMO_ORGANISATION = "Demo Aluminium Ltd"
DEMO_ACCOUNTS = [
    ("learner@example.org", "Lena Learner", Role.LEARNER),
    ("member@example.org", "Max Member", Role.MEMBER),
    ("staff@example.org", "Sam Staff", Role.STAFF),
    ("admin@example.org", "Ada Admin", Role.ADMIN),
]


def passwords_path() -> Path:
    """``DEMO_PASSWORDS_PATH``: in the instance folder unless configured as an absolute path
    (the tests do; create_app resolves it)."""
    return Path(current_app.instance_path) / current_app.config["DEMO_PASSWORDS_PATH"]


def read_passwords(path: Path) -> dict[str, str]:
    """The kept passwords by e-mail; empty when there is no file or it is unreadable (the
    accounts then get new ones, written back)."""
    with suppress(OSError, ValueError):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            return {str(k): str(v) for k, v in data.items()}
    return {}


def write_passwords(path: Path, passwords: dict[str, str]) -> None:
    """Write the file readable by its owner only, never briefly readable by others."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with suppress(FileNotFoundError):
        temporary.unlink()
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        json.dump(passwords, out, indent=2, sort_keys=True)
        out.write("\n")
    os.replace(temporary, path)


def demo_organisation() -> Organisation:
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.name == DEMO_ORGANISATION)
    )
    if organisation is None:
        organisation = accounts.create_organisation(
            DEMO_ORGANISATION, MembershipClass.PRODUCTION_TRANSFORMATION, "AU", actor=None
        )
    return organisation


def load_demo_accounts(password: str | None = None) -> list[tuple[str, str, str]]:
    """Create the demo accounts, or give them back their kept password; returns
    (email, role, password) for each. ``password``: every account gets this one (kept too).
    Flushes; the caller commits."""
    path = passwords_path()
    kept = read_passwords(path)
    organisation = demo_organisation()
    rows, wanted = [], {}
    for email, name, role in DEMO_ACCOUNTS:
        user_password = password or kept.get(email) or secrets.token_urlsafe(9)
        wanted[email] = user_password
        user = accounts.find_user_by_email(email)
        if user is None:
            user = accounts.create_user(email, user_password, name, role=role, confirmed=True)
        elif not verify_password(user.password_hash, user_password):
            accounts.set_password(user, user_password)
        if role == Role.MEMBER:
            accounts.set_role(user, role, actor=None, organisation=organisation)
        rows.append((email, role.value, user_password))
    if wanted != kept:
        write_passwords(path, {**kept, **wanted})
    return rows

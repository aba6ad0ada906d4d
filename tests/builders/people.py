"""Accounts and requests: confirmed users, the curriculum synced, logging in and posting
forms as a browser does (with the CSRF token of the page the form is on)."""

import re
from pathlib import Path

from flask import Flask

from educational.core.db import db

PASSWORD = "correct horse battery"
COURSES_DIR = Path(__file__).parents[2] / "courses"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
LOCATION_ID = re.compile(r"/(\d+)$")


def create_user(app: Flask, role: str, email: str, name: str):
    """A confirmed account, detached from any session (read its columns, not relations).
    A member gets an organisation."""
    from educational.accounts import services
    from educational.accounts.models import MembershipClass
    from educational.core.permissions import Role

    with app.app_context():
        user = services.create_user(email, PASSWORD, name, role=Role(role), confirmed=True)
        if role == "member":
            user.organisation = services.create_organisation(
                f"Organisation of {email}", MembershipClass.INDUSTRIAL_USERS, "DE", actor=None
            )
        db.session.commit()
        db.session.refresh(user)
        db.session.expunge(user)
    return user


def sync_courses(app: Flask) -> Path:
    """The starter curriculum and scheme.yml, synced into the app's database."""
    result = app.test_cli_runner().invoke(args=["courses", "sync", str(COURSES_DIR)])
    assert result.exit_code == 0, result.output
    return COURSES_DIR


def csrf_token(client, url: str) -> str:
    """The CSRF token of the form on ``url``, as a browser would submit it."""
    page = client.get(url).get_data(as_text=True)
    match = CSRF_RE.search(page)
    assert match, f"no CSRF token in the form at {url}"
    return match.group(1)


def login(client, email: str, password: str = PASSWORD) -> None:
    """Log ``client`` in (with the form's CSRF token when the app checks it)."""
    data = {"email": email, "password": password}
    if client.application.config["WTF_CSRF_ENABLED"]:
        data["csrf_token"] = csrf_token(client, "/login")
    response = client.post("/login", data=data)
    assert response.status_code == 302, f"log-in of {email} failed: {response.status_code}"


def logged_in(app: Flask, user):
    """A new test client, logged in as ``user``."""
    client = app.test_client()
    login(client, user.email)
    return client


def post(client, url: str, data: dict, form_url: str | None = None, **kwargs):
    """POST as a browser does: with the CSRF token of the page the form is on."""
    token = csrf_token(client, form_url or url)
    return client.post(url, data={**data, "csrf_token": token}, **kwargs)


def id_from(response) -> int:
    """The id at the end of a redirect's Location (the row just created)."""
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(LOCATION_ID.search(response.headers["Location"]).group(1))


def waiting_count(staff_home: str, label: str) -> int | None:
    """The count the staff home shows beside ``label`` (it lists every queue, even at 0);
    None when the label is not there."""
    found = re.search(
        r'waiting-count">(\d+)</span>\s*<span class="waiting-label">' + re.escape(label) + "<",
        staff_home,
    )
    return int(found.group(1)) if found else None

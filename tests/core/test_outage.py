"""While the database restarts (educational/core/outage.py): a GET retries once; a POST
answers 503 with Retry-After and a page that keeps what was typed (never a password); the
API answers its JSON envelope with 503. Never a 500.

The restart is simulated on the test database: every statement (or the next one only)
fails as a lost connection does, with an invalidated connection, or as a refused
connection does, with psycopg's OperationalError. The real restart under load is
tests/fault."""

import re
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError, OperationalError

from educational.accounts.models import User
from educational.core.db import db
from tests.conftest import PASSWORD, csrf_token

pytestmark = pytest.mark.app_config(DATABASE_RETRY_PAUSE=0, RATELIMIT_ENABLED=False)

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def lost_connection() -> OperationalError:
    return OperationalError(
        "SELECT 1",
        {},
        Exception("server closed the connection unexpectedly"),
        connection_invalidated=True,
    )


def refused_connection() -> OperationalError:
    return OperationalError(None, None, psycopg.OperationalError("connection refused"))


@contextmanager
def database_fails(app, times: int | None = None, error=lost_connection):
    """Statements fail with ``error()``: the next ``times`` ones, or all. Yields the list
    of failures raised."""
    raised = []

    def fail(*_args, **_kwargs):
        if times is None or len(raised) < times:
            raised.append(error())
            raise raised[-1]

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", fail)
    try:
        yield raised
    finally:
        event.remove(engine, "before_cursor_execute", fail)


@pytest.mark.parametrize("error", [lost_connection, refused_connection])
def test_a_get_is_retried_once_after_a_lost_connection(app, client, synced_courses, error):
    with database_fails(app, times=1, error=error) as raised:
        response = client.get("/courses")
    assert len(raised) == 1
    assert response.status_code == 200
    assert "asi-auditor" in response.get_data(as_text=True)


def test_a_logged_in_get_is_retried_too(app, client, auth, make_user):
    user = make_user()
    auth.login(user.email)
    with database_fails(app, times=1) as raised:
        response = client.get("/account")
    assert len(raised) == 1
    assert response.status_code == 200
    assert user.email in response.get_data(as_text=True)


def test_a_get_that_fails_again_answers_503_not_500(app, client):
    with database_fails(app) as raised:
        response = client.get("/courses")
    assert len(raised) == 2  # the request, and its one retry
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    page = response.get_data(as_text=True)
    assert 'class="skip-link"' in page and "Error 503" in page
    assert "Traceback" not in page and "server closed" not in page


@pytest.mark.csrf
def test_a_post_answers_503_keeping_what_was_typed_but_not_the_password(app, client):
    token = csrf_token(client, "/register")
    typed = {
        "name": 'Ana "Typed" <Name>',
        "email": "ana@example.org",
        "password": PASSWORD,
        "password2": PASSWORD,
        "csrf_token": token,
    }
    with database_fails(app) as raised:
        response = client.post("/register", data=typed)
    assert len(raised) == 1  # a POST is never repeated behind the user's back
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    page = response.get_data(as_text=True)
    assert PASSWORD not in page
    kept = dict(HIDDEN.findall(page.split('action="/register"', 1)[1]))
    assert kept == {
        "name": "Ana &#34;Typed&#34; &lt;Name&gt;",
        "email": "ana@example.org",
        "csrf_token": token,
    }


@pytest.mark.csrf
def test_try_again_posts_the_kept_fields_and_they_are_saved(app, client, auth, make_user):
    user = make_user()
    auth.login(user.email, csrf=True)
    form = {
        "name": "Renamed During A Restart",
        "timezone": "Europe/Oslo",
        "locale": "fr",
        "csrf_token": csrf_token(client, "/account"),
    }
    with database_fails(app):
        response = client.post("/account", data=form)
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    action = re.search(r'<form method="post" action="([^"]+)">\s*<input type="hidden"', page)
    assert action.group(1) == "/account"
    # The database is back; the user presses "Try again".
    response = client.post("/account", data=dict(HIDDEN.findall(page)))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).name == "Renamed During A Restart"


def test_the_api_answers_503_in_its_json_envelope(app, client):
    with database_fails(app):
        response = client.get("/api/v1/registry")
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert response.get_json()["error"]["code"] == "unavailable"


def test_a_json_client_of_a_page_gets_json_too(app, client, auth, make_user):
    """The quiz's autosave posts with Accept: application/json."""
    user = make_user()
    auth.login(user.email)
    with database_fails(app):
        response = client.post(
            "/attempts/1/answer", data={"position": "1"}, headers={"Accept": "application/json"}
        )
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "unavailable"


def test_other_database_errors_are_still_500(app, client):
    """Only an unreachable database is "try again": a failing statement is a bug."""

    def violation():
        return IntegrityError("INSERT", {}, Exception("constraint violated"))

    with database_fails(app, error=violation) as raised:
        response = client.get("/courses")
    assert len(raised) == 1
    assert response.status_code == 500
    with app.app_context():
        assert db.session.scalars(select(User)).all() == []

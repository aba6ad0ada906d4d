"""The account life cycle through the test client, with CSRF protection on as in production."""

import re

import pytest

from educational.accounts.models import User
from educational.core.audit import AuditEvent
from educational.core.db import db
from tests.builders.people import post as post_form
from tests.conftest import PASSWORD, outbox_messages

pytestmark = pytest.mark.csrf

LINK_RE = re.compile(r"http://localhost(/\S+)")


def link_in(message) -> str:
    match = LINK_RE.search(message.body)
    assert match, message.body
    return match.group(1)


def test_register_confirm_login_reset_logout(app, client):
    response = post_form(
        client,
        "/register",
        {
            "name": "Ana Auditor",
            "email": "Ana@Example.org",
            "password": "a long passphrase",
            "password2": "a long passphrase",
        },
    )
    assert response.status_code == 200
    assert "Check your e-mail" in response.get_data(as_text=True)
    with app.app_context():
        assert not db.session.query(User).filter_by(email="ana@example.org").one().is_confirmed

    # Confirmation link from the outbox.
    (message,) = outbox_messages(app, "confirm_email")
    assert message.recipient == "ana@example.org"
    # The link shows a button (a GET never writes); pressing it confirms.
    response = client.get(link_in(message))
    assert response.status_code == 200
    assert "Confirm my address" in response.get_data(as_text=True)
    with app.app_context():
        assert not db.session.query(User).filter_by(email="ana@example.org").one().is_confirmed
    response = post_form(client, link_in(message), {})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.query(User).filter_by(email="ana@example.org").one().is_confirmed
    # Following the link again just says so.
    response = client.get(link_in(message), follow_redirects=True)
    assert "your e-mail address is confirmed" in response.get_data(as_text=True)

    # Log in.
    response = post_form(
        client, "/login", {"email": "ana@example.org", "password": "a long passphrase"}
    )
    assert response.status_code == 302
    assert "Ana Auditor" in client.get("/").get_data(as_text=True)

    # Log out (a POST with CSRF), then request a reset.
    response = post_form(client, "/logout", {}, form_url="/")
    assert response.status_code == 302
    assert "Log in" in client.get("/").get_data(as_text=True)
    post_form(client, "/reset", {"email": "ana@example.org"})
    (reset,) = outbox_messages(app, "reset_password")
    reset_url = link_in(reset)
    response = post_form(
        client, reset_url, {"password": "another passphrase", "password2": "another passphrase"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")

    # The reset link is single-use.
    assert client.get(reset_url).status_code == 302
    assert client.get(reset_url, follow_redirects=True).request.path == "/reset"

    # Old password refused, new one works.
    response = post_form(
        client, "/login", {"email": "ana@example.org", "password": "a long passphrase"}
    )
    assert response.status_code == 200
    assert "not right" in response.get_data(as_text=True)
    response = post_form(
        client, "/login", {"email": "ana@example.org", "password": "another passphrase"}
    )
    assert response.status_code == 302

    with app.app_context():
        actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions == ["account.created", "account.confirmed", "account.password_changed"]


def test_post_without_csrf_token_is_refused(client, make_user):
    user = make_user()
    # The right password: the missing token is the only reason to refuse.
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/account").status_code == 302  # not logged in: sent to log in


def test_registration_form_comes_back_filled_in(app, client):
    response = post_form(
        client,
        "/register",
        {"name": "Ana Auditor", "email": "ana@example.org", "password": "short", "password2": "x"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Ana Auditor"' in page
    assert 'value="ana@example.org"' in page
    assert "The two passwords differ." in page
    with app.app_context():
        assert db.session.query(User).count() == 0


def test_registering_a_taken_address_reveals_nothing(app, client, make_user):
    user = make_user()
    response = post_form(
        client,
        "/register",
        {
            "name": "X",
            "email": user.email,
            "password": "a long passphrase",
            "password2": "a long passphrase",
        },
    )
    assert "Check your e-mail" in response.get_data(as_text=True)
    assert [m.kind for m in outbox_messages(app)] == ["account_exists"]
    with app.app_context():
        assert db.session.query(User).count() == 1


def test_reset_for_unknown_address_looks_the_same(app, client, make_user):
    user = make_user()
    known = post_form(client, "/reset", {"email": user.email}).get_data(as_text=True)
    unknown = post_form(client, "/reset", {"email": "nobody@example.org"}).get_data(as_text=True)
    assert known.replace(user.email, "X") == unknown.replace("nobody@example.org", "X")
    assert len(outbox_messages(app, "reset_password")) == 1


def test_login_error_does_not_say_which_part_is_wrong(client, make_user):
    user = make_user()
    wrong_password = post_form(client, "/login", {"email": user.email, "password": "wrong pw"})
    unknown = post_form(client, "/login", {"email": "nobody@example.org", "password": "wrong pw"})
    message = "The e-mail address or the password is not right."
    assert message in wrong_password.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_session_rotates_at_login(app, client, make_user):
    from educational.accounts.sessions import user_for_token

    user = make_user()
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    post_form(client, "/login", {"email": user.email, "password": "correct horse battery"})
    with client.session_transaction() as session:
        assert "planted" not in session
        token = session["_user_id"]
    with app.app_context():
        assert user_for_token(token).id == user.id


def test_password_change_logs_out_other_sessions(app, make_user):
    user = make_user()
    first, second = app.test_client(), app.test_client()
    for c in (first, second):
        post_form(c, "/login", {"email": user.email, "password": "correct horse battery"})
    response = post_form(
        first,
        "/account/password",
        {
            "current_password": "correct horse battery",
            "password": "a brand new passphrase",
            "password2": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    assert first.get("/account").status_code == 200
    assert second.get("/account").status_code == 302


def test_expired_confirmation_link_is_refused(app, client):
    from educational.accounts import services
    from educational.accounts.tokens import make_confirm_token

    with app.test_request_context():
        user = services.create_user("late@example.org", "a long passphrase", "Late")
        db.session.commit()
        token = make_confirm_token(user)
    app.config["CONFIRM_TOKEN_HOURS"] = -1
    response = client.get(f"/confirm/{token}", follow_redirects=True)
    assert "invalid or has expired" in response.get_data(as_text=True)
    with app.app_context():
        assert not db.session.query(User).one().is_confirmed


def test_profile_saves_name_timezone_and_language(app, client, auth, make_user):
    user = make_user()
    auth.login(user.email, csrf=True)
    response = post_form(
        client,
        "/account",
        {"name": "Ana María Pérez", "timezone": "America/Sao_Paulo", "locale": "pt"},
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, user.id)
    assert (user.name, user.timezone, user.locale) == ("Ana María Pérez", "America/Sao_Paulo", "pt")

"""Links in account e-mail come from PUBLIC_URL, never from the request's Host header
(issue 10, finding 1: ``POST /reset`` with ``Host: evil.example`` queued a working reset
link to the attacker's server). A request for a foreign host is refused before any view runs;
one for a trusted alias is served, and its e-mail still links to PUBLIC_URL."""

import re

import pytest

from educational.accounts import services
from educational.core.db import db
from tests.conftest import PASSWORD, outbox_messages

EVIL = {"Host": "evil.example"}
ALIAS = {"Host": "alias.example"}
URL_RE = re.compile(r"https?://[^/\s]+/\S*")


def links(message) -> list[str]:
    return URL_RE.findall(message.body)


def register_taken(client, email: str, headers: dict):
    data = {"name": "X", "email": email, "password": PASSWORD, "password2": PASSWORD}
    return client.post("/register", data=data, headers=headers)


def unconfirmed_user(app) -> str:
    with app.app_context():
        user = services.create_user("new@example.org", PASSWORD, "New Person")
        db.session.commit()
        return user.email


def log_in_at(client, host: str, email: str) -> None:
    """Log in, and give the session cookie to ``host`` too, as a browser would hold one."""
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    client.set_cookie("session", client.get_cookie("session").value, domain=host)


def assert_refused_page(response) -> None:
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Bad request" in page
    assert "Traceback" not in page and "evil.example" not in page


def test_reset_request_for_a_foreign_host_is_refused_and_queues_nothing(app, client, make_user):
    user = make_user()
    assert_refused_page(client.post("/reset", data={"email": user.email}, headers=EVIL))
    assert outbox_messages(app) == []


def test_registering_a_taken_address_from_a_foreign_host_queues_nothing(app, client, make_user):
    user = make_user()
    assert_refused_page(register_taken(client, user.email, EVIL))
    assert outbox_messages(app) == []


def test_resending_confirmation_to_a_foreign_host_queues_nothing(app, client):
    log_in_at(client, "evil.example", unconfirmed_user(app))
    assert_refused_page(client.post("/confirm/resend", headers=EVIL))
    assert outbox_messages(app) == []


@pytest.mark.app_config(TRUSTED_HOSTS=["alias.example"])
def test_an_alias_host_is_served_but_its_mail_links_to_the_public_url(app, client, make_user):
    user = make_user()
    assert client.post("/reset", data={"email": user.email}, headers=ALIAS).status_code == 200
    assert register_taken(client, user.email, ALIAS).status_code == 200
    log_in_at(client, "alias.example", unconfirmed_user(app))
    assert client.post("/confirm/resend", headers=ALIAS).status_code == 302

    messages = outbox_messages(app)
    assert [m.kind for m in messages] == ["reset_password", "account_exists", "confirm_email"]
    for message in messages:
        assert links(message), message.body
        for link in links(message):
            assert link.startswith("http://localhost/"), link
    assert "/reset/" in links(messages[0])[0]
    assert "/confirm/" in links(messages[2])[0]


@pytest.mark.app_config(PUBLIC_URL="https://training.example.org/asi", TRUSTED_HOSTS=["localhost"])
def test_mail_links_carry_the_public_scheme_host_and_path_prefix(app, client, make_user):
    user = make_user()
    assert client.post("/asi/reset", data={"email": user.email}).status_code == 200
    (message,) = outbox_messages(app, "reset_password")
    (link,) = links(message)
    assert link.startswith("https://training.example.org/asi/reset/")
    token_path = link.removeprefix("https://training.example.org")
    assert client.get(token_path).status_code == 200

"""``/dev/mail``: in development, the e-mail the app sent can be read in the browser, decoded,
with links that work; in production (and testing) the route does not exist."""

import re
from email.message import EmailMessage

import pytest

from educational import create_app
from educational.core.db import db
from educational.demo.mailview import decoded, with_links
from tests.conftest import PASSWORD, base_config, outbox_messages

HREF_RE = re.compile(r'<a href="(http://localhost/confirm/[^"]+)">')


def register(client, name: str = "Zoë 王 Ångström") -> None:
    data = {"name": name, "email": "zoe@example.org", "password": PASSWORD, "password2": PASSWORD}
    assert client.post("/register", data=data).status_code in (200, 302)


@pytest.mark.app_config(ENV="development")
def test_dev_mail_lists_decodes_and_links_the_confirmation(app, client):
    register(client)
    [queued] = outbox_messages(app, "confirm_email")

    listing = client.get("/dev/mail").get_data(as_text=True)
    assert "Confirm your e-mail address" in listing and "zoe@example.org" in listing
    assert f'href="/dev/mail/{queued.id}"' in listing

    page = client.get(f"/dev/mail/{queued.id}").get_data(as_text=True)
    # The headers as sent, then the body decoded: the name whole, not =C3=AB or base64.
    assert re.search(r"<dt>To</dt><dd[^>]*>zoe@example.org</dd>", page)
    assert "<dt>Content-Transfer-Encoding</dt>" in page
    assert "Zoë 王 Ångström" in page

    [link] = HREF_RE.findall(page)
    assert link in queued.body  # whole, as the app made it
    confirm = client.get(link.removeprefix("http://localhost"))
    assert confirm.status_code == 200
    assert "Confirm my address" in confirm.get_data(as_text=True)


@pytest.mark.app_config(ENV="development")
def test_dev_mail_says_when_there_is_none_and_404s_an_unknown_message(client):
    assert "No e-mail yet" in client.get("/dev/mail").get_data(as_text=True)
    assert client.get("/dev/mail/999").status_code == 404


@pytest.mark.parametrize("env", ["production", "testing"])
def test_dev_mail_does_not_exist_outside_development(tmp_path, env):
    app = create_app(base_config(tmp_path, ENV=env, TESTING=False))
    assert not any(rule.rule.startswith("/dev") for rule in app.url_map.iter_rules())
    client = app.test_client()
    with app.app_context():
        db.create_all()
    assert client.get("/dev/mail").status_code == 404
    assert client.get("/dev/mail/1").status_code == 404
    with app.app_context():
        db.engine.dispose()  # its own engine: leave no connection open (PostgreSQL leg)


@pytest.mark.parametrize("encoding", ["quoted-printable", "base64", "8bit"])
def test_a_message_is_shown_decoded_whatever_its_transfer_encoding(encoding):
    link = "https://training.example.org/reset/" + "x" * 120
    message = EmailMessage()
    message["To"] = "zoe@example.org"
    message["Subject"] = "Réinitialiser"
    message.set_content(f"Bonjour Zoë 王,\n\n{link}\n", cte=encoding)
    headers, body, source = decoded(message)
    assert ("Content-Transfer-Encoding", encoding) in headers
    assert ("Subject", "Réinitialiser") in headers
    assert "Bonjour Zoë 王," in body and link in body.splitlines()
    if encoding != "8bit":
        assert link not in source  # encoded on the wire, whole on the page
    assert f'<a href="{link}">{link}</a>' in with_links(body)
    assert "<script>" not in with_links("<script>alert(1)</script> https://a.example/x")

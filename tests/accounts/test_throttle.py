import pytest
from sqlalchemy import update

from educational.accounts.models import User
from educational.core.db import db
from tests.conftest import PASSWORD, outbox_messages

WRONG = "not the password"


def attempt(client, email, password=WRONG, address="10.0.0.1"):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_sixth_wrong_password_in_a_minute_gets_429(client, make_user):
    user = make_user()
    for _ in range(5):
        response = client.post("/login", data={"email": user.email, "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/login", data={"email": user.email, "password": "wrong"})
    assert response.status_code == 429
    assert "Retry-After" in response.headers
    assert "Wait a minute" in response.get_data(as_text=True)
    # Even the right password waits: the point is to stop guessing.
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 429


def test_successful_logins_do_not_count(app, make_user):
    user = make_user()
    for _ in range(8):
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302


@pytest.mark.app_config(LOGIN_LIMIT="1000 per minute")
def test_guessing_from_one_address_does_not_lock_out_the_owner_elsewhere(app, make_user):
    user = make_user()
    attacker = app.test_client()
    statuses = [attempt(attacker, user.email, address="203.0.113.9").status_code for _ in range(20)]
    # ACCOUNT_LIMIT (10 an hour) for this account from this address, then refused.
    assert statuses == [200] * 10 + [429] * 10
    assert attempt(attacker, user.email, PASSWORD, "203.0.113.9").status_code == 429

    owner = app.test_client()
    assert attempt(owner, user.email, PASSWORD, address="198.51.100.7").status_code == 302
    assert outbox_messages(app, "login_blocked") == []


def test_daily_cap_blocks_every_address_and_mails_the_owner_once(app, make_user):
    user = make_user()
    with app.app_context():
        db.session.execute(update(User).values(locale="fr"))
        db.session.commit()
    attacker = app.test_client()
    statuses = [
        attempt(attacker, user.email, address=f"10.{n // 250}.{n % 250}.1").status_code
        for n in range(100)
    ]
    assert statuses == [200] * 100  # LOGIN_ACCOUNT_DAILY_LIMIT, 100 a day by default
    for n in range(5):
        assert attempt(attacker, user.email, address=f"10.9.9.{n}").status_code == 429
    # A stranger's browser is refused even with the right password until the day is over.
    stranger = app.test_client()
    assert attempt(stranger, user.email, PASSWORD, address="198.51.100.7").status_code == 429

    (message,) = outbox_messages(app, "login_blocked")
    assert message.recipient == user.email
    assert "http://localhost/reset" in message.body
    # In the owner's language, not the attacker's.
    assert message.body.startswith(f"Bonjour {user.name},")


@pytest.mark.app_config(LOGIN_ACCOUNT_DAILY_LIMIT="5 per day")
def test_the_owners_known_browser_gets_in_while_the_daily_cap_holds(app, make_user):
    user = make_user()
    owner = app.test_client()
    assert attempt(owner, user.email, PASSWORD, address="198.51.100.7").status_code == 302
    assert owner.post("/logout").status_code == 302

    attacker = app.test_client()
    for n in range(8):
        attempt(attacker, user.email, address=f"10.0.0.{n}")
    assert attempt(attacker, user.email, PASSWORD, address="10.0.1.1").status_code == 429

    # The device cookie from the earlier log-in: its own budget, not the exhausted one.
    assert attempt(owner, user.email, PASSWORD, address="192.0.2.50").status_code == 302
    # A device cookie names one account: copying it to guess another gets nothing.
    other = make_user()
    borrowed = app.test_client()
    borrowed.set_cookie("device", owner.get_cookie("device").value)
    for n in range(5):
        attempt(borrowed, other.email, address=f"10.0.2.{n}")
    assert attempt(borrowed, other.email, PASSWORD, address="10.0.2.9").status_code == 429


@pytest.mark.app_config(LOGIN_ACCOUNT_DAILY_LIMIT="5 per day")
def test_following_the_reset_link_lets_that_browser_in_while_the_cap_holds(app, make_user):
    user = make_user()
    attacker = app.test_client()
    for n in range(6):
        attempt(attacker, user.email, address=f"10.0.0.{n}")
    owner = app.test_client()
    assert attempt(owner, user.email, PASSWORD, address="198.51.100.7").status_code == 429

    owner.post("/reset", data={"email": user.email})
    (message,) = outbox_messages(app, "reset_password")
    reset_path = message.body.split("http://localhost", 1)[1].split()[0]
    new = "a brand new passphrase"
    assert owner.post(reset_path, data={"password": new, "password2": new}).status_code == 302
    assert attempt(owner, user.email, new, address="198.51.100.7").status_code == 302


def test_wrong_current_passwords_are_throttled(app, client, auth, make_user):
    user = make_user()
    assert auth.login(user.email).status_code == 302
    new = "a brand new passphrase"

    def change(current: str):
        return client.post(
            "/account/password",
            data={"current_password": current, "password": new, "password2": new},
        )

    for _ in range(5):  # PASSWORD_CHANGE_LIMIT: 5 in 15 minutes
        response = change("not my password")
        assert response.status_code == 200
        assert "The current password is not right." in response.get_data(as_text=True)
    response = change(PASSWORD)
    assert response.status_code == 429
    assert "Retry-After" in response.headers
    # The right password was not checked: it still works.
    assert auth.logout().status_code == 302
    assert auth.login(user.email).status_code == 302

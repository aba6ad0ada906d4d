"""Log-in sessions live on the server: logging out, changing or resetting the password and
disabling an account end them, whatever cookies a browser (or an attacker) still holds."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from educational.accounts import services, sessions
from educational.accounts.models import LoginSession, User
from educational.core.db import db, utcnow
from tests.conftest import PASSWORD

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def log_in(client, user, *, remember: bool = False) -> None:
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data, headers={"User-Agent": FIREFOX})
    assert response.status_code == 302


def replay(app, **cookies: str):
    """A new browser holding only these cookies (as copied from another)."""
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def goes_to_login(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers["Location"]


def login_sessions(app, user) -> list[LoginSession]:
    with app.app_context():
        rows = db.session.scalars(select(LoginSession).where(LoginSession.user_id == user.id))
        rows = rows.all()
        db.session.expunge_all()
    return rows


def test_replayed_session_and_remember_cookies_open_nothing_after_logout(app, client, make_user):
    user = make_user()
    log_in(client, user, remember=True)
    stolen = {name: client.get_cookie(name).value for name in ("session", "remember_token")}
    assert replay(app, session=stolen["session"]).get("/account").status_code == 200

    assert client.post("/logout").status_code == 302

    assert goes_to_login(replay(app, session=stolen["session"]).get("/account"))
    assert goes_to_login(replay(app, remember_token=stolen["remember_token"]).get("/account"))
    assert goes_to_login(client.get("/account"))
    assert login_sessions(app, user) == []


def test_the_cookies_carry_a_token_the_database_keeps_only_hashed(app, client, make_user):
    user = make_user()
    log_in(client, user)
    with client.session_transaction() as session:
        token = session["_user_id"]
    (row,) = login_sessions(app, user)
    assert token not in (row.token_hash, str(user.id))
    assert row.user_agent == "Firefox on Linux"
    assert not row.remember
    with app.app_context():
        assert sessions.user_for_token(token).id == user.id
        assert sessions.user_for_token(token + "x") is None


def test_remember_cookie_lasts_thirty_days_and_ends_with_its_session(app, client, make_user):
    user = make_user()
    log_in(client, user, remember=True)
    (row,) = login_sessions(app, user)
    assert row.remember
    assert row.expires_at - row.created_at == timedelta(days=30)
    # The cookie ends with the row, not a year later.
    cookie = client.get_cookie("remember_token")
    assert timedelta(days=29) < cookie.expires - datetime.now(UTC) <= timedelta(days=30)

    # A session past its end opens nothing, even with a cookie a browser kept longer.
    with app.app_context():
        db.session.execute(update(LoginSession).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert goes_to_login(replay(app, remember_token=cookie.value).get("/account"))
    assert goes_to_login(client.get("/account"))


def test_password_change_ends_other_sessions_but_keeps_this_one(app, make_user):
    user = make_user()
    here, there = app.test_client(), app.test_client()
    log_in(here, user)
    log_in(there, user, remember=True)
    there_remember = there.get_cookie("remember_token").value

    response = here.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": "a brand new passphrase",
            "password2": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    assert here.get("/account").status_code == 200
    assert goes_to_login(there.get("/account"))
    assert goes_to_login(replay(app, remember_token=there_remember).get("/account"))
    assert len(login_sessions(app, user)) == 1


def test_password_reset_ends_every_session(app, make_user):
    user = make_user()
    browser = app.test_client()
    log_in(browser, user, remember=True)
    with app.app_context():
        services.reset_password(db.session.get(User, user.id), "a brand new passphrase")
        db.session.commit()
    assert goes_to_login(browser.get("/account"))
    assert login_sessions(app, user) == []


def test_disabling_an_account_ends_its_sessions(app, make_user):
    admin, user = make_user("admin"), make_user()
    browser = app.test_client()
    log_in(browser, user, remember=True)
    with app.app_context():
        target = db.session.get(User, user.id)
        services.set_active(target, False, actor=db.session.get(User, admin.id))
        db.session.commit()
    assert goes_to_login(browser.get("/account"))
    assert login_sessions(app, user) == []


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_only_requests_that_write_note_when_a_session_was_last_used(app, client, make_user, method):
    user = make_user()
    log_in(client, user)
    an_hour_ago = utcnow() - timedelta(hours=1)
    with app.app_context():
        db.session.execute(update(LoginSession).values(last_seen_at=an_hour_ago))
        db.session.commit()
    if method == "GET":
        assert client.get("/account").status_code == 200
    else:
        response = client.post("/language", data={"language": "fr", "next": "/account"})
        assert response.status_code == 302
    (row,) = login_sessions(app, user)
    assert (row.last_seen_at > an_hour_ago) == (method == "POST")


@pytest.mark.parametrize(
    ("user_agent", "summary"),
    [
        (FIREFOX, "Firefox on Linux"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari on iOS",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
            "Edge on Windows",
        ),
        ("curl/8.5.0", ""),
    ],
)
def test_user_agent_summary(user_agent, summary):
    assert sessions.summarise_user_agent(user_agent) == summary

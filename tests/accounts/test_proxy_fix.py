"""Behind a proxy, the log-in limit keys on the client's address from X-Forwarded-For, so
one guesser cannot lock everyone out (issue 10, finding 4: behind the TLS proxy every client
shared the proxy's bucket). Without PROXY_FIX the header is ignored, so forging it does not
buy a fresh bucket.

Only the per-address limit (LOGIN_LIMIT, 5 a minute) is under test; the per-account limits
are set out of reach. Every request comes from the same socket address, the proxy's."""

import pytest

from tests.conftest import PASSWORD

ACCOUNT_LIMITS_OUT_OF_REACH = {
    "ACCOUNT_LIMIT": "1000 per hour",
    "LOGIN_ACCOUNT_DAILY_LIMIT": "1000 per day",
}


def log_in(client, email: str, password: str, forwarded_for: str):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        headers={"X-Forwarded-For": forwarded_for},
    )


@pytest.mark.app_config(PROXY_FIX=1, **ACCOUNT_LIMITS_OUT_OF_REACH)
def test_behind_a_proxy_a_guesser_is_limited_and_the_owner_is_not(app, make_user):
    user = make_user()
    guesser = app.test_client()
    statuses = [log_in(guesser, user.email, "wrong", "203.0.113.1").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]

    owner = app.test_client()
    assert log_in(owner, user.email, PASSWORD, "203.0.113.2").status_code == 302


@pytest.mark.app_config(PROXY_FIX=0, **ACCOUNT_LIMITS_OUT_OF_REACH)
def test_without_a_proxy_a_forged_forwarded_for_does_not_change_the_bucket(app, make_user):
    user = make_user()
    guesser = app.test_client()
    statuses = [
        log_in(guesser, user.email, "wrong", f"203.0.113.{n}").status_code for n in range(1, 7)
    ]
    assert statuses == [200] * 5 + [429]
    assert log_in(guesser, user.email, PASSWORD, "198.51.100.7").status_code == 429


@pytest.mark.app_config(PROXY_FIX=1, **ACCOUNT_LIMITS_OUT_OF_REACH)
def test_behind_one_proxy_only_the_address_it_saw_counts(app, make_user):
    """A client's own X-Forwarded-For is kept by the proxy, which appends the address it
    saw: only that last one is believed, so a forged first entry buys nothing."""
    user = make_user()
    guesser = app.test_client()
    statuses = [
        log_in(guesser, user.email, "wrong", f"10.9.9.{n}, 203.0.113.1").status_code
        for n in range(1, 7)
    ]
    assert statuses == [200] * 5 + [429]

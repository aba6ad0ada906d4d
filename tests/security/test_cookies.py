"""Cookie flags: the session and remember-me cookies are HttpOnly and SameSite=Lax always,
and Secure when configured, which production is by default."""

import pytest

from tests.conftest import PASSWORD


def set_cookies(response) -> dict[str, set[str]]:
    """Cookie name -> its attributes, lower-cased (``httponly``, ``samesite=lax``, ...)."""
    found = {}
    for header in response.headers.getlist("Set-Cookie"):
        name_value, *attributes = (part.strip() for part in header.split(";"))
        found[name_value.partition("=")[0]] = {attribute.lower() for attribute in attributes}
    return found


def log_in_and_use(client, user, **kwargs) -> dict[str, set[str]]:
    """Every cookie set while logging in (remembered) and using the site."""
    found = {}
    data = {"email": user.email, "password": PASSWORD, "remember": "y"}
    for response in (
        client.get("/login", **kwargs),
        client.post("/login", data=data, **kwargs),
        client.get("/account", **kwargs),
        client.post("/language", data={"language": "fr", "next": "/"}, **kwargs),
    ):
        assert response.status_code < 400
        found |= set_cookies(response)
    return found


def test_cookies_are_httponly_and_samesite_lax(app, client, make_user):
    cookies = log_in_and_use(client, make_user())
    assert {"session", "remember_token"} <= cookies.keys()
    for name, attributes in cookies.items():
        assert "httponly" in attributes, name
        assert "samesite=lax" in attributes, name
        # Testing runs on plain HTTP, as development does: not Secure unless configured.
        assert "secure" not in attributes, name


@pytest.mark.app_config(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
def test_cookies_are_secure_when_configured(app, client, make_user):
    cookies = log_in_and_use(client, make_user(), base_url="https://localhost")
    assert {"session", "remember_token"} <= cookies.keys()
    for name, attributes in cookies.items():
        assert {"httponly", "samesite=lax", "secure"} <= attributes, name


@pytest.mark.app_config(ENV="production")
def test_production_sends_cookies_over_https_only_by_default(app, client, make_user):
    for prefix in ("SESSION", "REMEMBER"):
        assert app.config[f"{prefix}_COOKIE_SECURE"] is True
        assert app.config[f"{prefix}_COOKIE_HTTPONLY"] is True
        assert app.config[f"{prefix}_COOKIE_SAMESITE"] == "Lax"
    cookies = log_in_and_use(client, make_user(), base_url="https://localhost")
    for name, attributes in cookies.items():
        assert {"httponly", "samesite=lax", "secure"} <= attributes, name

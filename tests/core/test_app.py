"""The app factory, configuration, error pages and security headers."""

import pytest

from educational import ConfigurationError, create_app
from educational.core.security import safe_next


def test_production_without_secret_key_refuses_to_start(tmp_path):
    with pytest.raises(ConfigurationError, match="EDUCATIONAL_SECRET_KEY"):
        create_app({"ENV": "production", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_unknown_environment_is_refused(tmp_path):
    with pytest.raises(ConfigurationError, match="development, production or testing"):
        create_app({"ENV": "staging", "SECRET_KEY": "x"})


def test_environment_variables_configure_the_app(monkeypatch, tmp_path):
    monkeypatch.setenv("EDUCATIONAL_ENV", "production")
    monkeypatch.setenv("EDUCATIONAL_SECRET_KEY", "from-env-" + "k" * 32)
    monkeypatch.setenv("EDUCATIONAL_PUBLIC_URL", "https://training.example.org")
    monkeypatch.setenv("EDUCATIONAL_LOGIN_LIMIT", "3 per minute")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db.example/educational")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-env-" + "k" * 32
    assert app.config["PUBLIC_URL"] == "https://training.example.org"
    assert app.config["LOGIN_LIMIT"] == "3 per minute"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/educational"
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_development_keeps_a_generated_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("EDUCATIONAL_ENV", "development")
    monkeypatch.delenv("EDUCATIONAL_SECRET_KEY", raising=False)
    first = create_app().config["SECRET_KEY"]
    assert len(first) == 64
    assert create_app().config["SECRET_KEY"] == first


def test_sqlite_connections_use_wal_and_foreign_keys(app):
    from sqlalchemy import text

    from educational.core.db import db

    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 30000


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/account", "/account"),
        ("/registry?q=a", "/registry?q=a"),
        ("https://evil.example/", None),
        ("//evil.example/", None),
        ("/\\evil.example", None),
        ("\\\\evil.example", None),
        ("javascript:alert(1)", None),
        ("http:/evil.example", None),
        (" //evil.example", None),
        ("/ok\r\nSet-Cookie: x", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_next_only_follows_local_paths(target, expected):
    assert safe_next(target) == expected


def test_login_redirects_to_safe_next_only(client, make_user):
    user = make_user()
    data = {"email": user.email, "password": "correct horse battery"}
    response = client.post("/login?next=https://evil.example/", data=data)
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login?next=/account", data=data)
    assert response.headers["Location"] == "/account"


@pytest.mark.parametrize("url", ["/", "/login", "/no-such-page"])
def test_security_headers_on_every_response(client, url):
    headers = client.get(url).headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in headers


def test_hsts_over_https(client):
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_session_cookie_flags(client):
    cookie = client.get("/login").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.app_config(SESSION_COOKIE_SECURE=True)
def test_session_cookie_secure_when_configured(client):
    assert "Secure" in client.get("/login").headers["Set-Cookie"]


def test_error_pages_never_show_a_traceback(app):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    app.config["TESTING"] = False
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in page
    assert "secret internals" not in page and "Traceback" not in page


def test_too_large_upload_gets_413_page(app):
    app.config["MAX_CONTENT_LENGTH"] = 10
    response = app.test_client().post("/login", data={"email": "x" * 100})
    assert response.status_code == 413
    assert "File too large" in response.get_data(as_text=True)


def test_language_switch_and_accept_language(client):
    assert '<html lang="fr">' in client.get(
        "/", headers={"Accept-Language": "fr-CH, fr;q=0.9"}
    ).get_data(as_text=True)
    client.post("/language", data={"language": "pt", "next": "/login"})
    assert '<html lang="pt">' in client.get("/", headers={"Accept-Language": "fr"}).get_data(
        as_text=True
    )
    response = client.post("/language", data={"language": "pt", "next": "https://evil.example"})
    assert response.headers["Location"] == "/"

"""PUBLIC_URL, the hosts the app answers for, and the secret key's length (issue 10,
findings 1, 2 and 18): production refuses to start without a usable public address or with a
short key; a request for any other host gets the app's 400 page, or the API's JSON error."""

import pytest

from educational import ConfigurationError, create_app
from educational.core.urls import external_url
from tests.conftest import base_config

KEY = "k" * 32


def production(tmp_path, **config):
    return create_app(base_config(tmp_path, **{"ENV": "production", "SECRET_KEY": KEY, **config}))


def test_production_without_a_public_url_refuses_to_start(tmp_path):
    with pytest.raises(ConfigurationError, match="EDUCATIONAL_PUBLIC_URL is not set"):
        production(tmp_path, PUBLIC_URL=None)


@pytest.mark.parametrize(
    "value",
    [
        "training.example.org",
        "ftp://training.example.org",
        "https://",
        "https://training.example.org/?next=x",
        "https://training.example.org/#top",
        "https://user:secret@training.example.org",
        "https://training.example.org:99999",
        "https://bücher.example",
        "http://[::1]:5000",
    ],
)
def test_a_malformed_public_url_refuses_to_start(tmp_path, value):
    with pytest.raises(ConfigurationError, match="EDUCATIONAL_PUBLIC_URL is not usable"):
        production(tmp_path, PUBLIC_URL=value)


@pytest.mark.parametrize(
    ("env", "expected"), [("development", "http://127.0.0.1:5000"), ("testing", "http://localhost")]
)
def test_development_and_testing_have_a_default(tmp_path, env, expected):
    app = create_app(base_config(tmp_path, ENV=env, PUBLIC_URL=None))
    assert app.config["PUBLIC_URL"] == expected


def test_development_also_answers_for_localhost_and_127_0_0_1(tmp_path):
    app = create_app(base_config(tmp_path, ENV="development", PUBLIC_URL="http://dev.example"))
    assert app.config["TRUSTED_HOSTS"] == ["dev.example", "localhost", "127.0.0.1"]


def test_the_public_host_and_aliases_are_the_trusted_hosts(tmp_path):
    app = production(
        tmp_path, PUBLIC_URL="HTTPS://Training.Example.org:8443/asi/", TRUSTED_HOSTS="a.example, b"
    )
    assert app.config["PUBLIC_URL"] == "https://training.example.org:8443/asi"
    assert app.config["TRUSTED_HOSTS"] == ["training.example.org", "a.example", "b"]


@pytest.mark.parametrize("aliases", [["https://a.example"], ["a.example:8000"], [3]])
def test_aliases_must_be_host_names(tmp_path, aliases):
    with pytest.raises(ConfigurationError, match="EDUCATIONAL_TRUSTED_HOSTS"):
        production(tmp_path, PUBLIC_URL="https://t.example", TRUSTED_HOSTS=aliases)


@pytest.mark.parametrize("value", [-1, "2", True, 1.5])
def test_proxy_fix_must_be_a_count(tmp_path, value):
    with pytest.raises(ConfigurationError, match="EDUCATIONAL_PROXY_FIX"):
        production(tmp_path, PUBLIC_URL="https://t.example", PROXY_FIX=value)


def test_production_refuses_a_secret_key_under_32_bytes(tmp_path):
    with pytest.raises(ConfigurationError, match="shorter than 32 bytes"):
        create_app(base_config(tmp_path, ENV="production", SECRET_KEY="s3cret"))
    # 32 bytes of UTF-8 are enough, whatever the number of characters.
    production(tmp_path, SECRET_KEY="é" * 16)


@pytest.mark.app_config(PUBLIC_URL="https://training.example.org/asi")
def test_external_urls_need_no_request(app):
    with app.app_context():
        assert external_url("accounts.login") == "https://training.example.org/asi/login"
        assert (
            external_url("registry.person", registry_id="ASI 1")
            == "https://training.example.org/asi/registry/ASI%201"
        )


@pytest.mark.app_config(PUBLIC_URL="http://localhost/asi")
def test_the_app_is_served_under_the_public_urls_path(client):
    response = client.get("/asi/login")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'href="/asi/static/' in page and 'action="/asi/language"' in page
    assert client.get("/login").status_code == 404
    assert client.get("/asia/login").status_code == 404


def test_a_foreign_host_gets_the_error_page_not_a_traceback(app):
    # As in production: exceptions are handled, never propagated to the server.
    app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)
    client = app.test_client()
    for method in (client.get, client.post):
        response = method("/login", headers={"Host": "evil.example"})
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "Bad request" in page and 'href="/static/' in page
        assert "Traceback" not in page and "evil.example" not in page


def test_a_foreign_host_gets_the_json_error_under_the_api(client):
    response = client.get("/api/v1/registry", headers={"Host": "evil.example"})
    assert response.status_code == 400
    error = response.json["error"]
    assert error["code"] == "bad_request"
    assert error["message"] == "This server answers only at http://localhost. Use that address."


def test_a_foreign_host_with_a_port_or_a_subdomain_is_refused_too(client):
    for host in ("evil.example:80", "localhost.evil.example", "x.localhost", "evil.example:5000"):
        assert client.get("/", headers={"Host": host}).status_code == 400, host
    assert client.get("/", headers={"Host": "localhost:5000"}).status_code == 200

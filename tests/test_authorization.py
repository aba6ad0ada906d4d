"""The authorization matrix, generated from the URL map.

Every endpoint must declare who may use it (see educational.core.permissions). Each one is
requested as anonymous, learner, member, staff and admin, and the outcome is checked against
the declaration. A new route without a declaration fails here."""

import pytest
from werkzeug.routing import Rule

from educational.core.permissions import PUBLIC, Role, allowed_roles
from tests.conftest import PASSWORD

ROLES = [None, *Role]
#: Sample values for URL arguments, by converter. Objects need not exist: a 404 still proves
#: the permission check let the request through.
SAMPLE_ARGS = {"integer": 999999, "default": "no-such-thing", "path": "no/such/file.css"}


def sample_url(app, rule: Rule) -> str:
    values = {}
    for name, converter in rule._converters.items():
        kind = type(converter).__name__.removesuffix("Converter").lower()
        values[name] = SAMPLE_ARGS.get(kind, SAMPLE_ARGS["default"])
    with app.test_request_context():
        return app.url_for(rule.endpoint, **values)


def endpoints(app):
    for rule in app.url_map.iter_rules():
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"OPTIONS", "HEAD"})[0]
        yield rule, method


def test_every_endpoint_declares_its_access(app):
    undeclared = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if not hasattr(app.view_functions[rule.endpoint], "access")
    ]
    assert undeclared == [], "declare access with @public, @authenticated or @requires(...)"


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
@pytest.mark.app_config(RATELIMIT_ENABLED=False)
def test_authorization_matrix(app, make_user, role):
    client = app.test_client()
    if role is not None:
        user = make_user(role)
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302
    failures = []
    for rule, method in endpoints(app):
        access = app.view_functions[rule.endpoint].access
        allowed = allowed_roles(access)
        url = sample_url(app, rule)
        response = client.open(url, method=method)
        status = response.status_code
        location = response.headers.get("Location", "")
        if status >= 500:
            failures.append(f"{method} {url} failed for {role}: {status}")
        if allowed is None or (role is not None and role in allowed):
            refused = status in (401, 403) or "/login?next=" in location
            # The API's writes take a token, never the session (tests/watches).
            token_only = getattr(app.view_functions[rule.endpoint], "token_only", False)
            refused = refused and not (token_only and status == 401)
            if refused:
                failures.append(f"{method} {url} ({access}) refused {role}: {status}")
        elif role is None:
            if not (status == 401 or (status == 302 and "/login" in location)):
                failures.append(f"{method} {url} ({access}) let anonymous in: {status}")
        elif status != 403:
            failures.append(f"{method} {url} ({access}) gave {role} {status}, not 403")
        if rule.endpoint == "accounts.logout" and role is not None and status == 302:
            client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert failures == []


def test_matrix_sees_every_declaration_kind(app):
    kinds = {app.view_functions[rule.endpoint].access for rule in app.url_map.iter_rules()}
    assert PUBLIC in kinds
    assert "authenticated" in kinds
    assert "manage_users" in kinds

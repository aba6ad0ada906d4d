"""CSRF, generated from the URL map: every endpoint that accepts POST, PUT, PATCH or DELETE
is requested without a token, by a user its declaration lets in, on the world's real
objects; each is refused with 400 by the CSRF check and nothing changes. A new route is
covered as soon as it exists. The API (``/api/v1``) is exempt from CSRF by design because
it only reads: that is asserted instead."""

import logging

import pytest

from educational.core.permissions import Role, allowed_roles
from tests.conftest import PASSWORD, csrf_token

from .helpers import methods_of, table_counts

pytestmark = pytest.mark.csrf

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
#: The world's user of each role.
USER_OF_ROLE = {Role.LEARNER: "learner", Role.MEMBER: "member", Role.STAFF: "staff"}
USER_OF_ROLE[Role.ADMIN] = "admin"
#: What a forged form would post: a value for every field of the app's forms.
FORGED = {
    "name": "Forged",
    "email": "forged@example.org",
    "password": PASSWORD,
    "password2": PASSWORD,
    "current_password": PASSWORD,
    "timezone": "UTC",
    "locale": "fr",
    "language": "fr",
    "next": "/",
    "role": "admin",
    "active": "y",
    "membership_class": "industrial-users",
    "country": "NO",
    "public": "1",
    "decision": "approve",
    "override_unmet": "y",
    "reason": "forged",
    "comment": "forged",
    "statement": "forged",
    "action": "submit",
    "since": "2020-01-01",
    "until": "2030-01-01",
    "extra_minutes": "5",
    "extra_attempts": "1",
    "position": "1",
    "accreditation_body": "Forged",
    "accreditation_standard": "other",
    "status": "active",
}


def user_for(access: str) -> str | None:
    """The world's user a declaration lets in: anonymous for public routes, else the least
    privileged role allowed."""
    allowed = allowed_roles(access)
    if allowed is None:
        return None
    return next(user for role, user in USER_OF_ROLE.items() if role in allowed)


def token_only(app, rule) -> bool:
    """The API's writes: exempt from CSRF because they take a bearer token, never the
    session (checked in ``test_the_api_is_the_only_exemption_and_writes_take_a_token``)."""
    return getattr(app.view_functions[rule.endpoint], "token_only", False)


def state_changing(app) -> list:
    """(rule, method, user) of every state-changing endpoint of the site; log-out last."""
    found = [
        (rule, method, user_for(app.view_functions[rule.endpoint].access))
        for rule in app.url_map.iter_rules()
        if not token_only(app, rule)
        for method in sorted(methods_of(rule) & STATE_CHANGING)
    ]
    return sorted(found, key=lambda item: item[0].endpoint == "accounts.logout")


def csrf_refusals(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "flask_wtf.csrf"]


def test_every_state_changing_request_without_a_token_is_refused(world, caplog):
    app = world.app
    caplog.set_level(logging.INFO, logger="flask_wtf.csrf")
    browsers = {who: world.browser(who) for who in (None, *USER_OF_ROLE.values())}
    before = table_counts(app)
    requests = state_changing(app)
    failures = []
    for rule, method, who in requests:
        caplog.clear()
        url = world.url(rule)
        response = browsers[who].open(url, method, data=FORGED)
        refusals = csrf_refusals(caplog)
        if response.status_code != 400 or refusals != ["The CSRF token is missing."]:
            failures.append(f"{method} {url} as {who}: {response.status_code} {refusals}")
    assert failures == [], "\n".join(failures)
    assert len(requests) >= 35
    assert table_counts(app) == before
    # The forged log-out and log-in did nothing either.
    assert browsers["learner"].get("/account").status_code == 200
    assert browsers[None].get("/account").status_code == 302
    assert world.problems() == []


def test_with_the_pages_token_every_request_passes_the_check(world, caplog):
    """The control: the refusals above are the token's absence, not the requests. (This
    test changes the world: it approves, withdraws, deletes...)"""
    app = world.app
    caplog.set_level(logging.INFO, logger="flask_wtf.csrf")
    browsers = {who: world.browser(who) for who in (None, *USER_OF_ROLE.values())}
    failures = []
    for rule, method, who in state_changing(app):
        # Read each time: a log-in starts a new session, with a new token.
        token = csrf_token(browsers[who].client, "/")
        caplog.clear()
        url = world.url(rule)
        data = {**FORGED, "csrf_token": token}
        response = browsers[who].open(url, method, data=data)
        if csrf_refusals(caplog) or response.status_code >= 500:
            failures.append(f"{method} {url} as {who}: {response.status_code}")
    assert failures == [], "\n".join(failures)


def test_a_token_of_another_session_is_refused(world, caplog):
    caplog.set_level(logging.INFO, logger="flask_wtf.csrf")
    learner, staff = world.browser("learner"), world.browser("staff")
    stolen = csrf_token(learner.client, "/account")
    assert csrf_token(staff.client, "/account") != stolen
    response = staff.post("/language", data={"language": "fr", "csrf_token": stolen})
    assert response.status_code == 400
    assert csrf_refusals(caplog) == ["The CSRF tokens do not match."]


def test_over_https_a_cross_site_referrer_is_refused(world):
    browser = world.browser("learner")
    token = csrf_token(browser.client, "/account")
    data = {"language": "fr", "csrf_token": token}
    https = {"base_url": "https://localhost"}
    response = browser.post(
        "/language", data=data, headers={"Referer": "https://evil.example/"}, **https
    )
    assert response.status_code == 400
    response = browser.post("/language", data=data, **https)
    assert response.status_code == 400, "no Referer over HTTPS"
    response = browser.post(
        "/language", data=data, headers={"Referer": "https://localhost/account"}, **https
    )
    assert response.status_code == 302


def test_the_api_is_the_only_exemption_and_writes_take_a_token(world):
    app = world.app
    api = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")]
    assert len(api) >= 7
    assert {rule.endpoint.partition(".")[0] for rule in api} == {"api"}
    writes = [rule for rule in api if methods_of(rule) & STATE_CHANGING]
    assert all(token_only(app, rule) for rule in writes)
    assert {rule.endpoint for rule in writes} == {"api.add_watch", "api.remove_watch"}
    csrf = app.extensions["csrf"]
    assert {blueprint.name for blueprint in csrf._exempt_blueprints} == {"api"}
    assert csrf._exempt_views == set()
    client = app.test_client()
    served: dict[str, set[str]] = {}
    for rule in api:
        served.setdefault(rule.rule, set()).update(methods_of(rule))
    for rule in api:
        for method in sorted(STATE_CHANGING - served[rule.rule]):
            response = client.open(world.url(rule), method=method)
            assert response.status_code == 405, f"{method} {rule.rule}"
    # A member signed in to the site (the session a forged cross-site request would ride
    # on) cannot write through the API: a token is required.
    member = world.browser("member")
    before = table_counts(app)
    for rule in writes:
        for method in sorted(methods_of(rule) & STATE_CHANGING):
            response = member.open(world.url(rule), method, json={"registry_id": "ASI-000001"})
            assert response.status_code == 401, f"{method} {rule.rule}"
    assert table_counts(app) == before

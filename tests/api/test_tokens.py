"""Members' API tokens: created (shown once), listed with their last use, revoked; stored
hashed; CSRF-protected like every form."""

import hashlib
import re

import pytest
from sqlalchemy import select

from educational.api.models import ApiToken
from educational.core.audit import AuditEvent
from educational.core.db import db
from tests.builders.people import login
from tests.builders.registry import bearer
from tests.conftest import csrf_token

PAGE = "/account/api-tokens"
SECRET = re.compile(r'id="new-token"[^>]*value="(edu_[^"]+)"')


def create(client, name: str):
    return client.post(PAGE, data={"name": name, "csrf_token": csrf_token(client, PAGE)})


@pytest.mark.csrf
def test_create_list_use_and_revoke(app, client, member, synced_courses):
    login(client, member.email)
    response = create(client, "Supplier portal")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    secret = SECRET.search(page).group(1)
    assert "shown only this once" in page

    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert secret not in (token.token_hash, token.prefix)
        assert token.prefix == secret[:12]
        assert token.last_used_at is None
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert "api_token.created" in actions

    # Listed without the secret, never used yet.
    listing = client.get(PAGE).get_data(as_text=True)
    assert "Supplier portal" in listing and secret not in listing
    assert "Never" in listing

    api = app.test_client()
    assert api.get("/api/v1/registry", headers=bearer(secret)).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(ApiToken.last_used_at)) is not None
    assert "Never" not in client.get(PAGE).get_data(as_text=True)

    revoke = client.post(f"{PAGE}/{token.id}/revoke", data={"csrf_token": csrf_token(client, PAGE)})
    assert revoke.status_code == 302
    assert "Revoked" in client.get(PAGE).get_data(as_text=True)
    refused = api.get("/api/v1/registry", headers=bearer(secret))
    assert refused.status_code == 401
    assert refused.json["error"]["code"] == "invalid_token"


@pytest.mark.csrf
def test_forms_need_their_csrf_token(app, client, member, synced_courses):
    login(client, member.email)
    assert client.post(PAGE, data={"name": "No token"}).status_code == 400
    create(client, "Real")
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    client.post(f"{PAGE}/{token_id}/revoke", data={})
    with app.app_context():
        assert db.session.scalar(select(ApiToken.revoked_at)) is None


@pytest.mark.csrf
def test_a_name_is_required_and_kept_on_error(app, client, member):
    login(client, member.email)
    response = client.post(PAGE, data={"name": "  ", "csrf_token": csrf_token(client, PAGE)})
    assert response.status_code == 400
    assert "error-summary" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(ApiToken)).all() == []


def test_cannot_revoke_someone_elses_token(app, client, make_user, member_token, member):
    other = make_user("member")
    login(client, other.email)
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    response = client.post(f"{PAGE}/{token_id}/revoke", data={}, follow_redirects=True)
    assert "not one of yours" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ApiToken.revoked_at)) is None


def test_active_tokens_are_limited(client, member):
    login(client, member.email)
    for n in range(10):
        assert create(client, f"Token {n}").status_code == 200
    response = create(client, "One too many")
    assert response.status_code == 400
    assert "Revoke one" in response.get_data(as_text=True)


def test_tokens_are_for_members(client, make_user):
    learner = make_user("learner")
    login(client, learner.email)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, data={"name": "x"}).status_code == 403


class Clock:
    """``time.monotonic`` for the token cache, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_revocation_elsewhere_reaches_this_worker_within_the_cache_time(
    app, member_token, synced_courses, monkeypatch
):
    import educational.api.tokens as tokens_module

    clock = Clock()
    monkeypatch.setattr(tokens_module.time, "monotonic", clock)
    api = app.test_client()
    assert api.get("/api/v1/registry", headers=bearer(member_token)).status_code == 200
    # Another worker revokes it: this one's kept look-up still answers, for a while.
    with app.app_context():
        db.session.execute(ApiToken.__table__.update().values(revoked_at=db.func.now()))
        db.session.commit()
    seconds = app.config["API_TOKEN_CACHE_SECONDS"]
    clock.now += seconds - 0.5
    assert api.get("/api/v1/registry", headers=bearer(member_token)).status_code == 200
    clock.now += 1
    refused = api.get("/api/v1/registry", headers=bearer(member_token))
    assert refused.status_code == 401
    # And stays refused: a refusal is not kept.
    assert api.get("/api/v1/registry", headers=bearer(member_token)).status_code == 401


def test_without_a_cache_time_every_call_reads_the_token(app, member_token, synced_courses):
    app.config["API_TOKEN_CACHE_SECONDS"] = 0
    api = app.test_client()
    assert api.get("/api/v1/registry", headers=bearer(member_token)).status_code == 200
    with app.app_context():
        db.session.execute(ApiToken.__table__.update().values(revoked_at=db.func.now()))
        db.session.commit()
    assert api.get("/api/v1/registry", headers=bearer(member_token)).status_code == 401


def test_a_kept_token_stamps_its_last_use_once_a_minute(app, member_token, synced_courses):
    from sqlalchemy import event

    api = app.test_client()
    stamps = []

    def count(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("UPDATE API_TOKENS"):
            stamps.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        # Requests outside an app context, as in production (each has its own ``g``).
        for _ in range(3):
            assert api.get("/api/v1/registry", headers=bearer(member_token)).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(stamps) == 1

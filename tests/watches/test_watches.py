"""Members' watch lists: watching from the registry's pages and by API, webhooks received
and verified as Standard Webhooks, retries and disabling, SSRF, and the e-mail digest."""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook

from educational.accreditation.models import Accreditation, RegistryProfile
from educational.core.db import db, utcnow
from educational.watches.models import Watch, WebhookDelivery, WebhookEndpoint
from educational.watches.outbox import RETRY_DELAYS
from tests.builders.people import csrf_token, login
from tests.builders.registry import Person, bearer
from tests.conftest import outbox_messages


class Receiver:
    """A local HTTP server that answers ``status`` and keeps what it received."""

    def __init__(self, status: int = 204):
        self.status, self.received = status, []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((dict(self.headers), body.decode()))
                self.send_response(outer.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/asi"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def suspend(app, registry_id: str):
    with app.app_context():
        accreditation = db.session.scalar(
            select(Accreditation)
            .join(RegistryProfile)
            .where(RegistryProfile.registry_id == registry_id)
        )
        accreditation.suspend("Complaint upheld", actor_id=accreditation.profile.user_id)
        db.session.commit()


def cli(app, *args):
    result = app.test_cli_runner().invoke(args=["watches", *args])
    assert result.exit_code == 0, result.output
    return result.output


def add_endpoint(client, url):
    token = csrf_token(client, "/account/watches")
    return client.post("/account/watches/endpoints", data={"url": url, "csrf_token": token})


@pytest.mark.csrf
@pytest.mark.app_config(WEBHOOKS_ALLOW_PRIVATE=True)
def test_a_watched_change_arrives_as_a_signed_webhook(app, client, registry, member, receiver):
    registry_id = registry.add(Person("Ingrid Berg"))
    earlier = registry.add(Person("Wang Wei"))
    login(client, member.email)
    page = client.get(f"/registry/{registry_id}").get_data(as_text=True)
    assert "Watch" in page
    token = csrf_token(client, f"/registry/{registry_id}")
    for watched in (registry_id, earlier):
        answer = client.post(
            f"/account/watches/people/{watched}",
            data={"csrf_token": token, "delivery": "webhook", "next": f"/registry/{watched}"},
        )
        assert answer.status_code == 302 and answer.location.endswith(f"/registry/{watched}")
    created = add_endpoint(client, receiver.url)
    assert created.status_code == 200
    secret = created.get_data(as_text=True).split('id="new-secret"', 1)[1]
    secret = secret.split('value="', 1)[1].split('"', 1)[0]
    assert secret.startswith("whsec_")

    assert "queued 0" in cli(app, "deliver")  # the first run starts the feed's cursor
    suspend(app, registry_id)
    output = cli(app, "deliver")
    assert "queued 1, delivered 1" in output
    ((headers, body),) = receiver.received
    headers = {name.lower(): value for name, value in headers.items()}
    # Verified as a receiver would, with the Standard Webhooks library.
    payload = Webhook(secret).verify(body, headers)
    assert payload["type"] == "accreditation.status_changed"
    assert payload["data"] | {"date": None, "cursor": None} == {
        "registry_id": registry_id,
        "role": "auditor",
        "event": "suspended",
        "old_status": "active",
        "new_status": "suspended",
        "reason_category": "suspension",
        "date": None,
        "cursor": None,
    }
    with pytest.raises(Exception):  # noqa: B017 (the library's own verification error)
        Webhook(secret).verify(body.replace("suspended", "withdrawn"), headers)
    # The delivery log shows it.
    log = client.get("/account/watches").get_data(as_text=True)
    assert headers["webhook-id"] in log and "HTTP 204" in log
    # Nothing twice.
    assert "queued 0, delivered 0" in cli(app, "deliver")


@pytest.mark.app_config(WEBHOOKS_ALLOW_PRIVATE=True)
def test_failures_back_off_then_give_up_and_disable_the_endpoint_with_an_email(
    app, client, registry, member
):
    failing = Receiver(status=500)
    try:
        registry_id = registry.add(Person("Ingrid Berg"))
        login(client, member.email)
        add_endpoint(client, failing.url)
        client.post(f"/account/watches/people/{registry_id}", data={"delivery": "webhook"})
        cli(app, "deliver")
        suspend(app, registry_id)
        assert "failed 1 (will retry)" in cli(app, "deliver")
        with app.app_context():
            delivery = db.session.scalar(select(WebhookDelivery))
            wait = delivery.next_attempt_at - delivery.last_attempt_at
            assert wait == RETRY_DELAYS[0]
            # Skip to the last attempt of the schedule.
            delivery.attempts = len(RETRY_DELAYS)
            delivery.next_attempt_at = utcnow() - timedelta(seconds=1)
            db.session.commit()
        output = cli(app, "deliver")
        assert "gave up 1" in output and f"disabled endpoint {failing.url}" in output
        assert len(failing.received) == 2
        with app.app_context():
            endpoint = db.session.scalar(select(WebhookEndpoint))
            assert endpoint.disabled_at is not None and "HTTP 500" in endpoint.disabled_reason
        (mail,) = outbox_messages(app, "webhook_disabled")
        assert mail.recipient == member.email and failing.url in mail.body
    finally:
        failing.close()


@pytest.mark.csrf
def test_private_and_non_http_addresses_are_refused_in_production_settings(app, client, member):
    login(client, member.email)
    for url in ("http://127.0.0.1:9/hook", "http://10.1.2.3/hook", "ftp://example.org/x"):
        answer = add_endpoint(client, url)
        assert answer.status_code == 400, url
        assert "cannot receive webhooks" in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(WebhookEndpoint.id)) is None


def test_the_daily_digest_lists_the_changes_once(app, client, registry, member):
    registry_id = registry.add(Person("Ingrid Berg"))
    login(client, member.email)
    client.post(f"/account/watches/people/{registry_id}", data={"delivery": "email"})
    assert "digests queued: 0" in cli(app, "digest")
    suspend(app, registry_id)
    assert "digests queued: 1" in cli(app, "digest")
    (mail,) = outbox_messages(app, "watch_digest")
    assert registry_id in mail.body and "suspended" in mail.body
    assert "digests queued: 0" in cli(app, "digest")


def test_only_members_keep_a_watch_list_and_only_of_public_people(app, client, registry, make_user):
    hidden = registry.add(Person("Ana Silva", public=False))
    learner = make_user("learner")
    login(client, learner.email)
    assert client.get("/account/watches").status_code == 403
    assert client.post("/account/watches/people/ASI-000001", data={}).status_code == 403
    client.post("/logout", data={})
    member = make_user("member")
    login(client, member.email)
    client.post(f"/account/watches/people/{hidden}", data={"delivery": "email"})
    with app.app_context():
        assert db.session.scalar(select(Watch.id)) is None


def test_the_api_lists_adds_and_removes_watches_with_a_token_only(
    app, client, registry, member, member_token
):
    registry_id = registry.add(Person("Ingrid Berg"))
    headers = bearer(member_token)
    added = client.post(
        "/api/v1/watches", json={"registry_id": registry_id, "delivery": "webhook"}, headers=headers
    )
    assert added.status_code == 201, added.json
    assert added.json["registry_id"] == registry_id and added.json["delivery"] == "webhook"
    listed = client.get("/api/v1/watches", headers=headers).json
    assert [item["registry_id"] for item in listed["items"]] == [registry_id]
    unknown = client.post("/api/v1/watches", json={"registry_id": "ASI-999999"}, headers=headers)
    assert unknown.status_code == 404 and unknown.json["error"]["field"] == "registry_id"
    wrong = client.post(
        "/api/v1/watches", json={"registry_id": registry_id, "delivery": "fax"}, headers=headers
    )
    assert wrong.status_code == 400 and wrong.json["error"]["field"] == "delivery"
    # Signed in to the site but without a token: the session may not write (no CSRF here).
    login(client, member.email)
    assert client.post("/api/v1/watches", json={"registry_id": registry_id}).status_code == 401
    assert client.delete(f"/api/v1/watches/{registry_id}").status_code == 401
    assert client.delete(f"/api/v1/watches/{registry_id}", headers=headers).status_code == 204
    assert client.delete(f"/api/v1/watches/{registry_id}", headers=headers).status_code == 404
    assert client.get("/api/v1/watches", headers=headers).json == {"items": []}


@pytest.mark.app_config(WEBHOOKS_ALLOW_PRIVATE=True)
def test_another_members_endpoint_cannot_be_disabled(app, client, member, make_user, receiver):
    login(client, member.email)
    add_endpoint(client, receiver.url)
    client.post("/logout", data={})
    intruder = make_user("member")
    login(client, intruder.email)
    with app.app_context():
        endpoint_id = db.session.scalar(select(WebhookEndpoint.id))
    answer = client.post(f"/account/watches/endpoints/{endpoint_id}/disable", data={})
    assert answer.status_code == 302
    with app.app_context():
        assert db.session.get(WebhookEndpoint, endpoint_id).active
    assert "no such endpoint" in client.get("/account/watches").get_data(as_text=True)

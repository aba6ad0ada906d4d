"""The change feed: status changes in recorded order, with a cursor to resume from."""

from datetime import UTC, datetime, time

import pytest
from sqlalchemy import select

from educational.accreditation.models import Accreditation, RegistryProfile
from educational.core.db import db
from tests.builders.registry import Person, days


@pytest.fixture
def history(app, registry):
    """Three people: one suspended then reinstated, one withdrawn, one not public."""
    ids = {
        "ingrid": registry.add(
            Person(
                "Ingrid Berg",
                valid_from=days(-300),
                changes=[("active", "suspended", days(-20)), ("suspended", "active", days(-5))],
            )
        ),
        "wang": registry.add(
            Person(
                "Wang Wei",
                status="withdrawn",
                valid_from=days(-250),
                changes=[("active", "withdrawn", days(-10))],
            )
        ),
        "hidden": registry.add(Person("Ana Hidden", public=False, valid_from=days(-100))),
    }
    return ids


def feed(client, **query):
    response = client.get("/api/v1/registry/changes", query_string=query)
    assert response.status_code == 200, response.json
    assert set(response.json) == {"items", "next_cursor", "has_more"}
    return response.json


def test_feed_lists_public_changes_in_recorded_order(client, history):
    body = feed(client)
    events = [(item["registry_id"], item["event"]) for item in body["items"]]
    assert events == [
        (history["ingrid"], "new"),
        (history["ingrid"], "suspended"),
        (history["ingrid"], "reinstated"),
        (history["wang"], "new"),
        (history["wang"], "withdrawn"),
    ]
    first = body["items"][0]
    assert set(first) == {
        "cursor",
        "registry_id",
        "role",
        "event",
        "from_status",
        "to_status",
        "occurred_on",
        "occurred_at",
    }
    assert (first["from_status"], first["to_status"], first["role"]) == (None, "active", "auditor")
    assert first["occurred_on"] == days(-300).isoformat()
    assert first["occurred_at"].endswith("Z")
    cursors = [int(item["cursor"]) for item in body["items"]]
    assert cursors == sorted(cursors)
    assert body["next_cursor"] == body["items"][-1]["cursor"]
    assert body["has_more"] is False


def test_cursor_pages_through_and_resumes(app, client, history):
    first = feed(client, limit=2)
    assert len(first["items"]) == 2 and first["has_more"] is True
    second = feed(client, since=first["next_cursor"], limit=2)
    third = feed(client, since=second["next_cursor"], limit=2)
    assert len(second["items"]) == 2 and len(third["items"]) == 1
    assert third["has_more"] is False
    everything = first["items"] + second["items"] + third["items"]
    assert everything == feed(client)["items"]
    # Nothing new: an empty page that keeps the cursor.
    idle = feed(client, since=third["next_cursor"])
    assert idle == {"items": [], "next_cursor": third["next_cursor"], "has_more": False}
    # A new change shows up after the cursor.
    with app.app_context():
        accreditation = db.session.scalar(
            select(Accreditation)
            .join(RegistryProfile)
            .where(RegistryProfile.registry_id == history["ingrid"])
        )
        accreditation.suspend("audit complaint upheld", actor_id=None)
        db.session.commit()
    fresh = feed(client, since=third["next_cursor"])
    assert [(i["registry_id"], i["event"]) for i in fresh["items"]] == [
        (history["ingrid"], "suspended")
    ]


def test_since_a_date(client, history):
    body = feed(client, since=days(-12).isoformat())
    assert [(i["registry_id"], i["event"]) for i in body["items"]] == [
        (history["ingrid"], "reinstated"),
        (history["wang"], "withdrawn"),
    ]
    later = feed(client, since=days(1).isoformat())
    assert later["items"] == []
    assert later["next_cursor"] != "0"  # carry on after everything recorded so far
    assert feed(client, since=later["next_cursor"])["items"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"since": "yesterday"}, "since"),
        ({"since": "2026-13-01"}, "since"),
        ({"since": ""}, "since"),
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
    ],
)
def test_bad_feed_parameters(client, query, field):
    response = client.get("/api/v1/registry/changes", query_string=query)
    assert response.status_code == 400
    assert response.json["error"]["field"] == field


def test_reasons_are_not_published(app, client, history):
    with app.app_context():
        for accreditation in db.session.scalars(select(Accreditation)):
            for change in accreditation.changes:
                change.reason = "confidential: complaint by a named worker"
        db.session.commit()
    assert "confidential" not in client.get("/api/v1/registry/changes").get_data(as_text=True)


def test_changes_of_any_moment_are_dated_in_utc(app, client, registry):
    registry.add(Person("Late Night", valid_from=days(-3)))
    with app.app_context():
        change = db.session.scalar(select(Accreditation)).changes[0]
        change.occurred_at = datetime.combine(days(-3), time(23, 59, 59), UTC)
        db.session.commit()
    (item,) = feed(client)["items"]
    assert item["occurred_on"] == days(-3).isoformat()


def test_a_non_public_change_does_not_move_next_cursor(app, client, history):
    """Finding 17 of issue 10: an empty page asked by date carried on from the newest change
    of anyone, so a hidden person's status change showed as a moved cursor."""
    before = feed(client, since=days(1).isoformat())
    assert before["items"] == []
    with app.app_context():
        hidden = db.session.scalar(
            select(Accreditation)
            .join(RegistryProfile)
            .where(RegistryProfile.registry_id == history["hidden"])
        )
        hidden.suspend("complaint under review", actor_id=None)
        db.session.commit()
    after = feed(client, since=days(1).isoformat())
    assert after == before
    # And the cursor still resumes exactly after the last public change.
    assert feed(client, since=after["next_cursor"])["items"] == []

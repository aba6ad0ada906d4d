"""Finding 9 of issue 10: a person in the registry who changes their name only asks; the
registry pages, API, CSV and newly signed credentials keep the accepted name until a staff
member (not themselves) accepts it, and every step is an audit event. People outside the
registry change their name at once. Through the pages, with CSRF protection on."""

import csv
import io

import jwt
import pytest
from sqlalchemy import select

from educational.accounts.models import NameChangeRequest, User
from educational.accreditation.models import Accreditation, RegistryProfile
from educational.core.audit import AuditEvent
from educational.core.db import db
from tests.builders.people import logged_in, post
from tests.builders.registry import Person, RegistryBuilder
from tests.conftest import outbox_messages

pytestmark = pytest.mark.csrf

OLD, TAKEN = "Ingrid Berg", "Kari Nordmann"


@pytest.fixture(autouse=True)
def _credential_key(app, tmp_path):
    app.config["CREDENTIAL_KEY_PATH"] = str(tmp_path / "keys" / "credential-key.pem")


@pytest.fixture
def registry(app, make_user, synced_courses):
    return RegistryBuilder(app, make_user)


@pytest.fixture
def renamed(app, registry, make_user):
    """Ingrid, in the registry, asks to take the name of another auditor, Kari: (Ingrid's
    registry id, Ingrid, her client, a staff member's client, the staff member)."""
    registry_id = registry.add(Person(OLD))
    registry.add(Person(TAKEN))
    holder = registry.users[registry_id]
    holder_client = logged_in(app, holder)
    response = post(holder_client, "/account", {"name": TAKEN, "timezone": "UTC", "locale": "en"})
    assert response.status_code == 302
    staff = make_user("staff")
    return registry_id, holder, holder_client, logged_in(app, staff), staff


def public_names(app, client, registry_id: str) -> set[str]:
    """The name of ``registry_id`` on every public surface: the registry page, the API, the
    CSV and a newly signed credential."""
    found = set()
    page = client.get(f"/registry/{registry_id}").get_data(as_text=True)
    found |= {name for name in (OLD, TAKEN) if f"<h1>{name}</h1>" in page}
    found.add(client.get(f"/api/v1/registry/{registry_id}").json["name"])
    rows = csv.DictReader(io.StringIO(client.get("/registry.csv").get_data(as_text=True)))
    found |= {row["name"] for row in rows if row["registry_id"] == registry_id}
    return found


def credential_names(app, client, registry_id: str) -> set[str]:
    """The names in a newly signed credential of the holder (``client`` is the holder's)."""
    with app.app_context():
        accreditation_id = db.session.scalar(
            select(Accreditation.id)
            .join(RegistryProfile)
            .where(RegistryProfile.registry_id == registry_id)
        )
    response = client.get(f"/registry/accreditations/{accreditation_id}/credential")
    assert response.status_code == 200
    claims = jwt.decode(response.get_data(as_text=True), options={"verify_signature": False})
    return {i["identityHash"] for i in claims["credentialSubject"]["identifier"]} & {OLD, TAKEN}


def events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def the_change(app) -> NameChangeRequest:
    with app.app_context():
        (change,) = db.session.scalars(select(NameChangeRequest)).all()
        db.session.expunge(change)
        return change


def decide(client, change_id: int, decision: str, reason: str):
    url = f"/staff/names/{change_id}"
    return post(client, f"{url}/decide", {"decision": decision, "reason": reason}, url)


def test_a_rename_in_the_registry_waits_and_the_old_name_stays_public(app, renamed):
    registry_id, holder, holder_client, staff_client, _staff = renamed
    assert public_names(app, staff_client, registry_id) == {OLD}
    assert credential_names(app, holder_client, registry_id) == {OLD}
    page = holder_client.get("/account").get_data(as_text=True)
    assert "pending" in page and TAKEN in page
    (requested,) = events(app, "account.name_change_requested")
    assert requested.actor_id == holder.id
    assert (requested.data["old_name"], requested.data["new_name"]) == (OLD, TAKEN)
    assert events(app, "account.name_changed") == []

    # Staff see the old and the new name side by side, and that the new one is taken.
    queue = staff_client.get("/staff/names").get_data(as_text=True)
    assert OLD in queue and TAKEN in queue
    change = the_change(app)
    review = staff_client.get(f"/staff/names/{change.id}").get_data(as_text=True)
    assert "Another account already has this name" in review


def test_accepted_by_staff_the_new_name_shows_everywhere(app, renamed):
    registry_id, holder, holder_client, staff_client, staff = renamed
    change = the_change(app)
    response = decide(staff_client, change.id, "accept", "Marriage certificate seen.")
    assert response.status_code == 302
    assert public_names(app, staff_client, registry_id) == {TAKEN}
    assert credential_names(app, holder_client, registry_id) == {TAKEN}
    (accepted,) = events(app, "account.name_change_accepted")
    assert accepted.actor_id == staff.id
    assert accepted.data["reason"] == "Marriage certificate seen."
    assert (accepted.data["old_name"], accepted.data["new_name"]) == (OLD, TAKEN)
    assert the_change(app).status == "accepted"
    assert [m.recipient for m in outbox_messages(app, "name_change_decided")] == [holder.email]
    assert "pending" not in holder_client.get("/account").get_data(as_text=True)


def test_rejected_by_staff_the_old_name_stays(app, renamed):
    registry_id, holder, holder_client, staff_client, staff = renamed
    change = the_change(app)
    # A reason is required; without one nothing is decided.
    refused = decide(staff_client, change.id, "reject", "")
    assert refused.status_code == 200 and "Give the reason" in refused.get_data(as_text=True)
    assert the_change(app).status == "pending"
    response = decide(staff_client, change.id, "reject", "This is another auditor's name.")
    assert response.status_code == 302
    assert public_names(app, staff_client, registry_id) == {OLD}
    assert credential_names(app, holder_client, registry_id) == {OLD}
    assert the_change(app).status == "rejected"
    (rejected,) = events(app, "account.name_change_rejected")
    assert rejected.actor_id == staff.id
    with app.app_context():
        assert db.session.get(User, holder.id).name == OLD


def test_staff_cannot_decide_their_own_change_of_name(app, make_user):
    staff, colleague = make_user("staff", name=OLD), make_user("staff")
    with app.app_context():
        db.session.add(RegistryProfile(user_id=staff.id, registry_id="ASI-000777", public=True))
        db.session.commit()
    staff_client = logged_in(app, staff)
    post(staff_client, "/account", {"name": TAKEN, "timezone": "UTC", "locale": "en"})
    change = the_change(app)
    page = staff_client.get(f"/staff/names/{change.id}").get_data(as_text=True)
    assert "another staff member must decide" in page
    response = decide(staff_client, change.id, "accept", "Looks fine to me.")
    assert "another staff member decides" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, staff.id).name == OLD
    assert decide(logged_in(app, colleague), change.id, "accept", "Seen.").status_code == 302
    with app.app_context():
        assert db.session.get(User, staff.id).name == TAKEN


def test_the_person_can_withdraw_or_replace_their_request(app, renamed):
    _registry_id, holder, holder_client, _staff_client, _staff = renamed
    post(
        holder_client, "/account", {"name": "Ingrid Berg-Hansen", "timezone": "UTC", "locale": "en"}
    )
    with app.app_context():
        statuses = db.session.execute(
            select(NameChangeRequest.new_name, NameChangeRequest.status).order_by(
                NameChangeRequest.id
            )
        ).all()
        assert [tuple(row) for row in statuses] == [
            (TAKEN, "withdrawn"),
            ("Ingrid Berg-Hansen", "pending"),
        ]
    response = post(holder_client, "/account/name-change/withdraw", {}, "/account")
    assert response.status_code == 302
    assert "pending" not in holder_client.get("/account").get_data(as_text=True)
    assert [e.data["replaced"] for e in events(app, "account.name_change_withdrawn")] == [
        True,
        False,
    ]
    with app.app_context():
        assert db.session.get(User, holder.id).name == OLD


def test_someone_outside_the_registry_renames_at_once_and_it_is_audited(app, make_user):
    learner = make_user("learner", name="Lena Learner")
    client = logged_in(app, learner)
    response = post(client, "/account", {"name": "Lena Lærer", "timezone": "UTC", "locale": "en"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, learner.id).name == "Lena Lærer"
        assert db.session.scalars(select(NameChangeRequest)).all() == []
    (changed,) = events(app, "account.name_changed")
    assert changed.actor_id == learner.id
    assert (changed.data["old_name"], changed.data["new_name"]) == ("Lena Learner", "Lena Lærer")


def test_the_queue_is_on_the_staff_page(app, make_user):
    client = logged_in(app, make_user("staff"))
    assert 'href="/staff/names"' in client.get("/staff").get_data(as_text=True)

"""Finding 3 of issue 10: consent to publication belongs to the holder. An approval never
changes an existing profile's consent, the application form starts from the holder's current
choice, and every change is an audit event whose actor is the holder. Through the pages,
with CSRF protection on as in production."""

import re

import pytest
from sqlalchemy import select

from educational.accreditation.models import Accreditation, RegistryProfile
from educational.core.audit import AuditEvent
from educational.core.db import db
from tests.builders.accreditation import qualify, witnessed
from tests.builders.experience import SMELTING, log_cpd_cycle
from tests.builders.people import id_from, logged_in, post

pytestmark = pytest.mark.csrf

CONSENT_BOX = re.compile(r"<input[^>]*name=\"consent_to_publish\"[^>]*>")


@pytest.fixture
def holder(app, make_user, synced_courses):
    """An accredited, publicly listed auditor: (holder, staff, holder's client, staff's
    client, registry id, accreditation id)."""
    learner, staff = make_user("learner"), make_user("staff")
    qualify(app, learner.id, staff.id)
    log_cpd_cycle(app, learner.id, staff.id)  # the CPD a renewal needs
    holder_client, staff_client = logged_in(app, learner), logged_in(app, staff)
    application_id = submit(holder_client, "/accreditation/applications/new", consent=True)
    approve(staff_client, application_id)
    witnessed(app, learner.id, staff.id)  # a renewal needs a witness in the cycle
    with app.app_context():
        profile = db.session.scalar(
            select(RegistryProfile).where(RegistryProfile.user_id == learner.id)
        )
        assert profile.public is True
        (accreditation,) = profile.accreditations
        return learner, staff, holder_client, staff_client, profile.registry_id, accreditation.id


def submit(client, url, *, consent: bool, role="auditor", **fields) -> int:
    data = {
        "role": role,
        "scopes": [f"PS:{SMELTING}"],
        "countries": ["NO"],
        "statement": "",
        "action": "submit",
        **fields,
    }
    if consent:
        data["consent_to_publish"] = "y"
    return id_from(post(client, url, data))


def approve(staff_client, application_id: int, **fields) -> None:
    url = f"/staff/accreditation/applications/{application_id}"
    response = post(
        staff_client,
        f"{url}/decide",
        {"decision": "approve", "reason": "Evidence complete.", **fields},
        form_url=url,
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def consent_box_ticked(client, url: str) -> bool:
    page = client.get(url)
    assert page.status_code == 200
    (box,) = CONSENT_BOX.findall(page.get_data(as_text=True))
    return "checked" in box


def consent_events(app) -> list[tuple[int | None, bool, str]]:
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "registry.consent_changed")
            .order_by(AuditEvent.id)
        )
        return [(row.actor_id, row.data["public"], row.data.get("via")) for row in rows]


def is_public(app, registry_id: str) -> bool:
    with app.app_context():
        return db.session.scalar(
            select(RegistryProfile.public).where(RegistryProfile.registry_id == registry_id)
        )


def test_consent_withdrawn_while_a_renewal_waits_stays_withdrawn_after_approval(app, holder):
    learner, staff, holder_client, staff_client, registry_id, accreditation_id = holder
    renew_url = f"/accreditation/applications/new?renew={accreditation_id}"
    assert consent_box_ticked(holder_client, renew_url)
    renewal_id = submit(holder_client, renew_url, consent=True)

    # While the renewal waits, the holder withdraws consent on their accreditation page.
    response = post(holder_client, "/accreditation/consent", {"public": "0"}, "/accreditation/")
    assert response.status_code == 302
    approve(staff_client, renewal_id)

    with app.app_context():
        accreditation = db.session.get(Accreditation, accreditation_id)
        assert accreditation.application_id == renewal_id  # the renewal was granted
    assert is_public(app, registry_id) is False
    assert staff_client.get(f"/registry/{registry_id}").status_code == 404
    assert staff_client.get(f"/api/v1/registry/{registry_id}").status_code == 404
    csv = staff_client.get("/registry.csv", query_string={"status": "any"})
    assert csv.status_code == 200 and registry_id not in csv.get_data(as_text=True)
    # The only consent change on record is the holder's own.
    assert consent_events(app) == [(learner.id, False, "accreditation_page")]
    assert all(actor != staff.id for actor, _public, _via in consent_events(app))


def test_a_public_holder_applying_for_another_role_stays_public(app, holder):
    _learner, _staff, holder_client, staff_client, registry_id, _accreditation_id = holder
    # The form starts from the holder's current choice: the box is ticked.
    assert consent_box_ticked(holder_client, "/accreditation/applications/new")
    application_id = submit(
        holder_client, "/accreditation/applications/new", consent=True, role="lead_auditor"
    )
    approve(staff_client, application_id, override_unmet="y")
    with app.app_context():
        profile = db.session.scalar(
            select(RegistryProfile).where(RegistryProfile.registry_id == registry_id)
        )
        assert sorted(a.role for a in profile.accreditations) == ["auditor", "lead_auditor"]
        assert profile.public is True
    assert staff_client.get(f"/registry/{registry_id}").status_code == 200
    assert consent_events(app) == []


def test_a_consent_change_is_an_audit_event_by_the_holder(app, holder):
    learner, _staff, holder_client, staff_client, registry_id, accreditation_id = holder
    post(holder_client, "/accreditation/consent", {"public": "0"}, "/accreditation/")
    assert "Not listed in the public registry" in holder_client.get("/accreditation/").get_data(
        as_text=True
    )
    # Unticking the box of a renewal is the holder changing it too, at once; and the renewal
    # form starts from the current (withdrawn) choice.
    post(holder_client, "/accreditation/consent", {"public": "1"}, "/accreditation/")
    renew_url = f"/accreditation/applications/new?renew={accreditation_id}"
    assert consent_box_ticked(holder_client, renew_url)
    renewal_id = submit(holder_client, renew_url, consent=False)
    assert is_public(app, registry_id) is False
    approve(staff_client, renewal_id)
    assert is_public(app, registry_id) is False
    assert consent_events(app) == [
        (learner.id, False, "accreditation_page"),
        (learner.id, True, "accreditation_page"),
        (learner.id, False, "application"),
    ]
    with app.app_context():
        labels = db.session.scalars(
            select(AuditEvent.actor_label).where(AuditEvent.action == "registry.consent_changed")
        ).all()
        assert set(labels) == {learner.email}

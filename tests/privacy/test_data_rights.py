"""People's data rights: the ZIP of everything held about them, and an erasure decided by
staff after which certificates still verify and the audit chain still verifies."""

import io
import json
import zipfile

import pytest
from sqlalchemy import func, select, text

from educational.accounts.models import User
from educational.accreditation.models import Accreditation, RegistryProfile
from educational.certificates.models import Certificate
from educational.core.audit import AuditEvent, record_event, verify_chain
from educational.core.db import db
from educational.experience.models import AuditEntry
from tests.builders.experience import PDF, audit_form, files_in, upload
from tests.builders.people import csrf_token, login
from tests.builders.people import post as post_form
from tests.builders.registry import Person


def log_audit_with_evidence(client) -> None:
    answer = post_form(
        client,
        "/experience/new/audit",
        {**audit_form(), "evidence": [upload(PDF, "report.pdf")], "action": "submit"},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302


def person_with_records(app, client, registry, *, status: str = "withdrawn") -> tuple[str, int]:
    registry_id = registry.add(Person("Ingrid Berg", status=status))
    with app.app_context():
        user_id = db.session.scalar(
            select(RegistryProfile.user_id).where(RegistryProfile.registry_id == registry_id)
        )
        email = db.session.get(User, user_id).email
    login(client, email)
    log_audit_with_evidence(client)
    return registry_id, user_id


@pytest.mark.csrf
def test_download_my_data_is_a_zip_of_everything_held_and_no_secrets(
    app, client, registry, make_user
):
    registry_id, _user_id = person_with_records(app, client, registry)
    other = make_user("learner", name="Somebody Else")
    answer = client.get("/account/data.zip")
    assert answer.status_code == 200 and answer.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(answer.data))
    data = json.loads(archive.read("data.json"))
    assert data["account"][0]["name"] == "Ingrid Berg"
    assert "password_hash" not in data["account"][0]
    assert data["registry_profile"][0]["registry_id"] == registry_id
    assert [a["status"] for a in data["accreditations"]] == ["withdrawn"]
    assert data["status_history"] and data["certificates"]
    logged = [e for e in data["experience"] if e.get("entity") == "Rheinwerk Aluminium GmbH"]
    assert [e["notes"] for e in logged] == ["Stage 2 audit."]
    assert {e["action"] for e in data["audit_events"]} >= {"experience.submitted"}
    assert data["complaints"] == []
    evidence = [name for name in archive.namelist() if name.startswith("evidence/")]
    assert len(evidence) == 1 and evidence[0].endswith("report.pdf")
    assert archive.read(evidence[0]) == PDF
    assert other.email not in answer.data.decode("latin-1")
    page = client.get("/account/data").get_data(as_text=True)
    assert "audit_events" in page and "Download my data" in page


@pytest.mark.csrf
def test_an_approved_erasure_keeps_certificates_and_the_chain_verifiable(
    app, client, registry, make_user, evidence_dir
):
    registry_id, user_id = person_with_records(app, client, registry)
    with app.app_context():
        codes = list(
            db.session.scalars(select(Certificate.code).where(Certificate.user_id == user_id))
        )
    token = csrf_token(client, "/account/data")
    refused = client.post("/account/data/erase", data={"csrf_token": token})
    assert refused.status_code == 400  # the box was not ticked
    asked = client.post("/account/data/erase", data={"csrf_token": token, "understood": "y"})
    assert asked.status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/data")})

    staff = make_user("staff")
    login(client, staff.email)
    queue = client.get("/staff/erasures").get_data(as_text=True)
    assert "Ingrid Berg" in queue
    hub = client.get("/staff").get_data(as_text=True)
    assert "Erasure requests waiting for a decision" in hub
    with app.app_context():
        request_id = db.session.scalar(text("SELECT id FROM erasure_requests"))
    page = f"/staff/erasures/{request_id}"
    url = f"{page}/decide"
    decided = client.post(
        url, data={"csrf_token": csrf_token(client, page), "decision": "approve", "reason": ""}
    )
    assert decided.status_code == 302, decided.get_data(as_text=True)

    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.name == f"Erased person {user_id}" and not user.active
        assert user.email.endswith("@erased.invalid")
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.user_id == user_id))
        for entry in entries:
            assert entry.entity == "" and entry.reference_name == "" and not entry.notes
            assert entry.evidence == []
        profile = db.session.scalar(
            select(RegistryProfile).where(RegistryProfile.user_id == user_id)
        )
        assert profile.registry_id == registry_id and profile.public is False
        assert (
            db.session.scalar(
                select(Accreditation.status).where(Accreditation.profile_id == profile.id)
            )
            == "withdrawn"
        )
        # The audit trail's content about them is blanked, and the chain verifies.
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.actor_id == user_id)).all()
        assert events and all(e.erased_at and e.payload == "{}" for e in events)
        assert "Ingrid" not in " ".join(
            e.actor_label + e.payload for e in db.session.scalars(select(AuditEvent)) if e.erased_at
        )
        assert verify_chain().ok
    assert files_in(evidence_dir) == []
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0
    # Certificates still verify, without the name.
    page = client.get(f"/verify/{codes[0]}").get_data(as_text=True)
    assert "Erased at the holder" in page and "Ingrid Berg" not in page
    # The erased person cannot log in.
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert (
        client.post("/login", data={"email": user.email, "password": "x" * 12}).status_code != 302
    )


def test_content_blanked_outside_an_erasure_breaks_verification(app, client, registry):
    _registry_id, user_id = person_with_records(app, client, registry)
    with app.app_context():
        event_id = db.session.scalar(
            select(AuditEvent.id).where(AuditEvent.actor_id == user_id).limit(1)
        )
        db.session.execute(
            text(
                "UPDATE audit_events SET payload = '{}', actor_label = 'erased', "
                "erased_at = created_at_placeholder WHERE id = :id".replace(
                    "created_at_placeholder", "occurred_at"
                )
            ),
            {"id": event_id},
        )
        db.session.commit()
        report = verify_chain()
    assert report.broken_id == event_id
    assert "no data.erased event names" in report.reason


@pytest.mark.csrf
def test_an_accredited_person_cannot_be_erased_and_a_rejection_says_why(
    app, client, registry, make_user
):
    _registry_id, user_id = person_with_records(app, client, registry, status="active")
    token = csrf_token(client, "/account/data")
    client.post("/account/data/erase", data={"csrf_token": token, "understood": "y"})
    client.post("/logout", data={"csrf_token": token})
    staff = make_user("staff")
    login(client, staff.email)
    with app.app_context():
        request_id = db.session.scalar(text("SELECT id FROM erasure_requests"))
    page = f"/staff/erasures/{request_id}"
    url = f"{page}/decide"
    answer = client.post(url, data={"csrf_token": csrf_token(client, page), "decision": "approve"})
    assert answer.status_code == 400
    assert "withdraw it (or let it expire)" in answer.get_data(as_text=True)
    answer = client.post(url, data={"csrf_token": csrf_token(client, page), "decision": "reject"})
    assert answer.status_code == 400 and "Say why" in answer.get_data(as_text=True)
    answer = client.post(
        url,
        data={"csrf_token": csrf_token(client, page), "decision": "reject", "reason": "Active."},
    )
    assert answer.status_code == 302
    with app.app_context():
        assert db.session.get(User, user_id).erased_at is None


@pytest.mark.app_config(DATA_RETENTION_YEARS=0)
def test_retention_blanks_the_decisions_kept_once_the_period_ends(app, client, registry, make_user):
    _registry_id, user_id = person_with_records(app, client, registry)
    with app.app_context():
        accreditation = db.session.scalar(
            select(Accreditation).join(RegistryProfile).where(RegistryProfile.user_id == user_id)
        )
        record_event("accreditation.withdrawn", accreditation, reason="Misconduct by Ingrid Berg")
        db.session.commit()
        decision = db.session.scalar(select(func.max(AuditEvent.id)))
    client.post("/account/data/erase", data={"understood": "y"})
    client.post("/logout", data={})
    staff = make_user("staff")
    login(client, staff.email)
    with app.app_context():
        request_id = db.session.scalar(text("SELECT id FROM erasure_requests"))
    decided = client.post(f"/staff/erasures/{request_id}/decide", data={"decision": "approve"})
    assert decided.status_code == 302
    with app.app_context():
        # The decision is kept through the retention period...
        assert "Ingrid Berg" in db.session.get(AuditEvent, decision).payload
    runner = app.test_cli_runner()
    result = runner.invoke(args=["data", "retention"])
    assert result.exit_code == 0, (result.exception, result.output)
    assert f"erased what was kept of Erased person {user_id}" in result.output
    with app.app_context():
        # ...and blanked after it, the chain still verifying.
        assert db.session.get(AuditEvent, decision).payload == "{}"
        assert verify_chain().ok
    assert "Nothing has passed" in runner.invoke(args=["data", "retention"]).output

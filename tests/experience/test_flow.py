"""The experience life cycle through the test client, with CSRF protection on as in
production: log an audit with evidence, submit, staff verify, edit, verify again."""

import re

import pytest
from sqlalchemy import select

from educational.accounts.models import User
from educational.core.audit import AuditEvent, verify_chain
from educational.core.db import db
from educational.experience.models import AuditEntry, Evidence
from educational.experience.services import create_entry, verified_record
from tests.builders.experience import PDF, audit_data, audit_form, files_in, upload
from tests.builders.people import post as post_form
from tests.conftest import outbox_messages

pytestmark = pytest.mark.csrf

ENTRY_URL_RE = re.compile(r"/experience/entries/(\d+)$")


def logout(client):
    assert post_form(client, "/logout", {}, form_url="/").status_code == 302


def entry_id_from(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    match = ENTRY_URL_RE.search(response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def events_for(app, entry_id):
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.subject_id == str(entry_id))
            .where(AuditEvent.subject_type == "experience_entries")
            .order_by(AuditEvent.id)
        ).all()
        return [(row.action, row.actor_label) for row in rows]


def test_log_submit_verify_edit_reverify(
    app, client, auth, make_user, synced_courses, evidence_dir
):
    learner, staff = make_user("learner"), make_user("staff")

    # The learner logs an audit with a PDF and submits it at once.
    auth.login(learner.email, csrf=True)
    assert "My experience" in client.get("/experience/").get_data(as_text=True)
    response = post_form(
        client,
        "/experience/new/audit",
        {**audit_form(), "evidence": [upload(PDF, "report.pdf")], "action": "submit"},
        content_type="multipart/form-data",
    )
    entry_id = entry_id_from(response)
    with app.app_context():
        entry = db.session.get(AuditEntry, entry_id)
        assert entry.status == "submitted"
        assert entry.sectors == ["aluminium-smelting", "casthouse"]
        (evidence,) = entry.evidence
        evidence_id, stored_name = evidence.id, evidence.stored_name
        assert evidence.display_name == "report.pdf"
        assert evidence.content_type == "application/pdf"
    # Stored under a random name, outside the web root, byte for byte.
    assert files_in(evidence_dir) == [stored_name]
    assert "report" not in stored_name and len(stored_name) >= 40
    assert (evidence_dir / stored_name).read_bytes() == PDF

    # The owner downloads the file: always an attachment, never sniffed.
    response = client.get(f"/experience/evidence/{evidence_id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "report.pdf" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    logout(client)

    # Staff find it in the queue, open it and verify it.
    auth.login(staff.email, csrf=True)
    queue = client.get("/staff/experience/").get_data(as_text=True)
    assert "Rheinwerk Aluminium GmbH" in queue
    review_url = f"/staff/experience/{entry_id}"
    page = client.get(review_url).get_data(as_text=True)
    assert f"/experience/evidence/{evidence_id}" in page
    assert client.get(f"/experience/evidence/{evidence_id}").data == PDF
    response = post_form(
        client,
        f"/staff/experience/{entry_id}/decide",
        {"decision": "verify", "comment": "", "revision": "1"},
        form_url=review_url,
    )
    assert response.status_code == 302
    assert "Nothing is waiting" in client.get("/staff/experience/").get_data(as_text=True)
    logout(client)

    # The learner is told, the decision is on the record, and it counts.
    (mail,) = outbox_messages(app, "experience_verified")
    assert mail.recipient == learner.email
    assert "Rheinwerk Aluminium GmbH" in mail.body
    assert f"/experience/entries/{entry_id}" in mail.body
    assert events_for(app, entry_id) == [
        ("experience.submitted", learner.email),
        ("experience.verified", staff.email),
    ]
    with app.app_context():
        assert len(verified_record(learner.id).audits) == 1
        assert verify_chain().ok

    # Editing the verified entry sends it back for verification.
    auth.login(learner.email, csrf=True)
    edit_url = f"/experience/entries/{entry_id}/edit"
    page = client.get(edit_url).get_data(as_text=True)
    assert "is verified. If you change it" in page
    response = post_form(
        client,
        edit_url,
        {**audit_form(onsite_days="2.5"), "action": "save"},
        content_type="multipart/form-data",
    )
    assert entry_id_from(response) == entry_id
    with app.app_context():
        entry = db.session.get(AuditEntry, entry_id)
        assert entry.status == "submitted"
        assert entry.onsite_days == 2.5
        assert entry.revision == 2
        assert verified_record(learner.id).audits == ()
        # The file that supported the first verification stays.
        assert db.session.get(Evidence, evidence_id) is not None
    assert events_for(app, entry_id)[-1] == (
        "experience.changed_after_verification",
        learner.email,
    )
    assert files_in(evidence_dir) == [stored_name]


def test_info_requested_then_resubmitted(app, client, auth, make_user, synced_courses):
    learner, staff = make_user("learner"), make_user("staff")
    auth.login(learner.email, csrf=True)
    response = post_form(
        client,
        "/experience/new/audit",
        {**audit_form(), "action": "submit"},
        content_type="multipart/form-data",
    )
    entry_id = entry_id_from(response)
    logout(client)

    auth.login(staff.email, csrf=True)
    review_url = f"/staff/experience/{entry_id}"
    response = post_form(
        client,
        f"/staff/experience/{entry_id}/decide",
        {"decision": "request_info", "comment": "", "revision": "1"},
        form_url=review_url,
    )
    # A question is required; the page says so and nothing changes.
    assert response.status_code == 200
    assert "Write what the learner should add" in response.get_data(as_text=True)
    response = post_form(
        client,
        f"/staff/experience/{entry_id}/decide",
        {"decision": "request_info", "comment": "Please attach the audit plan.", "revision": "1"},
        form_url=review_url,
    )
    assert response.status_code == 302
    logout(client)
    (mail,) = outbox_messages(app, "experience_info_requested")
    assert "Please attach the audit plan." in mail.body

    # The learner sees the question, adds the file and resubmits.
    auth.login(learner.email, csrf=True)
    assert "Please attach the audit plan." in client.get("/experience/").get_data(as_text=True)
    page = client.get(f"/experience/entries/{entry_id}").get_data(as_text=True)
    assert "Please attach the audit plan." in page
    response = post_form(
        client,
        f"/experience/entries/{entry_id}/edit",
        {**audit_form(), "evidence": [upload(PDF, "plan.pdf")], "action": "submit"},
        content_type="multipart/form-data",
    )
    assert entry_id_from(response) == entry_id
    with app.app_context():
        entry = db.session.get(AuditEntry, entry_id)
        assert entry.status == "submitted"
        assert [e.display_name for e in entry.evidence] == ["plan.pdf"]
    assert [action for action, _actor in events_for(app, entry_id)] == [
        "experience.submitted",
        "experience.info_requested",
        "experience.submitted",
    ]


def test_rejection_needs_a_reason_and_reaches_the_learner(
    app, client, auth, make_user, synced_courses
):
    learner, staff = make_user("learner"), make_user("staff")
    auth.login(learner.email, csrf=True)
    response = post_form(
        client,
        "/experience/new/audit",
        {**audit_form(), "action": "submit"},
        content_type="multipart/form-data",
    )
    entry_id = entry_id_from(response)
    logout(client)
    auth.login(staff.email, csrf=True)
    review_url = f"/staff/experience/{entry_id}"
    response = post_form(
        client,
        f"/staff/experience/{entry_id}/decide",
        {"decision": "reject", "comment": "  ", "revision": "1"},
        form_url=review_url,
    )
    assert "Write the reason for the rejection." in response.get_data(as_text=True)
    response = post_form(
        client,
        f"/staff/experience/{entry_id}/decide",
        {"decision": "reject", "comment": "The reference denies the audit.", "revision": "1"},
        form_url=review_url,
    )
    assert response.status_code == 302
    (mail,) = outbox_messages(app, "experience_rejected")
    assert mail.recipient == learner.email
    assert "The reference denies the audit." in mail.body
    with app.app_context():
        assert db.session.get(AuditEntry, entry_id).status == "rejected"


def test_decision_without_csrf_token_is_refused(app, client, auth, make_user, synced_courses):
    learner, staff = make_user(), make_user("staff")
    with app.test_request_context():
        entry = create_entry(db.session.get(User, learner.id), "audit", audit_data(), submit=True)
        db.session.commit()
        entry_id = entry.id
    auth.login(staff.email, csrf=True)
    response = client.post(f"/staff/experience/{entry_id}/decide", data={"decision": "verify"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(AuditEntry, entry_id).status == "submitted"

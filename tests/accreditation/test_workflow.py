"""The whole path through the test client, with CSRF protection on as in production:
log experience with evidence → staff verify → apply → staff approve → registry id issued →
suspend → reinstate → the sweep expires it; the audit chain verifies at the end, and no
longer does once a decision row is edited in the database."""

import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from educational.accounts.models import User
from educational.accreditation.models import Accreditation, Application
from educational.catalog.services import course_by_slug
from educational.certificates.services import issue_certificate
from educational.core.audit import AuditEvent
from educational.core.db import db, utcnow
from educational.experience.models import ExperienceEntry
from tests.builders.accreditation import (
    apply,
    decide,
    log_verified,
    qualify,
    set_four_eyes,
    witnessed,
)
from tests.builders.experience import PDF, SMELTING, audit_form, log_cpd_cycle
from tests.builders.people import id_from, logged_in, post
from tests.conftest import outbox_messages

pytestmark = pytest.mark.csrf


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_from_experience_to_accreditation_and_back(app, make_user, synced_courses):
    learner, staff, admin = make_user("learner"), make_user("staff"), make_user("admin")
    today = utcnow().date()

    # 1. The learner logs four audits through the experience pages, each with a PDF.
    learner_client = logged_in(app, learner)
    entry_ids = []
    for n in range(4):
        response = post(
            learner_client,
            "/experience/new/audit",
            {
                **audit_form(today - timedelta(days=40 * (n + 1)), calendar_days=5, country="NO"),
                "evidence": [(io.BytesIO(PDF), f"audit-report-{n}.pdf")],
                "action": "submit",
            },
            content_type="multipart/form-data",
        )
        entry_ids.append(id_from(response))
    response = post(
        learner_client,
        "/experience/new/qualification",
        {
            "title": "ISO 19011 lead auditor",
            "issuer": "IRCA",
            "qualification_kind": "management-system-auditor",
            "obtained_on": "2019-05-02",
            "expires_on": "",
            "evidence": [(io.BytesIO(PDF), "lead-auditor.pdf")],
            "action": "submit",
        },
        content_type="multipart/form-data",
    )
    entry_ids.append(id_from(response))

    # Before verification nothing counts.
    page = learner_client.get(
        "/accreditation/?role=auditor&scopes=PS:aluminium-smelting&countries=NO"
    ).get_data(as_text=True)
    assert "6 requirements are not met." in page
    # ... but the checklist says what waits for verification, and links to what fixes the rest.
    assert "0 of 4 verified audits and 0 of 20 audit days since" in page
    assert "(4 more waiting for verification)" in page
    assert "Qualification: Management-system auditor" in page or "(1 more waiting" in page
    assert 'href="/experience/new/audit"' in page

    # 2. Staff verify every entry on its review page.
    staff_client = logged_in(app, staff)
    assert "Experience waiting for verification" in staff_client.get(
        "/staff/accreditation/"
    ).get_data(as_text=True)
    for entry_id in entry_ids:
        response = post(
            staff_client,
            f"/staff/experience/{entry_id}/decide",
            {"decision": "verify", "revision": "1", "comment": ""},
            form_url=f"/staff/experience/{entry_id}",
        )
        assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert {e.status for e in db.session.scalars(select(ExperienceEntry))} == {"verified"}
        # The courses are passed (certificates issued as the quiz engine would).
        user = db.session.get(User, learner.id)
        for slug in ("asi-auditor", "ps-v3-auditors"):
            issue_certificate(user, course_by_slug(slug), issued_at=utcnow())
        db.session.commit()

    # 3. The live checklist is all green; the learner applies with consent and submits.
    page = learner_client.get(
        "/accreditation/?role=auditor&scopes=PS:aluminium-smelting&countries=NO"
    ).get_data(as_text=True)
    assert "Every requirement is met." in page
    response = post(
        learner_client,
        "/accreditation/applications/new",
        {
            "role": "auditor",
            "scopes": ["PS:aluminium-smelting"],
            "countries": ["NO"],
            "consent_to_publish": "y",
            "statement": "All my audits are logged.",
            "action": "submit",
        },
    )
    application_id = id_from(response)
    page = learner_client.get(f"/accreditation/applications/{application_id}").get_data(
        as_text=True
    )
    assert "Submitted" in page and "Every requirement is met." in page

    # 4. Staff review it (checklist and evidence side by side) and approve.
    page = staff_client.get("/staff/accreditation/applications").get_data(as_text=True)
    assert learner.name in page and "all met" in page
    review_url = f"/staff/accreditation/applications/{application_id}"
    page = staff_client.get(review_url).get_data(as_text=True)
    assert "audit-report-0.pdf" in page and "Every requirement is met today." in page
    response = post(
        staff_client,
        f"{review_url}/decide",
        {"decision": "approve", "reason": "Evidence complete."},
        form_url=review_url,
    )
    assert response.status_code == 302
    assert "ASI-000001" in staff_client.get(response.headers["Location"]).get_data(as_text=True)

    # 5. The registry id is issued, and the learner sees the accreditation.
    page = learner_client.get("/accreditation/").get_data(as_text=True)
    assert "ASI-000001" in page and "Listed in the public registry" in page
    with app.app_context():
        accreditation = db.session.scalar(select(Accreditation))
        accreditation_id, valid_until = accreditation.id, accreditation.valid_until
        assert accreditation.status == "active"
    assert [m.recipient for m in outbox_messages(app, "application_approved")] == [learner.email]

    # 6. Suspend, then reinstate, each with a reason (a different staff member may).
    url = f"/staff/accreditation/accreditations/{accreditation_id}"
    response = post(staff_client, f"{url}/suspend", {"reason": "Complaint received."}, url)
    assert response.status_code == 302
    admin_client = logged_in(app, admin)
    response = post(admin_client, f"{url}/reinstate", {"reason": "Complaint unfounded."}, url)
    assert response.status_code == 302
    page = admin_client.get(url).get_data(as_text=True)
    assert "Complaint received." in page and "Complaint unfounded." in page
    assert len(outbox_messages(app, "accreditation_status_changed")) == 2

    # 7. The sweep expires it the day after its last valid day.
    result = run(app, "accreditation", "sweep", "--date", valid_until.isoformat())
    assert result.exit_code == 0 and "0 expired" in result.output
    result = run(
        app, "accreditation", "sweep", "--date", (valid_until + timedelta(days=1)).isoformat()
    )
    assert result.exit_code == 0, result.output
    assert "expired: ASI-000001 auditor" in result.output
    with app.app_context():
        assert db.session.get(Accreditation, accreditation_id).status == "expired"
        assert [c.to_status for c in db.session.get(Accreditation, accreditation_id).changes] == [
            "active",
            "suspended",
            "active",
            "expired",
        ]

    # 8. The audit chain holds every step, and verifies.
    with app.app_context():
        recorded = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    for action in (
        "experience.verified",
        "application.submitted",
        "registry.profile_created",
        "accreditation.granted",
        "application.approved",
        "accreditation.suspended",
        "accreditation.reinstated",
        "accreditation.expired",
    ):
        assert action in recorded
    result = run(app, "audit", "verify")
    assert result.exit_code == 0, result.output

    # 9. Editing a decision in the database breaks the chain.
    with app.app_context():
        decision_id = db.session.scalar(
            select(AuditEvent.id).where(AuditEvent.action == "application.approved")
        )
        db.session.execute(
            text("UPDATE audit_events SET payload = :payload WHERE id = :id"),
            {"payload": '{"reason": "Approved without evidence."}', "id": decision_id},
        )
        db.session.commit()
    result = run(app, "audit", "verify")
    assert result.exit_code == 1
    assert f"broken at event {decision_id}" in result.output


def test_information_request_round_trip_through_the_pages(app, make_user, synced_courses):
    learner, staff = make_user("learner"), make_user("staff")
    qualify(app, learner.id, staff.id, country="DE")
    learner_client, staff_client = logged_in(app, learner), logged_in(app, staff)
    response = post(
        learner_client,
        "/accreditation/applications/new",
        {
            "role": "auditor",
            "scopes": ["PS:aluminium-smelting"],
            "countries": ["NO"],
            "action": "submit",
        },
    )
    application_id = id_from(response)

    # Flagged in the queue: the country requirement is unmet.
    page = staff_client.get("/staff/accreditation/applications?flagged=1").get_data(as_text=True)
    assert learner.name in page and "1 unmet" in page
    review_url = f"/staff/accreditation/applications/{application_id}"
    # Approving without acknowledging the unmet requirement is refused on the page.
    response = post(
        staff_client, f"{review_url}/decide", {"decision": "approve", "reason": "ok"}, review_url
    )
    assert response.status_code == 200
    assert "1 requirement is not met today" in response.get_data(as_text=True)
    # A decision without a reason is refused, and the page comes back.
    response = post(
        staff_client, f"{review_url}/decide", {"decision": "request_info", "reason": ""}, review_url
    )
    assert response.status_code == 200 and "Write the reason" in response.get_data(as_text=True)
    response = post(
        staff_client,
        f"{review_url}/decide",
        {"decision": "request_info", "reason": "Your audits were in Germany: apply for DE?"},
        review_url,
    )
    assert response.status_code == 302

    # The learner reads the request, edits the application and submits it again.
    page = learner_client.get(f"/accreditation/applications/{application_id}").get_data(
        as_text=True
    )
    assert "Information requested" in page and "apply for DE?" in page
    edit_url = f"/accreditation/applications/{application_id}/edit"
    response = post(
        learner_client,
        edit_url,
        {
            "role": "auditor",
            "scopes": ["PS:aluminium-smelting"],
            "countries": ["DE"],
            "action": "submit",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        row = db.session.get(Application, application_id)
        assert row.status == "submitted" and row.countries == ["DE"]
        assert all(item["met"] for item in row.checklist)

    response = post(
        staff_client,
        f"{review_url}/decide",
        {"decision": "approve", "reason": "Fine now."},
        review_url,
    )
    assert response.status_code == 302
    assert len(outbox_messages(app, "application_info_requested")) == 1
    assert len(outbox_messages(app, "application_approved")) == 1


def test_four_eyes_and_the_applicant_reviewer_through_the_pages(app, make_user, synced_courses):
    learner, staff, admin = make_user("learner"), make_user("staff"), make_user("admin")
    set_four_eyes(app)
    # A staff member who applies cannot review their own application.
    qualify(app, staff.id, admin.id)
    own_id = apply(app, staff.id)
    staff_client = logged_in(app, staff)
    own_url = f"/staff/accreditation/applications/{own_id}"
    assert "This is your own application" in staff_client.get(own_url).get_data(as_text=True)
    response = post(
        staff_client, f"{own_url}/decide", {"decision": "approve", "reason": "Me."}, own_url
    )
    assert response.status_code == 200
    assert "your own application" in response.get_data(as_text=True)

    qualify(app, learner.id, staff.id)
    application_id = apply(app, learner.id)
    url = f"/staff/accreditation/applications/{application_id}"
    response = post(staff_client, f"{url}/decide", {"decision": "approve", "reason": "One."}, url)
    assert response.status_code == 302
    page = staff_client.get(url).get_data(as_text=True)
    assert "First approval given" in page and "You gave the first approval" in page
    response = post(staff_client, f"{url}/decide", {"decision": "approve", "reason": "Two."}, url)
    assert response.status_code == 200
    assert "a different staff member must give the final one" in response.get_data(as_text=True)

    admin_client = logged_in(app, admin)
    response = post(admin_client, f"{url}/decide", {"decision": "approve", "reason": "Two."}, url)
    assert response.status_code == 302
    with app.app_context():
        row = db.session.get(Application, application_id)
        assert (row.status, row.first_approver_id, row.decided_by_id) == (
            "approved",
            staff.id,
            admin.id,
        )


def test_renewal_through_the_pages(app, make_user, synced_courses):
    learner, staff = make_user("learner"), make_user("staff")
    qualify(app, learner.id, staff.id)
    log_cpd_cycle(app, learner.id, staff.id)  # the CPD a renewal needs
    decide(app, apply(app, learner.id), staff.id)
    witnessed(app, learner.id, staff.id)  # and a satisfactory witness in the cycle
    with app.app_context():
        accreditation = db.session.scalar(select(Accreditation))
        accreditation_id, first_until = accreditation.id, accreditation.valid_until
    learner_client = logged_in(app, learner)
    page = learner_client.get("/accreditation/").get_data(as_text=True)
    assert f"/accreditation/applications/new?renew={accreditation_id}" in page
    url = f"/accreditation/applications/new?renew={accreditation_id}"
    page = learner_client.get(url).get_data(as_text=True)
    assert "Renew my accreditation" in page
    assert re.search(r'<input checked[^>]*value="PS:aluminium-smelting"', page)
    with app.test_request_context():
        log_verified(
            db.session.get(User, learner.id),
            db.session.get(User, staff.id),
            "work",
            {
                "employer": "Rheinwerk",
                "position": "Engineer",
                "sector": "casthouse",
                "country": "DE",
                "start_date": date(2015, 1, 1),
                "end_date": None,
                "specialist_areas": [],
                "description": "",
            },
        )
        db.session.commit()
    response = post(
        learner_client,
        url,
        {
            "role": "specialist",  # ignored: a renewal keeps the accreditation's role
            "scopes": ["PS:aluminium-smelting", "PS:casthouse"],
            "countries": ["NO", "DE"],
            "consent_to_publish": "",
            "action": "submit",
        },
    )
    renewal_id = id_from(response)
    with app.app_context():
        row = db.session.get(Application, renewal_id)
        assert (row.kind, row.role, row.accreditation_id) == (
            "renewal",
            "auditor",
            accreditation_id,
        )
    decide(app, renewal_id, make_user("admin").id, reason="Renewed with the casthouse.")
    with app.app_context():
        accreditation = db.session.get(Accreditation, accreditation_id)
        assert accreditation.valid_until >= first_until
        assert [(s.standard, s.sector, s.status) for s in accreditation.scopes] == [
            ("PS", SMELTING, "active"),
            ("PS", "casthouse", "active"),
        ]
        assert accreditation.countries == ["NO", "DE"]
        # Consent withdrawn in the renewal: no longer listed.
        assert accreditation.profile.public is False

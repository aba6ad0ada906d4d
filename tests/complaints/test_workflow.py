"""The secretariat's workflow: acknowledge, investigate, invite the subject's response,
decide (a suspension through the accreditation's lifecycle), with the complainant told and
the subject never learning who complained. Deadlines overdue are flagged. CSRF is on."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from educational.accreditation.models import Accreditation, StatusChange
from educational.complaints.models import Complaint
from educational.core.audit import AuditEvent
from educational.core.db import db, utcnow
from tests.builders.people import csrf_token, logged_in, waiting_count
from tests.builders.registry import Person
from tests.complaints.helpers import complaint_id, lodge, lodged, staff_post
from tests.conftest import outbox_messages

pytestmark = pytest.mark.csrf

SECRET_NAME = "Quirinus Unseen-Complainant"
SECRET_EMAIL = "quirinus.unseen@example.org"


@pytest.fixture
def lodged_complaint(app, registry, make_user):
    """(registry id, the subject user, the reference, the status link, the complaint id,
    a logged-in staff client)"""
    rid = registry.add(Person("Sven Subject"))
    response = lodge(
        app.test_client(),
        rid,
        description="He skipped the site visit at the smelter.",
        name=SECRET_NAME,
        email=SECRET_EMAIL,
    )
    reference, link = lodged(response)
    staff = logged_in(app, make_user("staff"))
    return rid, registry.users[rid], reference, link, complaint_id(app, reference), staff


def actions(app) -> list[str]:
    with app.app_context():
        return db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action.like("complaint.%"))
            .order_by(AuditEvent.id)
        ).all()


def test_the_whole_workflow_keeps_the_complainant_hidden(app, lodged_complaint):
    _rid, subject, reference, link, cid, staff = lodged_complaint
    queue = staff.get("/staff/complaints/").get_data(as_text=True)
    assert reference in queue and "Sven Subject" in queue
    page = staff.get(f"/staff/complaints/{cid}").get_data(as_text=True)
    assert SECRET_NAME in page and SECRET_EMAIL in page  # staff see who complained

    assert staff_post(staff, cid, "acknowledge").status_code == 302
    (ack,) = outbox_messages(app, "complaint_acknowledged")
    assert ack.recipient == SECRET_EMAIL and reference in ack.body
    assert 'class="badge warn">Acknowledged<' in app.test_client().get(link).get_data(as_text=True)

    assert staff_post(staff, cid, "note", {"text": "Called the smelter."}).status_code == 302
    response = staff_post(staff, cid, "invite", {"message": "Were you on site on 3 May?"})
    assert response.status_code == 302
    (invitation,) = outbox_messages(app, "complaint_response_invited")
    assert invitation.recipient == subject.email
    assert f"/complaints/about-me/{cid}" in invitation.body

    holder = logged_in(app, subject)
    about = holder.get(f"/complaints/about-me/{cid}").get_data(as_text=True)
    assert "He skipped the site visit" in about and "Were you on site on 3 May?" in about
    assert "Called the smelter." not in about  # staff notes are internal
    token = csrf_token(holder, f"/complaints/about-me/{cid}")
    response = holder.post(
        f"/complaints/about-me/{cid}/respond",
        data={"response": "I was there all day.", "csrf_token": token},
    )
    assert response.status_code == 302
    assert "I was there all day." in staff.get(f"/staff/complaints/{cid}").get_data(as_text=True)
    # The status link shows the progress, never the subject's response or staff notes.
    status_page = app.test_client().get(link).get_data(as_text=True)
    assert "I was there all day." not in status_page and "Called the smelter." not in status_page

    response = staff_post(
        staff, cid, "decide", {"outcome": "warning", "reasons": "The visit was too short."}
    )
    assert response.status_code == 302
    status_page = app.test_client().get(link).get_data(as_text=True)
    assert "Warning" in status_page and "The visit was too short." in status_page
    (told,) = outbox_messages(app, "complaint_decided")
    assert told.recipient == SECRET_EMAIL and "Warning" in told.body
    (subject_mail,) = outbox_messages(app, "complaint_decided_subject")
    assert subject_mail.recipient == subject.email

    # Nothing the subject sees names the complainant.
    seen = [
        holder.get(f"/complaints/about-me/{cid}").get_data(as_text=True),
        holder.get("/complaints/about-me").get_data(as_text=True),
        invitation.body,
        subject_mail.body,
        *(m.body for m in outbox_messages(app) if m.recipient == subject.email),
    ]
    for text in seen:
        assert SECRET_NAME not in text and SECRET_EMAIL not in text
        assert "quirinus" not in text.lower()
    assert actions(app) == [
        "complaint.lodged",
        "complaint.acknowledged",
        "complaint.noted",
        "complaint.response_invited",
        "complaint.response_received",
        "complaint.decided",
    ]


def test_a_suspension_goes_through_the_accreditation_lifecycle(app, lodged_complaint):
    rid, subject, reference, _link, cid, staff = lodged_complaint
    staff_post(staff, cid, "acknowledge")
    response = staff_post(
        staff, cid, "decide", {"outcome": "suspension", "reasons": "Report signed unseen."}
    )
    assert response.status_code == 302
    with app.app_context():
        complaint = db.session.get(Complaint, cid)
        accreditation = db.session.get(Accreditation, complaint.accreditation_id)
        change = db.session.get(StatusChange, complaint.status_change_id)
        assert accreditation.status == "suspended"
        assert change.accreditation_id == accreditation.id and change.to_status == "suspended"
        assert reference in change.reason and "Report signed unseen." in change.reason
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "accreditation.suspended")
        )
        assert reference in event.data["reason"]
    (mail,) = outbox_messages(app, "accreditation_status_changed")
    assert mail.recipient == subject.email and reference in mail.body
    assert SECRET_NAME not in mail.body
    page = app.test_client().get(f"/registry/{rid}").get_data(as_text=True)
    assert '<span class="badge warn">Suspended</span>' in page
    assert actions(app)[-1] == "complaint.decided"


def test_reasons_are_required_and_the_form_comes_back_filled_in(app, lodged_complaint):
    *_, cid, staff = lodged_complaint
    staff_post(staff, cid, "acknowledge")
    response = staff_post(staff, cid, "decide", {"outcome": "warning", "reasons": "  "})
    assert response.status_code == 200
    assert "Write the reasons for the outcome" in response.get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="warning"', response.get_data(as_text=True))
    with app.app_context():
        assert db.session.get(Complaint, cid).status == "acknowledged"


def test_deciding_needs_an_acknowledgement_and_decided_is_final(app, lodged_complaint):
    *_, cid, staff = lodged_complaint
    response = staff_post(
        staff, cid, "decide", {"outcome": "unfounded", "reasons": "Nothing in it."}
    )
    assert "Acknowledge the complaint first." in response.get_data(as_text=True)
    staff_post(staff, cid, "acknowledge")
    staff_post(staff, cid, "decide", {"outcome": "unfounded", "reasons": "Nothing in it."})
    response = staff_post(staff, cid, "close", {"close_reasons": "Again."})
    with app.app_context():
        complaint = db.session.get(Complaint, cid)
        assert complaint.status == "decided" and complaint.outcome == "unfounded"


def test_overdue_deadlines_are_flagged_and_counted(app, lodged_complaint, registry, make_user):
    *_, cid, staff = lodged_complaint
    page = staff.get("/staff/complaints/").get_data(as_text=True)
    assert "overdue" not in page
    with app.app_context():
        db.session.get(Complaint, cid).lodged_at = utcnow() - timedelta(days=11)
        db.session.commit()
    page = staff.get("/staff/complaints/").get_data(as_text=True)
    assert page.count("overdue") == 1
    home = staff.get("/staff").get_data(as_text=True)
    assert waiting_count(home, "Complaints waiting for acknowledgement") == 1
    staff_post(staff, cid, "acknowledge")
    with app.app_context():
        complaint = db.session.get(Complaint, cid)
        complaint.acknowledged_at = utcnow() - timedelta(days=91)
        db.session.commit()
        from educational.complaints import queries

        assert queries.past_decide_deadline().count == 1
        assert queries.waiting_acknowledgement().count == 0
    page = staff.get(f"/staff/complaints/{cid}").get_data(as_text=True)
    assert "overdue" in page
    # The response deadline: invited 22 days ago, not answered.
    staff_post(staff, cid, "invite", {"message": "Please answer."})
    with app.app_context():
        db.session.get(Complaint, cid).invited_at = utcnow() - timedelta(days=22)
        db.session.commit()
    page = staff.get("/staff/complaints/").get_data(as_text=True)
    assert page.count("overdue") == 2  # the response and the decision


def test_permissions(app, lodged_complaint, make_user):
    _rid, subject, _reference, _link, cid, staff = lodged_complaint
    learner = logged_in(app, make_user("learner"))
    member = logged_in(app, make_user("member"))
    for client in (learner, member):
        assert client.get("/staff/complaints/").status_code == 403
        assert client.get(f"/staff/complaints/{cid}").status_code == 403
    # Before the invitation, the subject is not shown the complaint; another person never.
    holder = logged_in(app, subject)
    assert holder.get(f"/complaints/about-me/{cid}").status_code == 404
    staff_post(staff, cid, "acknowledge")
    staff_post(staff, cid, "invite", {"message": "Please answer."})
    assert holder.get(f"/complaints/about-me/{cid}").status_code == 200
    assert learner.get(f"/complaints/about-me/{cid}").status_code == 403
    token = csrf_token(learner, "/account")
    response = learner.post(
        f"/complaints/about-me/{cid}/respond", data={"response": "Not me.", "csrf_token": token}
    )
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Complaint, cid).response is None


def test_staff_who_are_the_subject_cannot_handle_it(app, registry, make_user):
    staff_user = make_user("staff")
    from educational.accreditation.models import RegistryProfile

    rid = registry.add(Person("Staff Subject"))
    with app.app_context():
        profile = db.session.scalar(
            select(RegistryProfile).where(RegistryProfile.registry_id == rid)
        )
        profile.user_id = staff_user.id
        db.session.commit()
    reference, _link = lodged(lodge(app.test_client(), rid))
    cid = complaint_id(app, reference)
    staff = logged_in(app, staff_user)
    response = staff_post(staff, cid, "acknowledge", follow_redirects=True)
    assert "another staff member must handle it" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Complaint, cid).status == "lodged"


def test_a_firm_is_suspended_through_its_own_service(app, registry, make_user):
    from educational.accreditation.models import AuditFirm

    registry.add(Person("Firm Worker", firms=["Careless Audits AS"]))
    with app.app_context():
        firm_id = db.session.scalar(select(AuditFirm.id))
    reference, link = lodged(lodge(app.test_client(), firm_id=firm_id, description="Bad firm."))
    cid = complaint_id(app, reference)
    staff = logged_in(app, make_user("staff"))
    staff_post(staff, cid, "acknowledge")
    response = staff_post(
        staff, cid, "decide", {"outcome": "suspension", "reasons": "Reports copied."}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(AuditFirm, firm_id).status == "suspended"
        assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "firm.updated"))
    assert "Suspension" in app.test_client().get(link).get_data(as_text=True)
    with app.test_request_context():
        from educational.appeals.kinds import appeal_kinds

        assert appeal_kinds()["complaint_outcome"].find(cid) is None  # no person to appeal

"""Lodging a complaint from the registry: anonymous (reference and status link, the link's
token the only key, rate-limited), logged in, files checked. CSRF is on."""

import io

import pytest
from sqlalchemy import select

from educational.complaints.models import Complaint, ComplaintEvidence
from educational.core.audit import AuditEvent
from educational.core.db import db
from tests.builders.experience import PDF
from tests.builders.people import logged_in
from tests.builders.registry import Person
from tests.complaints.helpers import complaint_id, lodge, lodged
from tests.conftest import outbox_messages

pytestmark = pytest.mark.csrf


def test_the_registry_pages_link_to_the_complaint_form(app, registry):
    rid = registry.add(Person("Petra Linkfinder", firms=["Link Audits AS"]))
    client = app.test_client()
    page = client.get(f"/registry/{rid}").get_data(as_text=True)
    assert f'href="/complaints/new?registry_id={rid}"' in page
    with app.app_context():
        from educational.accreditation.models import AuditFirm

        firm_id = db.session.scalar(select(AuditFirm.id))
    page = client.get(f"/registry/firms/{firm_id}").get_data(as_text=True)
    assert f'href="/complaints/new?firm_id={firm_id}"' in page
    form = client.get(f"/complaints/new?registry_id={rid}").get_data(as_text=True)
    assert "Petra Linkfinder" in form and 'name="csrf_token"' in form
    assert client.get("/complaints/new?registry_id=ASI-NOPE").status_code == 404
    assert client.get("/complaints/new").status_code == 404


def test_a_hidden_person_cannot_be_complained_about_here(app, registry):
    rid = registry.add(Person("Hidden Harald", public=False))
    assert app.test_client().get(f"/complaints/new?registry_id={rid}").status_code == 404


def test_anonymous_lodge_gives_a_reference_and_a_status_link(app, registry):
    rid = registry.add(Person("Anna Subject"))
    client = app.test_client()
    response = lodge(
        client,
        rid,
        description="She audited her own client.",
        name="Quentin Whistle",
        email="quentin@example.org",
    )
    reference, link = lodged(response)
    assert reference.startswith("C-")
    assert response.headers["Cache-Control"] == "no-store"
    # The link works with its token, from any browser, and not without it.
    other = app.test_client()
    page = other.get(link)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert reference in text and 'class="badge pending">Lodged<' in text
    assert "She audited her own client." not in page.get_data(as_text=True)
    assert other.get(f"/complaints/status/{reference}").status_code == 404
    assert other.get(f"/complaints/status/{reference}?token=wrong").status_code == 404
    # The token is kept only as its hash.
    token = link.split("token=")[1]
    with app.app_context():
        complaint = db.session.scalar(select(Complaint))
        assert token not in (complaint.token_hash, complaint.description)
        assert complaint.complainant_id is None
        assert complaint.complainant_email == "quentin@example.org"
        events = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.subject_type == "complaints")
        ).all()
    assert events == ["complaint.lodged"]
    (mail,) = outbox_messages(app, "complaint_lodged")
    assert mail.recipient == "quentin@example.org"
    assert reference in mail.body and f"token={token}" in mail.body


def test_a_logged_in_complainant_sees_the_status_without_the_token(app, registry, make_user):
    rid = registry.add(Person("Bruno Subject"))
    member = make_user("member")
    client = logged_in(app, member)
    form = client.get(f"/complaints/new?registry_id={rid}").get_data(as_text=True)
    assert 'name="email"' not in form  # the account is the address
    reference, _link = lodged(lodge(client, rid))
    assert client.get(f"/complaints/status/{reference}").status_code == 200
    assert app.test_client().get(f"/complaints/status/{reference}").status_code == 404
    stranger = logged_in(app, make_user("learner"))
    assert stranger.get(f"/complaints/status/{reference}").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Complaint.complainant_id)) == member.id
    (mail,) = outbox_messages(app, "complaint_lodged")
    assert mail.recipient == member.email


def test_the_subject_cannot_complain_about_themselves(app, registry):
    rid = registry.add(Person("Self Complainer"))
    client = logged_in(app, registry.users[rid])
    response = lodge(client, rid)
    assert response.status_code == 200
    assert "You cannot lodge a complaint about yourself." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Complaint.id)) is None


def test_anonymous_complaints_are_rate_limited(app, registry, make_user):
    rid = registry.add(Person("Rita Limited"))
    client = app.test_client()
    for n in range(5):
        lodged(lodge(client, rid, description=f"Complaint number {n}."))
    response = lodge(client, rid, description="The sixth complaint.")
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Wait an hour and try again, or log in" in page
    assert "The sixth complaint." in page  # the form comes back filled in
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Complaint)) == 5
    # A logged-in complainant is not limited by the address's budget.
    member = logged_in(app, make_user("member"))
    lodged(lodge(member, rid, description="From an account."))


def test_files_are_checked_and_only_staff_download_them(app, registry, make_user):
    rid = registry.add(Person("Fiona Files"))
    client = app.test_client()
    response = lodge(
        client,
        rid,
        description="Here is a fake file.",
        evidence=[(io.BytesIO(b"MZ not a pdf"), "report.pdf")],
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "is not a PDF, PNG or JPEG file" in page and "Here is a fake file." in page
    with app.app_context():
        assert db.session.scalar(select(Complaint.id)) is None
    too_many = [(io.BytesIO(PDF), f"page{n}.pdf") for n in range(6)]
    response = lodge(client, rid, description="Too many files.", evidence=too_many)
    assert "Attach at most 5 files" in response.get_data(as_text=True)
    reference, _link = lodged(
        lodge(client, rid, description="With a report.", evidence=[(io.BytesIO(PDF), "r.pdf")])
    )
    with app.app_context():
        evidence_id = db.session.scalar(select(ComplaintEvidence.id))
    url = f"/staff/complaints/evidence/{evidence_id}"
    assert logged_in(app, make_user("learner")).get(url).status_code == 403
    assert app.test_client().get(url).status_code == 302  # to the log-in
    download = logged_in(app, make_user("staff")).get(url)
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert complaint_id(app, reference)


def test_a_complaint_about_a_firm(app, registry, make_user):
    registry.add(Person("Firm Person", firms=["Shady Audits AS"]))
    with app.app_context():
        from educational.accreditation.models import AuditFirm

        firm_id = db.session.scalar(select(AuditFirm.id))
    reference, link = lodged(lodge(app.test_client(), firm_id=firm_id, description="Bad firm."))
    assert "Shady Audits AS" in app.test_client().get(link).get_data(as_text=True)
    staff = logged_in(app, make_user("staff"))
    page = staff.get(f"/staff/complaints/{complaint_id(app, reference)}").get_data(as_text=True)
    assert "Shady Audits AS" in page and "Invite the person" not in page

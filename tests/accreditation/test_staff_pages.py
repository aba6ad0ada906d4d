"""Who may open what, the staff pages' filters and counts, status actions from the page,
CSV exports, and audit firms."""

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from educational.accreditation.models import Accreditation, AuditFirm, FirmAffiliation
from educational.core.audit import AuditEvent
from educational.core.db import db
from tests.builders.accreditation import apply, decide, qualify
from tests.builders.people import logged_in

STAFF_PAGES = [
    "/staff/accreditation/",
    "/staff/accreditation/applications",
    "/staff/accreditation/applications.csv",
    "/staff/accreditation/accreditations",
    "/staff/accreditation/accreditations.csv",
    "/staff/firms/",
    "/staff/firms/new",
]


@pytest.fixture
def accredited(app, make_user, synced_courses):
    """(learner, staff, accreditation id, application id)"""
    learner, staff = make_user("learner", name="=HYPERLINK(1)"), make_user("staff")
    qualify(app, learner.id, staff.id)
    application_id = apply(app, learner.id)
    decide(app, application_id, staff.id, reason="@SUM(A1) fine")
    with app.app_context():
        return learner, staff, db.session.scalar(select(Accreditation.id)), application_id


@pytest.mark.parametrize("role", ["learner", "member"])
def test_learners_and_members_cannot_open_staff_pages(app, make_user, synced_courses, role):
    client = logged_in(app, make_user(role))
    for url in STAFF_PAGES:
        assert client.get(url).status_code == 403, url
    for url in (
        "/staff/accreditation/applications/1",
        "/staff/accreditation/accreditations/1",
        "/staff/firms/1",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post("/staff/accreditation/accreditations/1/suspend").status_code == 403
    assert client.post("/staff/accreditation/applications/1/decide").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(app):
    for url in [*STAFF_PAGES, "/accreditation/", "/accreditation/applications/new"]:
        response = app.test_client().get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_staff_pages_open_for_staff(app, accredited):
    _learner, staff, accreditation_id, application_id = accredited
    client = logged_in(app, staff)
    for url in [
        *STAFF_PAGES,
        f"/staff/accreditation/applications/{application_id}",
        f"/staff/accreditation/accreditations/{accreditation_id}",
    ]:
        assert client.get(url).status_code == 200, url


def test_a_learner_cannot_see_another_learners_application(app, make_user, synced_courses):
    owner, other = make_user("learner"), make_user("learner")
    application_id = apply(app, owner.id, submit=False)
    client = logged_in(app, other)
    base = f"/accreditation/applications/{application_id}"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/edit").status_code == 404
    assert client.post(f"{base}/edit", data={"role": "auditor"}).status_code == 404
    assert client.post(f"{base}/submit").status_code == 404
    assert client.post(f"{base}/withdraw").status_code == 404
    assert client.get("/accreditation/applications/new?renew=999").status_code == 404
    # The owner can.
    assert logged_in(app, owner).get(base).status_code == 200


def test_pages_work_before_the_scheme_is_synced(app, make_user):
    learner, staff = make_user("learner"), make_user("staff")
    client = logged_in(app, learner)
    assert "not loaded yet" in client.get("/accreditation/").get_data(as_text=True)
    page = client.post("/accreditation/applications/new", data={"role": "auditor"}).get_data(
        as_text=True
    )
    assert "not loaded yet" in page
    assert logged_in(app, staff).get("/staff/accreditation/").status_code == 200


def test_the_queue_counts_ages_and_filters(app, make_user, synced_courses):
    learner, ready, staff = make_user("learner"), make_user("learner"), make_user("staff")
    qualify(app, ready.id, staff.id)
    apply(app, learner.id)
    apply(app, ready.id)
    apply(app, learner.id, role="specialist", scopes=(), areas=("human-rights",), submit=False)
    client = logged_in(app, staff)
    page = client.get("/staff/accreditation/").get_data(as_text=True)
    assert "Applications by status" in page
    page = client.get("/staff/accreditation/applications").get_data(as_text=True)
    assert learner.name in page and ready.name in page
    assert page.index(learner.name) < page.index(ready.name)  # oldest first
    page = client.get("/staff/accreditation/applications?flagged=1").get_data(as_text=True)
    assert learner.name in page and ready.name not in page
    page = client.get(f"/staff/accreditation/applications?q={ready.email}").get_data(as_text=True)
    assert ready.name in page and learner.name not in page
    page = client.get("/staff/accreditation/applications?status=draft").get_data(as_text=True)
    assert learner.name in page and ready.name not in page
    page = client.get("/staff/accreditation/applications?status=bogus&role=specialist").get_data(
        as_text=True
    )
    assert "No application matches." in page


def test_status_actions_from_the_page(app, accredited, make_user):
    _learner, _staff, accreditation_id, _application_id = accredited
    client = logged_in(app, make_user("admin"))
    url = f"/staff/accreditation/accreditations/{accreditation_id}"
    # A reason is required; the page comes back with the message.
    response = client.post(f"{url}/suspend", data={"reason": " "})
    assert response.status_code == 200 and "Write the reason" in response.get_data(as_text=True)
    # A transition the state machine refuses shows its message, not an error page.
    response = client.post(f"{url}/reinstate", data={"reason": "Why not."})
    assert response.status_code == 200
    assert "Only a suspended accreditation can be reinstated." in response.get_data(as_text=True)
    assert client.post(f"{url}/promote", data={"reason": "x"}).status_code == 404
    assert client.post(f"{url}/withdraw", data={"reason": "Fraud."}).status_code == 302
    response = client.post(f"{url}/suspend", data={"reason": "Again."})
    assert response.status_code == 200
    assert "Only an active accreditation can be suspended." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Accreditation, accreditation_id).status == "withdrawn"
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "accreditation.withdrawn")
        )
        assert event.data["reason"] == "Fraud." and event.data["from_status"] == "active"


def test_csv_exports_defuse_formulas(app, accredited):
    _learner, staff, _accreditation_id, _application_id = accredited
    client = logged_in(app, staff)
    response = client.get("/staff/accreditation/applications.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["id", "applicant", "email"]
    (row,) = rows[1:]
    record = dict(zip(rows[0], row, strict=True))
    assert record["applicant"] == "'=HYPERLINK(1)"
    assert record["staff_comment"] == "'@SUM(A1) fine"
    assert record["status"] == "approved" and record["scopes"] == "PS/aluminium-smelting"

    response = client.get("/staff/accreditation/accreditations.csv?status=active")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["registry_id"] == "ASI-000001" and record["name"] == "'=HYPERLINK(1)"
    assert record["scopes"] == "PS/aluminium-smelting/v3" and record["public"] == "yes"
    response = client.get("/staff/accreditation/accreditations.csv?status=suspended")
    assert len(list(csv.reader(io.StringIO(response.get_data(as_text=True))))) == 1


def test_the_accreditations_list_filters(app, accredited):
    _learner, staff, _accreditation_id, _application_id = accredited
    client = logged_in(app, staff)
    assert "ASI-000001" in client.get("/staff/accreditation/accreditations").get_data(as_text=True)
    for query in ("status=active", "standard=PS", "q=asi-000001", "expiring=5000", "role=auditor"):
        page = client.get(f"/staff/accreditation/accreditations?{query}").get_data(as_text=True)
        assert "ASI-000001" in page, query
    for query in ("status=expired", "standard=COC", "q=nobody", "expiring=10", "role=specialist"):
        page = client.get(f"/staff/accreditation/accreditations?{query}").get_data(as_text=True)
        assert "No accreditation matches." in page, query


def test_audit_firms(app, accredited, make_user, synced_courses):
    learner, staff, _accreditation_id, _application_id = accredited
    client = logged_in(app, staff)
    firm = {
        "name": "Nordic Assurance AS",
        "country": "NO",
        "accreditation_body": "Norsk Akkreditering",
        "accreditation_standard": "ISO/IEC 17021-1",
        "status": "active",
    }
    response = client.post("/staff/firms/new", data=firm)
    assert response.status_code == 302
    first_url = response.headers["Location"]
    # The same name again is refused, with the form filled in.
    response = client.post("/staff/firms/new", data={**firm, "name": "nordic assurance as"})
    assert response.status_code == 200
    assert "A firm of this name exists already" in response.get_data(as_text=True)
    response = client.post(
        "/staff/firms/new",
        data={**firm, "name": "Global Cert", "country": "DE", "accreditation_standard": "other"},
    )
    second_url = response.headers["Location"]

    # Edit.
    response = client.post(f"{first_url}/edit", data={**firm, "accreditation_body": "NA"})
    assert response.status_code == 302

    # A freelancer attached to both firms; an unknown registry id is refused.
    for url in (first_url, second_url):
        response = client.post(
            f"{url}/attach", data={"registry_id": "asi-000001", "since": "2026-01-01"}
        )
        assert response.status_code == 302
    response = client.post(
        f"{first_url}/attach", data={"registry_id": "ASI-999999", "since": "2026-01-01"}
    )
    assert "No accredited person has the registry id ASI-999999" in response.get_data(as_text=True)
    response = client.post(
        f"{first_url}/attach", data={"registry_id": "ASI-000001", "since": "2026-01-01"}
    )
    assert "already attached" in response.get_data(as_text=True)
    page = client.get(first_url).get_data(as_text=True)
    assert "ASI-000001" in page and learner.name in page

    with app.app_context():
        affiliation = db.session.scalar(
            select(FirmAffiliation).join(AuditFirm).where(AuditFirm.name == "Nordic Assurance AS")
        )
        affiliation_id, firm_id = affiliation.id, affiliation.firm_id
        assert db.session.get(AuditFirm, firm_id).accreditation_body == "NA"
        assert len(db.session.scalars(select(FirmAffiliation)).all()) == 2
    detach = f"/staff/firms/{firm_id}/affiliations/{affiliation_id}/detach"
    response = client.post(detach, data={"until": "2025-12-31"})
    assert response.status_code == 302
    assert "must be on or after" in client.get(first_url).get_data(as_text=True)
    assert client.post(detach, data={"until": "2026-06-30"}).status_code == 302
    with app.app_context():
        assert db.session.get(FirmAffiliation, affiliation_id).until == date(2026, 6, 30)
        recorded = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.subject_type == "audit_firms")
        ).all()
        assert recorded == [
            "firm.created",
            "firm.created",
            "firm.updated",
            "firm.person_attached",
            "firm.person_attached",
            "firm.person_detached",
        ]
    assert client.post(f"/staff/firms/{firm_id}/affiliations/999/detach").status_code == 404
    page = client.get("/staff/firms/").get_data(as_text=True)
    assert "Nordic Assurance AS" in page and "Global Cert" in page


def test_the_holder_can_withdraw_and_give_consent_to_publication(app, accredited, make_user):
    learner, _staff, _accreditation_id, _application_id = accredited
    client = logged_in(app, learner)
    assert client.post("/accreditation/consent", data={"public": "0"}).status_code == 302
    assert "Not listed in the public registry" in client.get("/accreditation/").get_data(
        as_text=True
    )
    client.post("/accreditation/consent", data={"public": "1"})
    with app.app_context():
        recorded = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "registry.consent_changed")
        ).all()
        assert [event.data["public"] for event in recorded] == [False, True]
    # Someone without a registry entry is told how to give consent.
    other = logged_in(app, make_user("learner"))
    response = other.post("/accreditation/consent", data={"public": "1"}, follow_redirects=True)
    assert "give your consent in your application" in response.get_data(as_text=True)

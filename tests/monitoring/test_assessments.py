"""Recording witness assessments and report reviews through the test client with CSRF on:
the form, its validation, evidence, permissions, the e-mail, the audit trail, the person's
page and the staff's list of witnesses due."""

import json
from datetime import timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import event, select

from educational.accounts import sessions
from educational.accounts.models import User
from educational.core.audit import AuditEvent
from educational.core.db import db, today
from educational.monitoring.models import Assessment, AssessmentEvidence
from tests.builders.experience import PDF, files_in, upload
from tests.builders.people import logged_in, waiting_count
from tests.builders.people import post as post_form
from tests.builders.registry import Person, days
from tests.conftest import outbox_messages

pytestmark = pytest.mark.csrf

NEW = "/staff/monitoring/new"


def accreditation_id(app, registry_id: str) -> int:
    from educational.accreditation.models import Accreditation, RegistryProfile

    with app.app_context():
        return db.session.scalar(
            select(Accreditation.id)
            .join(RegistryProfile)
            .where(RegistryProfile.registry_id == registry_id)
        )


def form(accreditation: int, **overrides) -> dict:
    data = {
        "accreditation_id": str(accreditation),
        "kind": "witness",
        "assessed_on": (today() - timedelta(days=3)).isoformat(),
        "entity": "Hydro Sunndal",
        "standard": "PS",
        "sector": "aluminium-smelting",
        "country": "NO",
        "assessor_name": "Ingrid Assessor",
        "result": "major_concerns",
        "notes": "Sampling of the waste records was too thin.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def people(app, registry, make_user):
    """An accredited auditor (valid from 200 days ago), another learner, and staff."""
    registry_id = registry.add(Person("Aino Auditor"))
    auditor = registry.users[registry_id]
    return {
        "auditor": auditor,
        "accreditation": accreditation_id(app, registry_id),
        "registry_id": registry_id,
        "other": make_user("learner"),
        "staff": make_user("staff"),
    }


def test_staff_record_a_witness_and_the_person_sees_it(app, people, evidence_dir):
    staff = logged_in(app, people["staff"])
    response = post_form(
        staff,
        NEW,
        {**form(people["accreditation"]), "evidence": [upload(PDF, "witness report.pdf")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert f"/staff/monitoring/people/{people['auditor'].id}" in response.headers["Location"]

    with app.app_context():
        assessment = db.session.scalars(select(Assessment)).one()
        assert (assessment.kind, assessment.result, assessment.user_id) == (
            "witness",
            "major_concerns",
            people["auditor"].id,
        )
        assert assessment.created_by_id == people["staff"].id
        (item,) = assessment.evidence
        assert item.display_name == "witness report.pdf"
        evidence_id = item.id
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.subject_type == "monitoring_assessments")
        ).all()
        assert [e.action for e in events] == ["assessment.witness_recorded"]
        assert json.loads(events[0].payload)["result"] == "major_concerns"
    assert len(files_in(evidence_dir)) == 1

    # The staff page of the person shows it.
    page = staff.get(f"/staff/monitoring/people/{people['auditor'].id}").get_data(as_text=True)
    assert "Hydro Sunndal" in page and "Major concerns" in page

    # The person sees their assessment, the notes, the file and an appeal link.
    person = logged_in(app, people["auditor"])
    page = person.get("/monitoring/").get_data(as_text=True)
    assert "Hydro Sunndal" in page
    assert "Sampling of the waste records was too thin." in page
    assert "Major concerns" in page
    assert f"/appeals/new/witness_assessment/{assessment.id}" in page
    assert "major concerns" in page  # why the next witness is due
    download = person.get(f"/monitoring/evidence/{evidence_id}")
    assert download.status_code == 200 and download.data == PDF
    # The dashboard links to the page.
    assert "/monitoring/" in person.get("/dashboard").get_data(as_text=True)

    # Another person sees none of it.
    other = logged_in(app, people["other"])
    page = other.get("/monitoring/").get_data(as_text=True)
    assert "Hydro Sunndal" not in page
    assert other.get(f"/monitoring/evidence/{evidence_id}").status_code == 404
    assert other.get(f"/staff/monitoring/people/{people['auditor'].id}").status_code == 403


def test_no_appeal_is_offered_once_one_was_decided(app, people):
    from educational.appeals.models import Appeal, AppealStatus

    staff = logged_in(app, people["staff"])
    assert post_form(staff, NEW, form(people["accreditation"])).status_code == 302
    person = logged_in(app, people["auditor"])
    with app.app_context():
        assessment = db.session.scalar(select(Assessment))
        link = f"/appeals/new/witness_assessment/{assessment.id}"
        assert link in person.get("/monitoring/").get_data(as_text=True)
        db.session.add(
            Appeal(
                kind="witness_assessment",
                subject_id=assessment.id,
                appellant_id=people["auditor"].id,
                summary="Witness assessment",
                decision_at=assessment.created_at,
                grounds="The sample was fine.",
                status=AppealStatus.DECIDED,
                due_at=assessment.created_at + timedelta(days=60),
                outcome="upheld",
            )
        )
        db.session.commit()
    assert link not in person.get("/monitoring/").get_data(as_text=True)


def test_the_person_is_told_in_their_language(app, people):
    with app.app_context():
        db.session.get(User, people["auditor"].id).locale = "fr"
        db.session.commit()
    staff = logged_in(app, people["staff"])
    response = post_form(staff, NEW, form(people["accreditation"], result="minor_concerns"))
    assert response.status_code == 302
    (message,) = outbox_messages(app, "assessment_recorded")
    assert message.recipient == people["auditor"].email
    # Rendered in French: the date in French (the wording once the catalogue has it).
    day = today() - timedelta(days=3)
    assert format_date(day, "medium", locale="fr") in message.body
    assert format_date(day, "medium", locale="en") not in message.body
    # The role's name from scheme.yml in French, though staff wrote in English.
    assert "Auditeur accrédité ASI" in message.body
    assert "http://localhost/monitoring/" in message.body
    assert "Hydro Sunndal" in message.body


def test_validation_errors_keep_the_form_filled(app, people):
    staff = logged_in(app, people["staff"])
    data = form(
        people["accreditation"],
        entity="Kept Entity Name",
        assessor_name="",
        assessed_on=(today() + timedelta(days=5)).isoformat(),
        notes="Notes kept as typed",
    )
    response = post_form(staff, NEW, data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Enter the assessor&#39;s name." in page or "Enter the assessor's name." in page
    assert 'value="Kept Entity Name"' in page
    assert "Notes kept as typed" in page
    # The future date is refused by the service once the form is complete.
    response = post_form(staff, NEW, {**data, "assessor_name": "Ingrid"})
    assert response.status_code == 200
    assert "cannot be in the future" in response.get_data(as_text=True)
    assert 'value="Kept Entity Name"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Assessment)).all() == []


def test_a_bad_file_is_refused_and_nothing_is_kept(app, people, evidence_dir):
    staff = logged_in(app, people["staff"])
    response = post_form(
        staff,
        NEW,
        {**form(people["accreditation"]), "evidence": [upload(b"<svg></svg>", "x.svg")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "is not a PDF, PNG or JPEG file" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Assessment)).all() == []
        assert db.session.scalars(select(AssessmentEvidence)).all() == []
    assert files_in(evidence_dir) == []


def test_a_sector_outside_the_standard_is_refused(app, people):
    staff = logged_in(app, people["staff"])
    response = post_form(staff, NEW, form(people["accreditation"], sector="post-casthouse"))
    assert response.status_code == 200
    assert "not one of the standard" in response.get_data(as_text=True)


def test_a_learner_cannot_record(app, people):
    learner = logged_in(app, people["other"])
    assert learner.get(NEW).status_code == 403
    # With a valid token (from a page the learner may open): refused for who they are.
    response = post_form(learner, NEW, form(people["accreditation"]), form_url="/account")
    assert response.status_code == 403
    assert learner.get("/staff/monitoring/").status_code == 403
    with app.app_context():
        assert db.session.scalars(select(Assessment)).all() == []


def test_without_csrf_token_nothing_is_recorded(app, people):
    staff = logged_in(app, people["staff"])
    response = staff.post(NEW, data=form(people["accreditation"]))
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalars(select(Assessment)).all() == []


def test_only_witnessed_roles_get_witness_assessments(app, registry, people):
    specialist = registry.add(
        Person("Sven Specialist", role="specialist", scopes=[], specialist_areas=["human-rights"])
    )
    staff = logged_in(app, people["staff"])
    response = post_form(staff, NEW, form(accreditation_id(app, specialist)))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Not a valid choice" in page or "whose role is assessed this way" in page


def test_the_due_list_brings_the_next_witness_forward(app, registry, people):
    later = registry.add(Person("Lauri Later", valid_from=days(-10)))
    staff = logged_in(app, people["staff"])
    page = staff.get("/staff/monitoring/").get_data(as_text=True)
    assert "Aino Auditor" in page and "Lauri Later" in page
    assert "not witnessed yet this cycle" in page
    # Aino is first: her cycle started earlier.
    assert page.index("Aino Auditor") < page.index("Lauri Later")

    assert post_form(staff, NEW, form(people["accreditation"])).status_code == 302
    page = staff.get("/staff/monitoring/").get_data(as_text=True)
    assert "major concerns" in page
    # Due within 200 days: Aino (6 months from the witness) only.
    page = staff.get("/staff/monitoring/?within=200").get_data(as_text=True)
    assert "Aino Auditor" in page and "Lauri Later" not in page
    assert later


def statements_of(app, client, url: str) -> int:
    """How many SQL statements one GET of ``url`` runs."""
    counted = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: counted.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(counted)


def test_the_due_list_and_the_staff_home_read_a_fixed_number_of_statements(
    app, registry, people, monkeypatch
):
    """The next witness of every auditor is computed from facts read for all of them at
    once: five more auditors, with an assessment each, add no statement."""
    # The log-in session's "last seen" is written at most every TOUCH_EVERY: never here.
    monkeypatch.setattr(sessions, "TOUCH_EVERY", timedelta(days=1))
    staff = logged_in(app, people["staff"])
    staff.get("/staff")  # the first request of a session loads what later ones reuse
    before = {url: statements_of(app, staff, url) for url in ("/staff/monitoring/", "/staff")}
    for n in range(5):
        added = registry.add(Person(f"Extra Auditor {n}", valid_from=days(-100 - n)))
        assert post_form(staff, NEW, form(accreditation_id(app, added))).status_code == 302
    after = {url: statements_of(app, staff, url) for url in ("/staff/monitoring/", "/staff")}
    assert after == before
    assert "Extra Auditor 4" in staff.get("/staff/monitoring/").get_data(as_text=True)


def test_an_overdue_witness_is_flagged_and_counted_on_the_staff_page(app, registry, people):
    registry.add(Person("Olli Overdue", valid_from=days(-1200), valid_until=days(30)))
    staff = logged_in(app, people["staff"])
    page = staff.get("/staff/monitoring/").get_data(as_text=True)
    assert "overdue" in page
    home = staff.get("/staff").get_data(as_text=True)
    assert waiting_count(home, "Witnesses overdue or due within 30 days") == 1


def test_the_record_part_feeds_the_renewal_check(app, people):
    from educational.accreditation.checklist import person_record

    staff = logged_in(app, people["staff"])
    post_form(staff, NEW, form(people["accreditation"], result="satisfactory"))
    with app.app_context():
        record = person_record(people["auditor"].id)
    (found,) = record.assessments
    assert (found.kind, found.result, found.counts) == ("witness", "satisfactory", True)


def test_an_overturn_stops_it_counting(app, people):
    from educational.appeals.kinds import appeal_kinds

    staff = logged_in(app, people["staff"])
    post_form(staff, NEW, form(people["accreditation"]))
    with app.test_request_context():
        assessment = db.session.scalars(select(Assessment)).one()
        kind = appeal_kinds()["witness_assessment"]
        decision = kind.find(assessment.id)
        assert decision.person_id == people["auditor"].id
        assert decision.deciders == frozenset({people["staff"].id})
        assert decision.appealable
        other_staff = db.session.get(User, people["staff"].id)
        kind.overturn(assessment.id, other_staff, "The witness was too short.")
        db.session.commit()
        assert assessment.overturned_at is not None
        assert not kind.find(assessment.id).appealable
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.subject_type == "monitoring_assessments")
        ).all()
        assert actions == ["assessment.witness_recorded", "assessment.overturned"]
    page = logged_in(app, people["auditor"]).get("/monitoring/").get_data(as_text=True)
    assert "overturned on appeal" in page
    assert "/appeals/new/witness_assessment/" not in page


def test_a_satisfactory_result_is_not_appealable(app, people):
    from educational.appeals.kinds import appeal_kinds
    from educational.core.errors import NotAllowed

    staff = logged_in(app, people["staff"])
    post_form(staff, NEW, form(people["accreditation"], result="satisfactory"))
    page = logged_in(app, people["auditor"]).get("/monitoring/").get_data(as_text=True)
    assert "/appeals/new/witness_assessment/" not in page
    with app.test_request_context():
        assessment = db.session.scalars(select(Assessment)).one()
        kind = appeal_kinds()["witness_assessment"]
        assert not kind.find(assessment.id).appealable
        with pytest.raises(NotAllowed):
            kind.overturn(assessment.id, db.session.get(User, people["staff"].id), "x")


def test_a_report_review_is_recorded_and_does_not_reset_the_witness_interval(app, people):
    staff = logged_in(app, people["staff"])
    response = post_form(
        staff, NEW, form(people["accreditation"], kind="report_review", result="satisfactory")
    )
    assert response.status_code == 302
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.subject_type == "monitoring_assessments")
        ).all()
    assert actions == ["assessment.report_review_recorded"]
    (message,) = outbox_messages(app, "assessment_recorded")
    assert message.subject == "A review of your audit report is recorded"
    page = staff.get("/staff/monitoring/").get_data(as_text=True)
    assert "not witnessed yet this cycle" in page


def test_an_upheld_complaint_brings_the_next_witness_forward(app, people, monkeypatch):
    from educational.complaints import facts

    upheld = today() - timedelta(days=10)
    monkeypatch.setattr(
        facts,
        "upheld_complaint_days_by_user",
        lambda user_ids: {people["auditor"].id: [upheld]},
    )
    staff = logged_in(app, people["staff"])
    page = staff.get("/staff/monitoring/").get_data(as_text=True)
    row = page[page.index(f'id="due-{people["accreditation"]}"') :]
    row = row[: row.index("</tr>")]
    assert "upheld complaint" in row
    with app.test_request_context():
        from educational.accreditation.rules.periods import add_months

        assert f'datetime="{add_months(upheld, 3).isoformat()}"' in row

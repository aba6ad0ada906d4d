"""Applications and decisions through the services: the checklist snapshot, submission with
unmet requirements, approval (registry id, accreditation, status change, audit, e-mail),
four-eyes, the reviewer who is the applicant, information requests, renewals."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from educational.accounts.models import User
from educational.accreditation import decisions, granting, services
from educational.accreditation.models import (
    Accreditation,
    AccreditationScope,
    Application,
    RegistryProfile,
    StatusChange,
)
from educational.catalog.models import Course
from educational.core.audit import AuditEvent
from educational.core.db import db, today, utcnow
from educational.core.errors import DomainError, NotAllowed
from educational.experience import services as experience
from tests.builders.accreditation import apply, decide, qualify, set_four_eyes, witnessed
from tests.builders.experience import SMELTING, log_cpd_cycle, qualifying_audit
from tests.conftest import outbox_messages


def application(app, application_id: int) -> Application:
    with app.app_context():
        row = db.session.get(Application, application_id)
        db.session.expunge(row)
        return row


def accreditation_of(app, user_id: int) -> dict:
    """The person's (single) accreditation as plain data."""
    with app.app_context():
        (row,) = services.accreditations_of(user_id)
        return {
            "id": row.id,
            "registry_id": row.profile.registry_id,
            "public": row.profile.public,
            "role": row.role,
            "status": row.status,
            "valid_from": row.valid_from,
            "valid_until": row.valid_until,
            "countries": row.countries,
            "scopes": [(s.standard, s.sector, s.version, s.status) for s in row.scopes],
            "changes": [(c.from_status, c.to_status, c.reason) for c in row.changes],
        }


def actions(app, subject_type: str | None = None) -> list[str]:
    with app.app_context():
        query = select(AuditEvent.action).order_by(AuditEvent.id)
        if subject_type:
            query = query.where(AuditEvent.subject_type == subject_type)
        return list(db.session.scalars(query))


@pytest.fixture
def people(make_user, synced_courses):
    """A learner and two staff members."""
    return make_user("learner"), make_user("staff"), make_user("admin")


# The checklist and submission


def test_submission_with_unmet_requirements_is_allowed_and_flagged(app, people):
    learner, _staff, _admin = people
    application_id = apply(app, learner.id)
    row = application(app, application_id)
    assert row.status == "submitted" and row.submitted_at is not None
    codes = {item["code"]: item for item in row.checklist}
    assert set(codes) == {
        "course:asi-auditor",
        "standard_course:PS",
        "qualification:management-system-auditor",
        "audits",
        f"sector_experience:PS/{SMELTING}",
        "country_experience:NO",
    }
    assert not any(item["met"] for item in row.checklist)
    assert codes["audits"]["reason"].startswith("0 of 4 audits")
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "application.submitted")
        )
        assert event.subject_id == str(application_id)
        assert "course:asi-auditor" in event.data["unmet"]


def test_a_qualified_learner_meets_every_requirement(app, people):
    learner, staff, _admin = people
    qualify(app, learner.id, staff.id)
    application_id = apply(app, learner.id)
    assert all(item["met"] for item in application(app, application_id).checklist)


def test_only_verified_experience_counts(app, people):
    learner, staff, _admin = people
    qualify(app, learner.id, staff.id, audits=3)
    with app.test_request_context():
        # A fourth audit, submitted but not verified.
        user = db.session.get(User, learner.id)
        experience.create_entry(
            user, "audit", qualifying_audit(today() - timedelta(days=5)), submit=True
        )
        db.session.commit()
    application_id = apply(app, learner.id)
    audits = next(i for i in application(app, application_id).checklist if i["code"] == "audits")
    assert not audits["met"] and audits["reason"].startswith("3 of 4 audits")


def test_choices_are_checked_against_the_scheme(app, people):
    learner, _staff, _admin = people
    with app.test_request_context():
        user = db.session.get(User, learner.id)
        for choices, field in (
            (services.Choices("pilot"), "role"),
            (services.Choices("auditor", [("PS", "post-casthouse")]), "scopes"),
            (services.Choices("auditor", [("XX", SMELTING)]), "scopes"),
            (services.Choices("auditor", countries=["ZZ"]), "countries"),
        ):
            with pytest.raises(DomainError) as refused:
                services.create_application(user, choices)
            assert refused.value.field == field
        # A specialist has no scopes; an auditor no specialist areas: dropped, not refused.
        draft = services.create_application(
            user, services.Choices("specialist", [("PS", SMELTING)], [], ["human-rights"])
        )
        assert draft.scopes == [] and draft.specialist_areas == ["human-rights"]
        # Something must be chosen before submission.
        empty = services.create_application(user, services.Choices("auditor"))
        with pytest.raises(DomainError, match="at least one scope"):
            services.submit_application(empty, user)


def test_one_open_application_per_role(app, people):
    learner, _staff, _admin = people
    apply(app, learner.id, submit=False)
    with pytest.raises(DomainError, match="open application for this role"):
        apply(app, learner.id)
    # Another role is fine.
    apply(app, learner.id, role="specialist", scopes=(), areas=("human-rights",), submit=False)


def test_withdraw_an_application(app, people):
    learner, staff, _admin = people
    application_id = apply(app, learner.id)
    with app.test_request_context():
        row = db.session.get(Application, application_id)
        with pytest.raises(DomainError, match="Only the applicant"):
            services.withdraw_application(row, db.session.get(User, staff.id))
        services.withdraw_application(row, db.session.get(User, learner.id))
        db.session.commit()
        with pytest.raises(NotAllowed):
            services.withdraw_application(row, db.session.get(User, learner.id))
    assert application(app, application_id).status == "withdrawn"
    assert "application.withdrawn" in actions(app, "applications")
    with pytest.raises(NotAllowed):
        decide(app, application_id, staff.id)


# Decisions


def test_approval_creates_the_profile_the_accreditation_and_the_record(app, people):
    learner, staff, _admin = people
    qualify(app, learner.id, staff.id)
    application_id = apply(app, learner.id, consent=True)
    assert decide(app, application_id, staff.id, reason="All evidence checked.") == "approved"

    row = application(app, application_id)
    assert (row.status, row.decided_by_id, row.staff_comment) == (
        "approved",
        staff.id,
        "All evidence checked.",
    )
    assert row.decision_checklist and all(item["met"] for item in row.decision_checklist)
    held = accreditation_of(app, learner.id)
    assert held["registry_id"] == "ASI-000001" and held["public"] is True
    assert held["status"] == "active" and held["role"] == "auditor"
    assert held["valid_from"] == today()
    assert held["valid_until"] == granting.validity_end(today(), 3)
    assert held["valid_until"] == date(today().year + 3, today().month, today().day) - timedelta(
        days=1
    )
    assert held["scopes"] == [("PS", SMELTING, "3", "active")]
    assert held["countries"] == ["NO"]
    assert held["changes"] == [(None, "active", "All evidence checked.")]
    assert actions(app)[-3:] == [
        "registry.profile_created",
        "accreditation.granted",
        "application.approved",
    ]
    (mail,) = outbox_messages(app, "application_approved")
    assert mail.recipient == learner.email
    assert "ASI-000001" in mail.body and "All evidence checked." in mail.body


def test_registry_ids_are_sequential_never_reused_and_skip_taken_ones(app, make_user, people):
    learner, staff, _admin = people
    others = [make_user("learner") for _ in range(2)]
    with app.app_context():
        # An id written by other means (an import) is never issued again.
        db.session.add(
            RegistryProfile(user_id=others[1].id, registry_id="ASI-000002", public=False)
        )
        db.session.commit()
    for person in (learner, others[0]):
        qualify(app, person.id, staff.id)
        decide(app, apply(app, person.id), staff.id)
    assert accreditation_of(app, learner.id)["registry_id"] == "ASI-000001"
    assert accreditation_of(app, others[0].id)["registry_id"] == "ASI-000003"
    with app.app_context():
        assert granting.next_registry_id("ASI") == "ASI-000004"
        db.session.rollback()  # a rolled-back allocation gives its number back
        assert granting.next_registry_id("XYZ") == "XYZ-000001"


def test_the_reviewer_can_never_be_the_applicant(app, people):
    _learner, staff, admin = people
    qualify(app, staff.id, admin.id)
    application_id = apply(app, staff.id)
    for decision in ("approve", "reject", "request_info"):
        with pytest.raises(DomainError, match="your own application"):
            decide(app, application_id, staff.id, decision)
    assert application(app, application_id).status == "submitted"
    assert decide(app, application_id, admin.id) == "approved"


def test_a_written_reason_is_required(app, people):
    learner, staff, _admin = people
    application_id = apply(app, learner.id)
    for decision in ("approve", "reject", "request_info"):
        with pytest.raises(DomainError) as refused:
            decide(app, application_id, staff.id, decision, reason="   ")
        assert refused.value.field == "reason"


def test_approving_unmet_requirements_needs_an_explicit_override(app, people):
    learner, staff, _admin = people
    qualify(app, learner.id, staff.id, audits=3)
    application_id = apply(app, learner.id)
    with pytest.raises(DomainError, match="1 requirement is not met") as refused:
        decide(app, application_id, staff.id)
    assert refused.value.field == "override_unmet"
    decide(
        app,
        application_id,
        staff.id,
        reason="Fourth audit confirmed by phone.",
        **{"override_unmet": True},
    )
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "application.approved")
        )
        assert event.data["unmet_overridden"] == ["audits"]


def test_reject_is_final_and_mailed(app, people):
    learner, staff, _admin = people
    application_id = apply(app, learner.id)
    assert decide(app, application_id, staff.id, "reject", "No experience yet.") == "rejected"
    (mail,) = outbox_messages(app, "application_rejected")
    assert "No experience yet." in mail.body
    with pytest.raises(NotAllowed):
        decide(app, application_id, staff.id, "approve")
    with app.app_context():
        assert services.accreditations_of(learner.id) == []


def test_four_eyes_needs_a_second_staff_member(app, people):
    learner, staff, admin = people
    set_four_eyes(app)
    qualify(app, learner.id, staff.id)
    application_id = apply(app, learner.id)
    assert decide(app, application_id, staff.id, reason="First look: fine.") == "first_approval"
    row = application(app, application_id)
    assert (row.status, row.first_approver_id) == ("first_approval", staff.id)
    with app.app_context():
        assert services.accreditations_of(learner.id) == []
    assert len(outbox_messages(app, "application_first_approval")) == 1

    with pytest.raises(NotAllowed, match="different staff member"):
        decide(app, application_id, staff.id, reason="Me again.")
    assert decide(app, application_id, admin.id, reason="Second look: fine.") == "approved"
    row = application(app, application_id)
    assert (row.status, row.decided_by_id, row.first_approver_id) == (
        "approved",
        admin.id,
        staff.id,
    )
    assert accreditation_of(app, learner.id)["registry_id"] == "ASI-000001"
    assert actions(app, "applications")[-2:] == [
        "application.first_approval",
        "application.approved",
    ]


def test_information_request_round_trip(app, people):
    learner, staff, admin = people
    qualify(app, learner.id, staff.id, country="DE")
    application_id = apply(app, learner.id, countries=("NO",))
    assert not all(item["met"] for item in application(app, application_id).checklist)
    decide(app, application_id, staff.id, "request_info", "No experience in Norway: add Germany?")
    row = application(app, application_id)
    assert row.status == "info_requested" and row.staff_comment.startswith("No experience")
    (mail,) = outbox_messages(app, "application_info_requested")
    assert "add Germany?" in mail.body
    with pytest.raises(NotAllowed):
        decide(app, application_id, staff.id)

    with app.test_request_context():
        user, row = db.session.get(User, learner.id), db.session.get(Application, application_id)
        services.update_application(
            row, user, services.Choices("auditor", [("PS", SMELTING)], ["DE"], [], True)
        )
        services.submit_application(row, user)
        db.session.commit()
    row = application(app, application_id)
    assert row.status == "submitted" and all(item["met"] for item in row.checklist)
    assert actions(app, "applications") == [
        "application.submitted",
        "application.info_requested",
        "application.resubmitted",
    ]
    decide(app, application_id, admin.id)
    assert accreditation_of(app, learner.id)["countries"] == ["DE"]


def test_an_initial_application_for_a_role_held_is_refused(app, people):
    learner, staff, _admin = people
    qualify(app, learner.id, staff.id)
    decide(app, apply(app, learner.id), staff.id)
    with pytest.raises(DomainError, match="Apply for its renewal"):
        apply(app, learner.id)


# Renewals


def test_renewal_rechecks_the_last_years_and_extends_the_same_accreditation(app, people):
    learner, staff, admin = people
    qualify(app, learner.id, staff.id)
    decide(app, apply(app, learner.id), staff.id)
    held = accreditation_of(app, learner.id)
    with app.app_context():
        # Three years on: the accreditation expired and the audits are old.
        row = db.session.get(Accreditation, held["id"])
        row.valid_from, row.valid_until = date(2023, 10, 1), today() - timedelta(days=3)
        row.expire(on=utcnow())
        db.session.commit()
    renewal_id = apply(app, learner.id, renew=held["id"], countries=("NO", "DE"))
    row = application(app, renewal_id)
    assert (row.kind, row.role, row.accreditation_id) == ("renewal", "auditor", held["id"])
    assert {i["code"]: i["met"] for i in row.checklist}["country_experience:DE"] is False

    with app.test_request_context():
        # Audits that ended more than 3 years ago do not count for a renewal.
        evaluation = services.evaluate_application(
            services.require_scheme(),
            db.session.get(Application, renewal_id),
            as_of=today() + timedelta(days=3 * 365 + 10),
        )
        audits = next(r for r in evaluation.results if r.code == "audits")
        assert not audits.met

    decide(app, renewal_id, admin.id, reason="Renewed; DE added.", override_unmet=True)
    renewed = accreditation_of(app, learner.id)
    assert renewed["id"] == held["id"] and renewed["registry_id"] == held["registry_id"]
    assert renewed["status"] == "active"
    assert renewed["valid_from"] == today()
    assert renewed["valid_until"] == granting.validity_end(today(), 3)
    assert renewed["countries"] == ["NO", "DE"]
    assert renewed["changes"][-2:] == [
        ("active", "expired", "validity ended"),
        ("expired", "active", "Renewed; DE added."),
    ]
    assert "accreditation.renewed" in actions(app)


def test_renewal_requires_the_course_of_the_new_standard_version(app, people):
    learner, staff, admin = people
    with app.app_context():
        # A course for the previous version of PS, as the holder took years ago.
        db.session.add(
            Course(
                slug="ps-v2-auditors",
                title="Performance Standard V2",
                version="2018.1",
                language="en",
                languages=["en"],
                standard_code="PS",
                standard_version="2",
                required_for=["auditor"],
                translations={},
                certificate_validity_months=None,
                content_hash="x" * 64,
            )
        )
        db.session.commit()
    qualify(app, learner.id, staff.id, courses=("asi-auditor", "ps-v2-auditors"))
    log_cpd_cycle(app, learner.id, staff.id)  # the CPD a renewal needs
    decide(app, apply(app, learner.id), staff.id, override_unmet=True)
    witnessed(app, learner.id, staff.id)  # a renewal needs a witness in the cycle
    held = accreditation_of(app, learner.id)
    # Approved without a usable course: the scope says what the holder was trained for.
    assert held["scopes"] == [("PS", SMELTING, "2", "active")]

    renewal_id = apply(app, learner.id, renew=held["id"])
    reasons = {i["code"]: i for i in application(app, renewal_id).checklist}
    assert not reasons["standard_course:PS"]["met"]
    assert "version 3" in reasons["standard_course:PS"]["reason"]

    qualify(app, learner.id, staff.id, audits=0, qualification=False, courses=("ps-v3-auditors",))
    with app.test_request_context():
        row = db.session.get(Application, renewal_id)
        decisions.decide_application(
            row, db.session.get(User, admin.id), "request_info", "Take the V3 course."
        )
        services.submit_application(row, db.session.get(User, learner.id))
        db.session.commit()
    assert all(i["met"] for i in application(app, renewal_id).checklist)


def test_suspended_or_withdrawn_accreditations_cannot_be_renewed(app, people):
    learner, staff, admin = people
    qualify(app, learner.id, staff.id)
    decide(app, apply(app, learner.id), staff.id)
    held = accreditation_of(app, learner.id)
    with app.test_request_context():
        row = db.session.get(Accreditation, held["id"])
        decisions.change_status(row, db.session.get(User, staff.id), "suspend", "Complaint.")
        db.session.commit()
    with pytest.raises(DomainError, match="suspended accreditation cannot be renewed"):
        apply(app, learner.id, renew=held["id"])
    with app.test_request_context():
        row = db.session.get(Accreditation, held["id"])
        decisions.change_status(row, db.session.get(User, admin.id), "withdraw", "Upheld.")
        db.session.commit()
    with pytest.raises(DomainError, match="withdrawn accreditation cannot be renewed"):
        apply(app, learner.id, renew=held["id"])
    with pytest.raises(DomainError, match="was withdrawn"):
        apply(app, learner.id)


def test_status_changes_go_through_the_state_machine(app, people):
    learner, staff, _admin = people
    qualify(app, learner.id, staff.id)
    decide(app, apply(app, learner.id), staff.id)
    held = accreditation_of(app, learner.id)
    with app.test_request_context():
        row = db.session.get(Accreditation, held["id"])
        person = db.session.get(User, staff.id)
        with pytest.raises(NotAllowed, match="Only a suspended accreditation"):
            decisions.change_status(row, person, "reinstate", "Why not.")
        with pytest.raises(DomainError) as refused:
            decisions.change_status(row, person, "suspend", "")
        assert refused.value.field == "reason"
        with pytest.raises(DomainError, match="your own accreditation"):
            decisions.change_status(row, db.session.get(User, learner.id), "suspend", "x")
        decisions.change_status(row, person, "suspend", "Witness audit failed.")
        decisions.change_status(row, person, "reinstate", "Retrained.")
        db.session.commit()
        changes = db.session.scalars(
            select(StatusChange).where(StatusChange.accreditation_id == held["id"])
        ).all()
        assert [(c.from_status, c.to_status, c.actor_id) for c in changes] == [
            (None, "active", staff.id),
            ("active", "suspended", staff.id),
            ("suspended", "active", staff.id),
        ]
        assert db.session.scalar(select(AccreditationScope.status)) == "active"
    assert [m.subject for m in outbox_messages(app, "accreditation_status_changed")] == [
        "Your accreditation is suspended",
        "Your accreditation is reinstated",
    ]
    assert actions(app, "accreditations")[-2:] == [
        "accreditation.suspended",
        "accreditation.reinstated",
    ]

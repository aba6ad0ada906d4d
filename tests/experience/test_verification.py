"""Staff verification rules, the queue, deletion and the verified record for the rules engine."""

import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from educational.accounts.models import User
from educational.core.audit import AuditEvent
from educational.core.db import db, utcnow
from educational.core.errors import DomainError, NotAllowed
from educational.core.records import (
    AuditRecord,
    InterestDeclaration,
    LanguageRecord,
    QualificationRecord,
    VerifiedRecord,
    WorkRecord,
)
from educational.experience import services, verification
from educational.experience.models import Evidence, ExperienceEntry
from tests.builders.experience import PDF, audit_data, files_in
from tests.builders.people import logged_in

WORK = {
    "employer": "Alu AG",
    "position": "Plant manager",
    "sector": "aluminium-smelting",
    "country": "NO",
    "start_date": date(2015, 1, 1),
    "end_date": date(2019, 12, 31),
    "specialist_areas": ["ghg-emissions"],
    "description": "",
}
QUALIFICATION = {
    "title": "ISO 19011 lead auditor",
    "issuer": "IRCA",
    "qualification_kind": "management-system-auditor",
    "obtained_on": date(2018, 5, 2),
    "expires_on": None,
}
CONFLICT = {
    "entity": "Rheinwerk Aluminium GmbH",
    "nature": "consulting",
    "start_date": date(2022, 1, 1),
    "end_date": date(2022, 6, 30),
    "notes": "",
}


def user(user_id: int) -> User:
    return db.session.get(User, user_id)


def test_staff_cannot_decide_on_their_own_entries(app, make_user, synced_courses):
    reviewer, colleague = make_user("staff"), make_user("admin")
    with app.test_request_context():
        entry = services.create_entry(user(reviewer.id), "audit", audit_data(), submit=True)
        db.session.commit()
        entry_id = entry.id
        for decision, comment in (("verify", None), ("reject", "no"), ("request_info", "?")):
            with pytest.raises(DomainError, match="your own entry"):
                verification.decide(entry, user(reviewer.id), decision, comment)
        db.session.rollback()

    # Through the page too: refused, and the entry still waits.
    client = logged_in(app, reviewer)
    page = client.get(f"/staff/experience/{entry_id}").get_data(as_text=True)
    assert "This is your own entry" in page
    response = client.post(
        f"/staff/experience/{entry_id}/decide", data={"decision": "verify", "revision": "1"}
    )
    assert response.status_code == 200
    assert "You cannot decide on your own entry" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(ExperienceEntry, entry_id).status == "submitted"

    # Another staff member can.
    response = logged_in(app, colleague).post(
        f"/staff/experience/{entry_id}/decide", data={"decision": "verify", "revision": "1"}
    )
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.get(ExperienceEntry, entry_id)
        assert (entry.status, entry.verified_by_id) == ("verified", colleague.id)


def test_the_queue_lists_oldest_first_with_counts_and_ages(app, make_user, synced_courses):
    learner, staff = make_user("learner"), make_user("staff")
    now = utcnow()
    with app.test_request_context():
        owner = user(learner.id)
        ages = {"Newest GmbH": 0, "Oldest GmbH": 9, "Middle GmbH": 4}
        for entity, days in ages.items():
            entry = services.create_entry(owner, "audit", audit_data(entity=entity), submit=True)
            entry.submitted_at = now - timedelta(days=days, hours=1)
        services.create_entry(owner, "audit", audit_data(entity="Draft GmbH"))
        qualification = services.create_entry(owner, "qualification", QUALIFICATION, submit=True)
        qualification.submitted_at = now - timedelta(days=2, hours=1)
        db.session.commit()

    client = logged_in(app, staff)
    page = client.get("/staff/experience/").get_data(as_text=True)
    listed = re.findall(r">([A-Z][a-z]+ GmbH \(PS v3\)|ISO 19011 lead auditor)</a>", page)
    assert listed == [
        "Oldest GmbH (PS v3)",
        "Middle GmbH (PS v3)",
        "ISO 19011 lead auditor",
        "Newest GmbH (PS v3)",
    ]
    assert "Draft GmbH" not in page
    assert "9 days" in page
    with app.app_context():
        counts = {c.kind: (c.count, c.oldest_days) for c in verification.queue_counts()}
    assert counts["audit"] == (3, 9)
    assert counts["qualification"] == (1, 2)
    assert counts["work"] == (0, None)

    filtered = client.get("/staff/experience/?kind=qualification").get_data(as_text=True)
    assert "ISO 19011 lead auditor" in filtered
    assert "Oldest GmbH" not in filtered
    assert client.get("/staff/experience/?kind=nonsense").status_code == 200


def test_a_decision_on_a_changed_entry_is_refused(app, make_user, synced_courses):
    learner, staff = make_user("learner"), make_user("staff")
    with app.test_request_context():
        entry = services.create_entry(user(learner.id), "audit", audit_data(), submit=True)
        seen = entry.revision
        services.update_entry(entry, user(learner.id), audit_data(entity="Other site"))
        with pytest.raises(DomainError, match="changed this entry"):
            verification.decide(entry, user(staff.id), "verify", revision=seen)
        verification.decide(entry, user(staff.id), "verify", revision=entry.revision)
        assert entry.status == "verified"


def test_the_state_machine_refuses_invalid_transitions(app, make_user, synced_courses):
    learner, staff = make_user("learner"), make_user("staff")
    with app.test_request_context():
        owner, reviewer = user(learner.id), user(staff.id)
        draft = services.create_entry(owner, "audit", audit_data())
        with pytest.raises(NotAllowed):
            draft.verify(reviewer)
        services.submit_entry(draft, owner)
        with pytest.raises(NotAllowed):
            draft.submit()
        draft.verify(reviewer)
        with pytest.raises(NotAllowed):
            draft.reject(reviewer, "too late")
        with pytest.raises(NotAllowed):
            draft.submit()
        declaration = services.create_entry(owner, "conflict", CONFLICT)
        assert declaration.status == "declared"
        with pytest.raises(NotAllowed):
            declaration.submit()
        with pytest.raises(NotAllowed):
            declaration.verify(reviewer)
        draft.withdraw()
        with pytest.raises(NotAllowed):
            draft.changed_by_owner()


def test_verified_record_holds_only_what_counts(app, make_user, synced_courses):
    learner, other, staff = make_user("learner"), make_user("learner"), make_user("staff")
    with app.test_request_context():
        owner, reviewer = user(learner.id), user(staff.id)

        def verified(kind, data):
            entry = services.create_entry(owner, kind, data, submit=True)
            verification.decide(entry, reviewer, "verify")
            return entry

        audit = verified(
            "audit", audit_data(sectors=["aluminium-smelting", "casthouse"], audit_role="auditor")
        )
        work = verified("work", WORK)
        qualification = verified("qualification", QUALIFICATION)
        language = verified("language", {"language": "fr", "proficiency": "C1"})
        declared = services.create_entry(owner, "conflict", CONFLICT)
        # Not counted: a draft, a submitted, a rejected, an info-requested entry, a verified
        # entry changed since, a withdrawn one, and other people's.
        services.create_entry(owner, "audit", audit_data(entity="Draft"))
        services.create_entry(owner, "audit", audit_data(entity="Waiting"), submit=True)
        rejected = services.create_entry(owner, "audit", audit_data(entity="No"), submit=True)
        verification.decide(rejected, reviewer, "reject", "Not an ASI audit.")
        asked = services.create_entry(owner, "work", WORK, submit=True)
        verification.decide(asked, reviewer, "request_info", "Which plant?")
        changed = verified("language", {"language": "de", "proficiency": "B2"})
        services.update_entry(changed, owner, {"language": "de", "proficiency": "C1"})
        withdrawn = verified("audit", audit_data(entity="Gone"))
        services.delete_entry(withdrawn, owner)
        services.create_entry(user(other.id), "conflict", {**CONFLICT, "entity": "Theirs"})
        db.session.commit()

        record = services.verified_record(learner.id)

    assert record == VerifiedRecord(
        user_id=learner.id,
        audits=(
            AuditRecord(
                start=date(2024, 3, 4),
                end=date(2024, 3, 7),
                onsite_days=3.0,
                offsite_days=1.0,
                role="auditor",
                standard="PS",
                version="3",
                sectors=("aluminium-smelting", "casthouse"),
                country="DE",
                entity="Rheinwerk Aluminium GmbH",
                entry_id=audit.id,
            ),
        ),
        work=(
            WorkRecord(
                sector="aluminium-smelting",
                country="NO",
                start=date(2015, 1, 1),
                end=date(2019, 12, 31),
                specialist_areas=("ghg-emissions",),
                entry_id=work.id,
            ),
        ),
        qualifications=(
            QualificationRecord(
                kind="management-system-auditor",
                obtained=date(2018, 5, 2),
                expires=None,
                entry_id=qualification.id,
            ),
        ),
        languages=(LanguageRecord(language="fr", proficiency="C1", entry_id=language.id),),
        conflicts=(
            InterestDeclaration(
                entity="Rheinwerk Aluminium GmbH",
                start=date(2022, 1, 1),
                end=date(2022, 6, 30),
                nature="consulting",
                entry_id=declared.id,
            ),
        ),
    )
    assert record.audits[0].days == 4.0
    with pytest.raises(AttributeError):
        record.audits[0].role = "lead"  # frozen


def test_deleting_erases_unverified_entries_and_withdraws_verified_ones(
    app, make_user, synced_courses, evidence_dir
):
    learner, staff = make_user("learner"), make_user("staff")
    with app.test_request_context():
        owner, reviewer = user(learner.id), user(staff.id)
        draft = services.create_entry(
            owner, "audit", audit_data(), [(io.BytesIO(PDF), "draft.pdf")]
        )
        kept = services.create_entry(
            owner, "audit", audit_data(entity="Kept"), [(io.BytesIO(PDF), "kept.pdf")], submit=True
        )
        verification.decide(kept, reviewer, "verify")
        db.session.commit()
        draft_id, kept_id = draft.id, kept.id
        draft_file, kept_file = draft.evidence[0].stored_name, kept.evidence[0].stored_name
        locked = kept.evidence[0]
        assert locked.locked

        # A file that supported the verification cannot be removed.
        with pytest.raises(DomainError, match="stays on the record"):
            services.remove_evidence(locked, owner)

        services.delete_entry(draft, owner)
        # The file goes only once the deletion is committed.
        assert draft_file in files_in(evidence_dir)
        db.session.commit()
        assert files_in(evidence_dir) == [kept_file]
        assert db.session.get(ExperienceEntry, draft_id) is None

        assert services.delete_entry(kept, owner) is True
        db.session.commit()
        kept = db.session.get(ExperienceEntry, kept_id)
        assert kept.withdrawn_at is not None
        assert [e.stored_name for e in kept.evidence] == [kept_file]
        assert services.entries_of(owner)["audit"] == []
        assert services.verified_record(learner.id).audits == ()
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.subject_id == str(kept_id))
        ).all()
        assert actions[-1] == "experience.withdrawn"
    assert files_in(evidence_dir) == [kept_file]

    # The owner no longer sees it; staff still do, with its file.
    assert logged_in(app, learner).get(f"/experience/entries/{kept_id}").status_code == 404
    staff_client = logged_in(app, staff)
    page = staff_client.get(f"/staff/experience/{kept_id}").get_data(as_text=True)
    assert "Withdrawn" in page
    with app.app_context():
        evidence_id = db.session.scalar(select(Evidence.id).where(Evidence.entry_id == kept_id))
    assert staff_client.get(f"/experience/evidence/{evidence_id}").data == PDF


def test_learner_pages_show_each_kind(app, make_user, synced_courses):
    learner = make_user("learner")
    with app.test_request_context():
        owner = user(learner.id)
        for kind, data in (
            ("audit", audit_data()),
            ("work", WORK),
            ("qualification", QUALIFICATION),
            ("language", {"language": "pt", "proficiency": "native"}),
            ("conflict", CONFLICT),
        ):
            services.create_entry(owner, kind, data)
        db.session.commit()
        ids = [e.id for e in db.session.scalars(select(ExperienceEntry))]
    client = logged_in(app, learner)
    page = client.get("/experience/").get_data(as_text=True)
    for text in ("Plant manager, Alu AG", "ISO 19011 lead auditor", "Portuguese", "Draft"):
        assert text in page
    assert "Declared" in page
    for entry_id in ids:
        assert client.get(f"/experience/entries/{entry_id}").status_code == 200
        assert client.get(f"/experience/entries/{entry_id}/edit").status_code == 200
        assert client.get(f"/experience/entries/{entry_id}/delete").status_code == 200

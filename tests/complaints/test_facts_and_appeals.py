"""What other features read from complaints: upheld days (monitoring), upheld counts (the
registry, when the scheme publishes them), and the "complaint_outcome" appeal kind with its
overturn (a suspension reinstated, a withdrawal restored)."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from educational.accounts.models import User
from educational.accreditation.models import Accreditation
from educational.appeals.kinds import appeal_kinds
from educational.complaints import facts, public, services
from educational.complaints.models import Complaint
from educational.core.audit import AuditEvent
from educational.core.db import db, utcnow
from educational.core.errors import NotAllowed
from tests.builders.people import logged_in
from tests.builders.registry import Person
from tests.conftest import outbox_messages


def _decided(app, registry, make_user, outcome: str, name: str = "Upheld Person"):
    """(complaint id, subject user id, staff user id, profile id), decided with ``outcome``."""
    rid = registry.add(Person(name))
    staff = make_user("staff")
    with app.test_request_context():
        profile = services.public_profile(rid)
        complaint, _token = services.lodge(description="Bad audit.", profile=profile)
        actor = db.session.get(User, staff.id)
        services.acknowledge(complaint, actor)
        services.decide(complaint, actor, outcome, f"Decided: {outcome}.")
        db.session.commit()
        return complaint.id, profile.user_id, staff.id, profile.id


def test_upheld_days_and_counts(app, registry, make_user, monkeypatch):
    cid, user_id, _staff, profile_id = _decided(app, registry, make_user, "warning")
    _unfounded, other_user, _s, other_profile = _decided(
        app, registry, make_user, "unfounded", "Cleared Person"
    )
    with app.app_context():
        assert facts.upheld_complaint_days_by_user([user_id]).get(user_id, []) == [utcnow().date()]
        assert facts.upheld_complaint_days_by_user([other_user]).get(other_user, []) == []
        assert facts.upheld_complaint_days_by_user() == {user_id: [utcnow().date()]}
        # Not published by default.
        assert public.upheld_counts([profile_id, other_profile]) == {}
        monkeypatch.setattr(
            public, "rules", lambda: SimpleNamespace(publish_upheld_complaints=True)
        )
        assert public.upheld_counts([profile_id, other_profile]) == {profile_id: 1}
        db.session.get(Complaint, cid).overturned_at = utcnow()
        db.session.commit()
        assert facts.upheld_complaint_days_by_user([user_id]).get(user_id, []) == []
        assert public.upheld_counts([profile_id]) == {}


def test_the_appeal_kind_describes_the_decision(app, registry, make_user):
    cid, user_id, staff_id, _profile = _decided(app, registry, make_user, "suspension")
    unfounded, *_ = _decided(app, registry, make_user, "unfounded", "Cleared Person")
    with app.test_request_context():
        kind = appeal_kinds()["complaint_outcome"]
        decision = kind.find(cid)
        complaint = db.session.get(Complaint, cid)
        assert decision.person_id == user_id
        assert decision.deciders == frozenset({staff_id})
        assert decision.appealable and decision.accreditation_id == complaint.accreditation_id
        assert complaint.reference in decision.summary and "Suspension" in decision.summary
        assert decision.url == f"/staff/complaints/{cid}"
        assert not kind.find(unfounded).appealable
        assert kind.find(999999) is None


def test_the_subject_sees_the_appeal_link_while_the_window_is_open(app, registry, make_user):
    cid, user_id, *_ = _decided(app, registry, make_user, "warning")
    with app.app_context():
        subject = db.session.get(User, user_id)
        db.session.expunge(subject)
    holder = logged_in(app, subject)
    page = holder.get(f"/complaints/about-me/{cid}").get_data(as_text=True)
    assert f"/new/complaint_outcome/{cid}" in page
    with app.app_context():
        db.session.get(Complaint, cid).decided_at = utcnow() - timedelta(days=400)
        db.session.commit()
    page = holder.get(f"/complaints/about-me/{cid}").get_data(as_text=True)
    assert f"/new/complaint_outcome/{cid}" not in page


def test_an_overturn_reinstates_a_suspension(app, registry, make_user):
    cid, _user_id, *_ = _decided(app, registry, make_user, "suspension")
    other_staff = make_user("staff")
    with app.test_request_context():
        kind = appeal_kinds()["complaint_outcome"]
        kind.overturn(cid, db.session.get(User, other_staff.id), "The report was seen.")
        db.session.commit()
        complaint = db.session.get(Complaint, cid)
        assert complaint.overturned_at is not None
        assert db.session.get(Accreditation, complaint.accreditation_id).status == "active"
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions[-2:] == ["accreditation.reinstated", "complaint.overturned"]
        with pytest.raises(NotAllowed):
            kind.overturn(cid, db.session.get(User, other_staff.id), "Twice.")


def test_an_overturn_restores_a_withdrawal(app, registry, make_user):
    cid, _user_id, *_ = _decided(app, registry, make_user, "withdrawal")
    other_staff = make_user("staff")
    with app.test_request_context():
        complaint = db.session.get(Complaint, cid)
        assert complaint.accreditation.status == "withdrawn"
        appeal_kinds()["complaint_outcome"].overturn(
            cid, db.session.get(User, other_staff.id), "Wrong person."
        )
        db.session.commit()
        assert db.session.get(Accreditation, complaint.accreditation_id).status == "active"
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions[-2:] == ["accreditation.restored", "complaint.overturned"]
    mails = outbox_messages(app, "accreditation_status_changed")
    assert "reinstated and active again" in mails[-1].body

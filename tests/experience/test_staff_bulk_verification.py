"""Bulk verification from the staff queue (CSRF on): each ticked entry is verified on its own
or reported and left as it is (per-entry result, not all-or-nothing), and each learner gets
ONE digest e-mail listing their verified entries."""

import pytest
from sqlalchemy import func, select

from educational.accounts.models import User
from educational.core.audit import AuditEvent
from educational.core.db import db
from educational.experience import services
from educational.experience.models import ExperienceEntry
from tests.builders.experience import audit_data
from tests.builders.people import csrf_token, logged_in
from tests.conftest import outbox_messages

pytestmark = [pytest.mark.csrf, pytest.mark.usefixtures("synced_courses")]
QUEUE = "/staff/experience/"
VERIFY = "/staff/experience/verify"


def submitted_entries(app, user_id: int, n: int, *, submit: bool = True) -> list[int]:
    with app.test_request_context():
        user = db.session.get(User, user_id)
        ids = [
            services.create_entry(
                user, "audit", audit_data(entity=f"Smelter {i}"), submit=submit
            ).id
            for i in range(n)
        ]
        db.session.commit()
        return ids


def status(app, entry_id: int) -> str:
    with app.app_context():
        return db.session.get(ExperienceEntry, entry_id).status


def tick(app, entry_ids) -> list[str]:
    """The checkbox values the queue shows for the entries: "<id>:<revision>"."""
    with app.app_context():
        return [f"{i}:{db.session.get(ExperienceEntry, i).revision}" for i in entry_ids]


def test_verifies_the_ticked_entries_and_sends_one_digest_per_learner(app, make_user):
    ann, bob, staff = make_user("learner"), make_user("learner"), make_user("staff")
    anns, bobs = submitted_entries(app, ann.id, 7), submitted_entries(app, bob.id, 2)
    untouched = submitted_entries(app, ann.id, 1)
    client = logged_in(app, staff)
    page = client.get(QUEUE).get_data(as_text=True)
    for value in tick(app, anns + bobs):
        assert f'name="entry" value="{value}"' in page
    response = client.post(
        VERIFY,
        data={"entry": tick(app, anns + bobs), "csrf_token": csrf_token(client, QUEUE)},
        follow_redirects=True,
    )
    assert "9 entries verified" in response.get_data(as_text=True)
    assert {status(app, i) for i in anns + bobs} == {"verified"}
    assert status(app, untouched[0]) == "submitted"

    digests = outbox_messages(app, "experience_verified_digest")
    assert sorted(m.recipient for m in digests) == sorted([ann.email, bob.email])
    ann_mail = next(m for m in digests if m.recipient == ann.email)
    assert ann_mail.subject == "7 experience entries are verified"
    assert all(f"Smelter {i}" in ann_mail.body for i in range(7))
    assert outbox_messages(app, "experience_verified") == []  # no single mails
    with app.app_context():
        events = db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "experience.verified")
        )
    assert events == 9  # each verification on the record, as a single one is


def test_entries_not_verifiable_are_reported_and_skipped(app, make_user):
    learner, staff = make_user("learner"), make_user("staff")
    fine, changed, gone, withdrawn = submitted_entries(app, learner.id, 4)
    own = submitted_entries(app, staff.id, 1)[0]
    draft = submitted_entries(app, learner.id, 1, submit=False)[0]
    values = tick(app, [fine, changed, withdrawn, own, draft])
    with app.test_request_context():
        entry = db.session.get(ExperienceEntry, changed)
        entry.revision += 1  # the learner edited it after the queue was shown
        db.session.get(ExperienceEntry, withdrawn).withdraw()
        db.session.commit()
    client = logged_in(app, staff)
    response = client.post(
        VERIFY,
        data={
            "entry": [*values, f"{gone + 1000}:0", "not-an-id"],
            "csrf_token": csrf_token(client, QUEUE),
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "1 entry verified" in page
    assert status(app, fine) == "verified"
    for entry_id in (changed, withdrawn, own, draft):
        assert status(app, entry_id) != "verified"
        assert f"({entry_id})" in page  # each one reported
    assert "changed it after the queue was shown" in page
    assert "cannot decide on your own entry" in page
    assert "no longer exists" in page
    assert [m.recipient for m in outbox_messages(app, "experience_verified_digest")] == [
        learner.email
    ]


def test_nothing_ticked_and_no_token(app, make_user):
    learner, staff = make_user("learner"), make_user("staff")
    entry_id = submitted_entries(app, learner.id, 1)[0]
    client = logged_in(app, staff)
    response = client.post(
        VERIFY, data={"csrf_token": csrf_token(client, QUEUE)}, follow_redirects=True
    )
    assert "Tick the entries to verify first." in response.get_data(as_text=True)
    response = client.post(VERIFY, data={"entry": tick(app, [entry_id])})
    assert response.status_code == 400  # no CSRF token
    assert status(app, entry_id) == "submitted"


@pytest.mark.parametrize("role", ["learner", "member"])
def test_only_staff_may_verify(app, make_user, role):
    learner = make_user("learner")
    entry_id = submitted_entries(app, learner.id, 1)[0]
    client = logged_in(app, make_user(role))
    assert client.get(QUEUE).status_code == 403
    response = client.post(VERIFY, data={"entry": tick(app, [entry_id])})
    assert response.status_code in (400, 403)
    assert status(app, entry_id) == "submitted"

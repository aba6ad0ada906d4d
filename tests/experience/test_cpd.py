"""CPD activities in the experience log, through the test client with CSRF on: logging with
evidence, the field rules, editing, another learner kept out, single and bulk verification,
and the verified record the rules engine reads."""

from datetime import timedelta

import pytest

from educational.accounts.models import User
from educational.core.db import db, today
from educational.experience import services
from educational.experience.models import CpdActivity
from tests.builders.experience import PDF, cpd_data, cpd_form, files_in, upload
from tests.builders.people import csrf_token, id_from, logged_in, post
from tests.conftest import outbox_messages

pytestmark = [pytest.mark.csrf, pytest.mark.usefixtures("synced_courses")]

NEW = "/experience/new/cpd"
QUEUE = "/staff/experience/"


def activity(app, entry_id: int) -> CpdActivity:
    with app.app_context():
        entry = db.session.get(CpdActivity, entry_id)
        db.session.expunge(entry)
        return entry


def logged(app, user_id: int, *, submit=True, **overrides) -> int:
    with app.test_request_context():
        user = db.session.get(User, user_id)
        day = overrides.pop("day", today() - timedelta(days=10))
        entry = services.create_entry(user, "cpd", cpd_data(day, **overrides), submit=submit)
        db.session.commit()
        return entry.id


def test_log_a_cpd_activity_with_evidence(app, make_user, evidence_dir):
    learner = make_user("learner")
    client = logged_in(app, learner)
    page = client.get(NEW).get_data(as_text=True)
    assert "Log a CPD activity" in page and "Training courses" in page
    assert "at most 40 hours count per cycle" in page
    day = today() - timedelta(days=3)
    response = post(
        client,
        NEW,
        {
            **cpd_form(day, hours="7.5", category="conferences"),
            "evidence": [upload(PDF, "attendance.pdf")],
            "action": "submit",
        },
        content_type="multipart/form-data",
    )
    entry_id = id_from(response)
    entry = activity(app, entry_id)
    assert (entry.status, entry.hours, entry.category, entry.activity_date) == (
        "submitted",
        7.5,
        "conferences",
        day,
    )
    assert len(files_in(evidence_dir)) == 1
    page = client.get(f"/experience/entries/{entry_id}").get_data(as_text=True)
    assert "attendance.pdf" in page and "Conferences and seminars" in page
    assert "Aluminium Academy (7.5 h)" in page
    listing = client.get("/experience/").get_data(as_text=True)
    assert "Continuing professional development (CPD)" in listing
    assert "Aluminium Academy (7.5 h)" in listing


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("activity_date", "FUTURE", "Log an activity once it has taken place."),
        ("hours", "0", "more than 0"),
        ("hours", "200.5", "at most 200 hours"),
        ("hours", "1.33", "at most one decimal, or in quarter hours"),
        ("category", "gardening", "Not a valid choice"),
        ("provider", "", "This field is required."),
        ("description", "", "This field is required."),
    ],
)
def test_the_rules_of_a_cpd_activity(app, make_user, field, value, message):
    client = logged_in(app, make_user("learner"))
    if value == "FUTURE":
        value = (today() + timedelta(days=2)).isoformat()
    data = {**cpd_form(today() - timedelta(days=1), provider="Kept Provider Ltd"), field: value}
    response = post(client, NEW, {**data, "action": "submit"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    if field != "provider":
        assert "Kept Provider Ltd" in page  # the form comes back filled in
    with app.app_context():
        assert db.session.query(CpdActivity).count() == 0


@pytest.mark.parametrize("hours", ["0.25", "2.75", "1.5", "200"])
def test_quarter_hours_and_one_decimal_are_accepted(app, make_user, hours):
    client = logged_in(app, make_user("learner"))
    entry_id = id_from(post(client, NEW, {**cpd_form(today(), hours=hours), "action": "save"}))
    assert activity(app, entry_id).hours == float(hours)
    assert activity(app, entry_id).status == "draft"


def test_edit_and_another_learner_kept_out(app, make_user):
    owner, other, staff = make_user("learner"), make_user("learner"), make_user("staff")
    entry_id = logged(app, owner.id)
    with app.test_request_context():
        services.find_entry(entry_id).verify(db.session.get(User, staff.id))
        db.session.commit()
    url = f"/experience/entries/{entry_id}"
    # Another learner neither sees nor changes it.
    intruder = logged_in(app, other)
    assert intruder.get(url).status_code in (403, 404)
    assert intruder.get(f"{url}/edit").status_code in (403, 404)
    token = csrf_token(intruder, "/experience/")
    response = intruder.post(
        f"{url}/edit", data={**cpd_form(today(), hours="99"), "csrf_token": token}
    )
    assert response.status_code in (403, 404)
    assert activity(app, entry_id).hours == 20
    # The owner edits it: a verified entry goes back to the queue.
    client = logged_in(app, owner)
    page = client.get(f"{url}/edit").get_data(as_text=True)
    assert 'value="20' in page
    response = post(
        client,
        f"{url}/edit",
        {**cpd_form(today() - timedelta(days=2), hours="12.5"), "action": "submit"},
    )
    assert response.status_code == 302
    entry = activity(app, entry_id)
    assert (entry.hours, entry.status, entry.revision) == (12.5, "submitted", 2)
    # Without the CSRF token, nothing changes.
    response = client.post(f"{url}/edit", data=cpd_form(today(), hours="3"))
    assert response.status_code == 400
    assert activity(app, entry_id).hours == 12.5


def test_staff_verify_one_and_in_bulk(app, make_user):
    ann, bob, staff = make_user("learner"), make_user("learner"), make_user("staff")
    single = logged(app, ann.id, provider="Single Provider")
    bulk = [logged(app, ann.id, provider=f"Bulk {n}") for n in range(3)]
    bobs = logged(app, bob.id, provider="Bob's Seminar")
    client = logged_in(app, staff)
    queue = client.get(f"{QUEUE}?kind=cpd").get_data(as_text=True)
    assert "Single Provider" in queue and "Bob&#39;s Seminar" in queue
    review = client.get(f"{QUEUE}{single}").get_data(as_text=True)
    assert "Training courses" in review and "Hours" in review
    response = post(
        client,
        f"{QUEUE}{single}/decide",
        {"decision": "verify", "comment": "", "revision": "1"},
        form_url=f"{QUEUE}{single}",
    )
    assert response.status_code == 302
    assert activity(app, single).status == "verified"
    assert [m.recipient for m in outbox_messages(app, "experience_verified")] == [ann.email]

    values = [f"{i}:1" for i in [*bulk, bobs]]
    response = post(
        client,
        f"{QUEUE}verify",
        {"entry": values, "kind": "cpd"},
        form_url=f"{QUEUE}?kind=cpd",
        follow_redirects=True,
    )
    assert "4 entries verified" in response.get_data(as_text=True)
    assert {activity(app, i).status for i in [*bulk, bobs]} == {"verified"}
    digests = outbox_messages(app, "experience_verified_digest")
    assert sorted(m.recipient for m in digests) == sorted([ann.email, bob.email])
    # Without the token: refused.
    other = logged(app, bob.id)
    assert client.post(f"{QUEUE}verify", data={"entry": [f"{other}:1"]}).status_code == 400
    assert activity(app, other).status == "submitted"


def test_a_learner_cannot_reach_the_staff_queue(app, make_user):
    learner = make_user("learner")
    entry_id = logged(app, learner.id)
    client = logged_in(app, learner)
    assert client.get(QUEUE).status_code == 403
    token = csrf_token(client, "/experience/")
    response = client.post(f"{QUEUE}verify", data={"entry": [f"{entry_id}:1"], "csrf_token": token})
    assert response.status_code == 403
    assert activity(app, entry_id).status == "submitted"


def test_only_verified_activities_are_on_the_record(app, make_user):
    learner, staff = make_user("learner"), make_user("staff")
    verified = logged(app, learner.id, hours=4.25, category="self-study")
    logged(app, learner.id, hours=9)  # submitted, not verified
    logged(app, learner.id, hours=3, submit=False)  # a draft
    with app.test_request_context():
        services.find_entry(verified).verify(db.session.get(User, staff.id))
        db.session.commit()
        record = services.verified_record(learner.id)
        assert [(c.hours, c.category, c.entry_id) for c in record.cpd] == [
            (4.25, "self-study", verified)
        ]
        counted, waiting = services.cpd_of(learner.id)
        assert [c.hours for c in counted] == [4.25] and [c.hours for c in waiting] == [9]

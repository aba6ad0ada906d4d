"""Appeals through the pages, with CSRF on: lodging within the window by the person affected
only, decided by staff who took no part (four-eyes when the scheme asks), and the effect of
an overturn (reinstated, restored, re-opened), with e-mails and audit events."""

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from educational.accreditation.models import Accreditation, Application, StatusChange
from educational.appeals.models import Appeal
from educational.core.audit import AuditEvent
from educational.core.db import db
from tests.appeals.conftest import change_status
from tests.builders.accreditation import set_four_eyes
from tests.builders.experience import PDF
from tests.builders.people import id_from, logged_in, post, waiting_count
from tests.conftest import outbox_messages

pytestmark = pytest.mark.csrf


def lodge(app, user, kind: str, subject_id: int, grounds="The reports were on time.", **data):
    client = logged_in(app, user)
    url = f"/appeals/new/{kind}/{subject_id}"
    return client, post(client, f"{url}/lodge", {"grounds": grounds, **data}, form_url=url)


def staff_post(app, staff, appeal_id: int, action: str, data: dict | None = None):
    client = logged_in(app, staff)
    url = f"/staff/appeals/{appeal_id}"
    return client, post(client, f"{url}/{action}", data or {}, form_url=url)


def appeal_row(app, appeal_id: int) -> Appeal:
    with app.app_context():
        appeal = db.session.get(Appeal, appeal_id)
        db.session.expunge(appeal)
        return appeal


def status_of(app, accreditation_id: int) -> str:
    with app.app_context():
        return db.session.get(Accreditation, accreditation_id).status


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def appeal_count(app) -> int:
    with app.app_context():
        return len(db.session.scalars(select(Appeal.id)).all())


# Lodging


def test_the_suspended_person_appeals_and_a_different_staff_member_overturns(app, suspended):
    world, change_id = suspended
    client, response = lodge(
        app, world.learner, "suspension", change_id, evidence=(io.BytesIO(PDF), "proof.pdf")
    )
    appeal_id = id_from(response)
    appeal = appeal_row(app, appeal_id)
    assert appeal.status == "lodged" and appeal.accreditation_id == world.accreditation_id
    assert appeal.deciders == [world.decider.id]
    page = client.get(f"/appeals/{appeal_id}").get_data(as_text=True)
    assert "The reports were on time." in page and "proof.pdf" in page
    assert "Decision due by" in page
    (ack,) = outbox_messages(app, "appeal_lodged")
    assert ack.recipient == world.learner.email
    assert "appeal.lodged" in actions(app)

    # The staff member who suspended may not decide; the page names who is excluded.
    _decider_client, response = staff_post(
        app, world.decider, appeal_id, "decide", {"outcome": "overturned", "reasons": "Mine."}
    )
    page = response.get_data(as_text=True)
    assert "took part in the decision" in page
    assert appeal_row(app, appeal_id).status == "lodged"
    assert status_of(app, world.accreditation_id) == "suspended"

    # The staff page of the accreditation links to the open appeal.
    accreditation_page = logged_in(app, world.second).get(
        f"/staff/accreditation/accreditations/{world.accreditation_id}"
    )
    assert f"/staff/appeals/{appeal_id}" in accreditation_page.get_data(as_text=True)
    staff_page = logged_in(app, world.second).get(f"/staff/appeals/{appeal_id}")
    text = staff_page.get_data(as_text=True)
    assert world.decider.name in text and "May not decide" in text
    assert "Late reports." in text  # the decision's summary

    _client, response = staff_post(
        app,
        world.second,
        appeal_id,
        "decide",
        {"outcome": "overturned", "reasons": "The reports were filed in time."},
    )
    assert response.status_code == 302
    appeal = appeal_row(app, appeal_id)
    assert appeal.status == "decided" and appeal.outcome == "overturned"
    assert appeal.decided_by_id == world.second.id
    assert status_of(app, world.accreditation_id) == "active"
    api = app.test_client().get(f"/api/v1/registry/{world.registry_id}").json
    assert api["accreditations"][0]["status"] == "active"
    feed = app.test_client().get("/api/v1/registry/changes").json
    assert [item["event"] for item in feed["items"]][-2:] == ["suspended", "reinstated"]
    (decided,) = outbox_messages(app, "appeal_decided")
    assert decided.recipient == world.learner.email
    assert "overturned" in decided.body and "The reports were filed in time." in decided.body
    assert {"appeal.decided", "accreditation.reinstated"} <= set(actions(app))
    # The person's page shows the outcome.
    page = client.get(f"/appeals/{appeal_id}").get_data(as_text=True)
    assert "Overturned" in page and "The reports were filed in time." in page


def test_an_upheld_appeal_leaves_the_suspension(app, suspended):
    world, change_id = suspended
    _client, response = lodge(app, world.learner, "suspension", change_id)
    appeal_id = id_from(response)
    staff_post(
        app, world.second, appeal_id, "decide", {"outcome": "upheld", "reasons": "Reports late."}
    )
    assert appeal_row(app, appeal_id).outcome == "upheld"
    assert status_of(app, world.accreditation_id) == "suspended"
    assert "upheld" in outbox_messages(app, "appeal_decided")[0].body


def test_the_appeal_window_closes(app, suspended):
    world, change_id = suspended
    with app.app_context():
        change = db.session.get(StatusChange, change_id)
        change.occurred_at = change.occurred_at - timedelta(days=31)
        db.session.commit()
    client = logged_in(app, world.learner)
    page = client.get(f"/appeals/new/suspension/{change_id}").get_data(as_text=True)
    assert "The time to appeal against this decision has ended." in page
    assert "<textarea" not in page
    # Refused on the server too, whatever the page shows.
    _client, response = lodge(app, world.learner, "suspension", change_id)
    assert "The time to appeal against this decision has ended." in response.get_data(as_text=True)
    assert appeal_count(app) == 0


def test_within_the_window_the_form_is_offered(app, suspended):
    world, change_id = suspended
    with app.app_context():
        change = db.session.get(StatusChange, change_id)
        change.occurred_at = change.occurred_at - timedelta(days=29)
        db.session.commit()
    page = logged_in(app, world.learner).get(f"/appeals/new/suspension/{change_id}")
    assert "<textarea" in page.get_data(as_text=True)


def test_only_the_affected_person_may_appeal(app, suspended, make_user):
    world, change_id = suspended
    stranger = make_user("learner")
    client = logged_in(app, stranger)
    assert client.get(f"/appeals/new/suspension/{change_id}").status_code == 404
    token_page = logged_in(app, stranger)
    response = token_page.post(
        f"/appeals/new/suspension/{change_id}/lodge", data={"grounds": "Not mine."}
    )
    assert response.status_code == 400  # no token
    # With a token from a page of theirs: still not theirs.
    _client, response = lodge(app, stranger, "suspension", change_id)
    assert response.status_code == 404
    # Staff are not the affected person either.
    _client, response = lodge(app, world.second, "suspension", change_id)
    assert response.status_code == 404
    assert appeal_count(app) == 0


def test_one_open_appeal_per_decision_and_grounds_required(app, suspended):
    world, change_id = suspended
    _client, response = lodge(app, world.learner, "suspension", change_id, grounds="  ")
    assert response.status_code == 200 and appeal_count(app) == 0
    assert "Write your grounds" in response.get_data(as_text=True)
    id_from(lodge(app, world.learner, "suspension", change_id)[1])
    client = logged_in(app, world.learner)
    page = client.get(f"/appeals/new/suspension/{change_id}").get_data(as_text=True)
    assert "already open" in page
    _client, response = lodge(app, world.learner, "suspension", change_id)
    assert "already open" in response.get_data(as_text=True)
    assert appeal_count(app) == 1


def test_the_appellant_withdraws_and_may_appeal_again(app, suspended):
    world, change_id = suspended
    client, response = lodge(app, world.learner, "suspension", change_id)
    appeal_id = id_from(response)
    response = post(client, f"/appeals/{appeal_id}/withdraw", {}, form_url=f"/appeals/{appeal_id}")
    assert response.status_code == 302
    assert appeal_row(app, appeal_id).status == "withdrawn"
    assert "appeal.withdrawn" in actions(app)
    id_from(lodge(app, world.learner, "suspension", change_id)[1])


def test_a_post_without_the_csrf_token_is_refused(app, suspended):
    world, change_id = suspended
    client = logged_in(app, world.learner)
    response = client.post(f"/appeals/new/suspension/{change_id}/lodge", data={"grounds": "x"})
    assert response.status_code == 400
    assert appeal_count(app) == 0


# Four eyes


def test_four_eyes_a_second_uninvolved_staff_member_confirms(app, suspended, make_user):
    world, change_id = suspended
    set_four_eyes(app)
    appeal_id = id_from(lodge(app, world.learner, "suspension", change_id)[1])
    staff_post(
        app, world.second, appeal_id, "decide", {"outcome": "overturned", "reasons": "In time."}
    )
    appeal = appeal_row(app, appeal_id)
    assert appeal.status == "proposed" and appeal.proposed_by_id == world.second.id
    assert status_of(app, world.accreditation_id) == "suspended"  # not yet
    assert "appeal.proposed" in actions(app)
    assert outbox_messages(app, "appeal_decided") == []

    # The same person cannot confirm; nor can the original decider.
    _c, response = staff_post(app, world.second, appeal_id, "confirm")
    assert appeal_row(app, appeal_id).status == "proposed"
    _c, response = staff_post(app, world.decider, appeal_id, "confirm")
    assert appeal_row(app, appeal_id).status == "proposed"
    client = logged_in(app, world.second)
    page = client.get(f"/staff/appeals/{appeal_id}").get_data(as_text=True)
    assert "a different staff member must confirm it" in page

    _c, response = staff_post(app, world.third, appeal_id, "confirm")
    assert response.status_code == 302
    appeal = appeal_row(app, appeal_id)
    assert appeal.status == "decided" and appeal.decided_by_id == world.third.id
    assert status_of(app, world.accreditation_id) == "active"
    assert len(outbox_messages(app, "appeal_decided")) == 1


def test_four_eyes_the_second_sends_it_back(app, suspended):
    world, change_id = suspended
    set_four_eyes(app)
    appeal_id = id_from(lodge(app, world.learner, "suspension", change_id)[1])
    staff_post(app, world.second, appeal_id, "decide", {"outcome": "overturned", "reasons": "x"})
    staff_post(app, world.third, appeal_id, "send-back", {"comment": "Check the dates."})
    appeal = appeal_row(app, appeal_id)
    assert appeal.status == "under_review" and appeal.proposed_outcome is None
    assert appeal.sent_back_comment == "Check the dates."
    assert status_of(app, world.accreditation_id) == "suspended"
    assert "appeal.sent_back" in actions(app)


# Who may decide


def test_the_appellant_who_is_staff_may_not_decide_their_own_appeal(app, make_user, synced_courses):
    from tests.builders.accreditation import apply, decide, qualify

    appellant, decider, other = make_user("staff"), make_user("staff"), make_user("staff")
    qualify(app, appellant.id, decider.id)
    application_id = apply(app, appellant.id)
    decide(app, application_id, decider.id, "reject", "Not enough audits.")
    appeal_id = id_from(lodge(app, appellant, "application_rejection", application_id)[1])
    _c, response = staff_post(
        app, appellant, appeal_id, "decide", {"outcome": "overturned", "reasons": "Mine."}
    )
    assert "or you are the appellant" in response.get_data(as_text=True)
    assert appeal_row(app, appeal_id).status == "lodged"
    page = logged_in(app, other).get(f"/staff/appeals/{appeal_id}").get_data(as_text=True)
    assert "the appellant" in page


# Applications


def test_overturning_a_rejection_reopens_the_application(app, rejected):
    world, application_id = rejected
    client = logged_in(app, world.learner)
    page = client.get(f"/accreditation/applications/{application_id}").get_data(as_text=True)
    assert f"/appeals/new/application_rejection/{application_id}" in page
    appeal_id = id_from(lodge(app, world.learner, "application_rejection", application_id)[1])
    page = client.get(f"/accreditation/applications/{application_id}").get_data(as_text=True)
    assert f"/appeals/{appeal_id}" in page
    review = logged_in(app, world.second).get(f"/staff/accreditation/applications/{application_id}")
    assert f"/staff/appeals/{appeal_id}" in review.get_data(as_text=True)
    _c, _response = staff_post(
        app, world.decider, appeal_id, "decide", {"outcome": "overturned", "reasons": "x"}
    )
    assert appeal_row(app, appeal_id).status == "lodged"
    staff_post(
        app, world.second, appeal_id, "decide", {"outcome": "overturned", "reasons": "Counted."}
    )
    with app.app_context():
        application = db.session.get(Application, application_id)
        assert application.status == "submitted" and application.decided_by_id is None
    assert "application.reopened" in actions(app)
    # Back in the staff queue.
    queue = logged_in(app, world.third).get("/staff/accreditation/applications")
    assert f"/staff/accreditation/applications/{application_id}" in queue.get_data(as_text=True)


def test_upholding_a_rejection_leaves_it(app, rejected):
    world, application_id = rejected
    appeal_id = id_from(lodge(app, world.learner, "application_rejection", application_id)[1])
    staff_post(app, world.second, appeal_id, "decide", {"outcome": "upheld", "reasons": "Right."})
    with app.app_context():
        assert db.session.get(Application, application_id).status == "rejected"
    # Final: no second appeal.
    page = logged_in(app, world.learner).get(f"/appeals/new/application_rejection/{application_id}")
    assert "already decided" in page.get_data(as_text=True)


# Withdrawals


def test_overturning_a_withdrawal_restores_the_accreditation(app, accredited):
    world = accredited
    change_id = change_status(
        app, world.accreditation_id, world.decider.id, "withdraw", "Falsified reports."
    )
    client = logged_in(app, world.learner)
    page = client.get("/accreditation/").get_data(as_text=True)
    assert f"/appeals/new/withdrawal/{change_id}" in page
    appeal_id = id_from(lodge(app, world.learner, "withdrawal", change_id)[1])
    staff_post(
        app, world.second, appeal_id, "decide", {"outcome": "overturned", "reasons": "Genuine."}
    )
    assert status_of(app, world.accreditation_id) == "active"
    with app.app_context():
        last = db.session.scalar(select(StatusChange).order_by(StatusChange.id.desc()))
        assert (last.from_status, last.to_status) == ("withdrawn", "active")
    assert "accreditation.restored" in actions(app)
    api = app.test_client().get(f"/api/v1/registry/{world.registry_id}").json
    assert api["accreditations"][0]["status"] == "active"
    feed = app.test_client().get("/api/v1/registry/changes").json
    assert [item["event"] for item in feed["items"]][-2:] == ["withdrawn", "reinstated"]


def test_a_suspension_superseded_by_a_withdrawal_cannot_be_overturned(app, suspended):
    world, change_id = suspended
    appeal_id = id_from(lodge(app, world.learner, "suspension", change_id)[1])
    change_status(app, world.accreditation_id, world.third.id, "withdraw", "Worse found.")
    _c, response = staff_post(
        app, world.second, appeal_id, "decide", {"outcome": "overturned", "reasons": "x"}
    )
    assert "superseded" in response.get_data(as_text=True)
    assert appeal_row(app, appeal_id).status == "lodged"
    assert status_of(app, world.accreditation_id) == "withdrawn"


# The staff side


def test_the_staff_queue_and_home_count_open_appeals(app, suspended):
    world, change_id = suspended
    appeal_id = id_from(lodge(app, world.learner, "suspension", change_id)[1])
    client = logged_in(app, world.second)
    page = client.get("/staff/appeals").get_data(as_text=True)
    assert f"/staff/appeals/{appeal_id}" in page and "Decision due by" in page
    home = client.get("/staff").get_data(as_text=True)
    assert waiting_count(home, "Open appeals") == 1
    with app.app_context():
        row = db.session.get(Appeal, appeal_id)
        row.due_at = row.lodged_at - timedelta(days=1)
        db.session.commit()
    assert "overdue" in client.get("/staff/appeals").get_data(as_text=True)


def test_under_appeal_lists_accreditations_with_an_open_appeal(app, suspended):
    from educational.appeals.public import under_appeal

    world, change_id = suspended
    with app.app_context():
        assert under_appeal([world.accreditation_id]) == set()
    appeal_id = id_from(lodge(app, world.learner, "suspension", change_id)[1])
    with app.app_context():
        assert under_appeal([world.accreditation_id, 999]) == {world.accreditation_id}
    staff_post(app, world.second, appeal_id, "decide", {"outcome": "upheld", "reasons": "No."})
    with app.app_context():
        assert under_appeal([world.accreditation_id]) == set()


def test_evidence_is_for_the_appellant_and_staff_only(app, suspended, make_user):
    world, change_id = suspended
    client, response = lodge(
        app, world.learner, "suspension", change_id, evidence=(io.BytesIO(PDF), "a.pdf")
    )
    with app.app_context():
        evidence_id = db.session.get(Appeal, id_from(response)).evidence[0].id
    url = f"/appeals/evidence/{evidence_id}"
    assert client.get(url).status_code == 200
    assert logged_in(app, world.second).get(url).status_code == 200
    assert logged_in(app, make_user("learner")).get(url).status_code == 403


def test_the_e_mails_follow_the_appellants_language_and_zone(app, suspended):
    from educational.accounts.models import User
    from educational.core.i18n import format_datetime, reader

    world, change_id = suspended
    with app.app_context():
        user = db.session.get(User, world.learner.id)
        user.locale, user.timezone = "fr", "Europe/Paris"
        db.session.commit()
    appeal_id = id_from(lodge(app, world.learner, "suspension", change_id)[1])
    appeal = appeal_row(app, appeal_id)
    with app.test_request_context(), reader("fr", "Europe/Paris"):
        due = format_datetime(appeal.due_at)
    (ack,) = outbox_messages(app, "appeal_lodged")
    assert due in ack.body  # the due date in French, in the appellant's zone
    assert f"/appeals/{appeal_id}" in ack.body


def test_starting_the_review_is_for_uninvolved_staff(app, suspended):
    world, change_id = suspended
    appeal_id = id_from(lodge(app, world.learner, "suspension", change_id)[1])
    staff_post(app, world.decider, appeal_id, "review")
    assert appeal_row(app, appeal_id).status == "lodged"
    _c, response = staff_post(app, world.second, appeal_id, "review")
    assert response.status_code == 302
    appeal = appeal_row(app, appeal_id)
    assert appeal.status == "under_review" and appeal.reviewer_id == world.second.id
    assert "appeal.review_started" in actions(app)
    page = logged_in(app, world.learner).get(f"/appeals/{appeal_id}").get_data(as_text=True)
    assert "Under review" in page

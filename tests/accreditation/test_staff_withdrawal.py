"""Withdrawal is final, so it is asked for on a confirmation page of its own (with CSRF on),
while suspension stays one form on the accreditation page; every reason box has its own
label."""

import pytest
from sqlalchemy import select

from educational.accreditation.models import Accreditation
from educational.core.db import db
from tests.builders.accreditation import apply, decide, qualify
from tests.builders.people import logged_in, post
from tests.conftest import outbox_messages

pytestmark = pytest.mark.csrf


@pytest.fixture
def accredited(app, make_user, synced_courses):
    """(learner, staff, accreditation id)"""
    learner, staff = make_user("learner"), make_user("staff")
    qualify(app, learner.id, staff.id)
    decide(app, apply(app, learner.id), staff.id)
    with app.app_context():
        return learner, staff, db.session.scalar(select(Accreditation.id))


def status_of(app, accreditation_id: int) -> str:
    with app.app_context():
        return db.session.get(Accreditation, accreditation_id).status


def test_withdraw_is_a_link_to_a_page_that_says_it_is_final(app, accredited):
    _learner, staff, accreditation_id = accredited
    client = logged_in(app, staff)
    url = f"/staff/accreditation/accreditations/{accreditation_id}"
    page = client.get(url).get_data(as_text=True)
    # One reason box (suspend), with a label of its own; withdraw is a link, not a form.
    assert page.count("<textarea") == 1
    assert '<label for="reason-suspend">Reason for the suspension</label>' in page
    assert f'href="{url}/withdraw"' in page
    assert f'action="{url}/withdraw"' not in page

    confirm = client.get(f"{url}/withdraw").get_data(as_text=True)
    assert "Withdrawal is final." in confirm
    assert f'action="{url}/withdraw"' in confirm
    assert status_of(app, accreditation_id) == "active"  # opening the page changes nothing


def test_confirming_without_a_reason_keeps_the_confirmation_page(app, accredited):
    _learner, staff, accreditation_id = accredited
    client = logged_in(app, staff)
    url = f"/staff/accreditation/accreditations/{accreditation_id}/withdraw"
    response = post(client, url, {"reason": "  "})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Withdrawal is final." in page and "Write the reason" in page
    assert status_of(app, accreditation_id) == "active"


def test_confirming_withdraws_and_tells_the_holder(app, accredited):
    learner, staff, accreditation_id = accredited
    client = logged_in(app, staff)
    url = f"/staff/accreditation/accreditations/{accreditation_id}/withdraw"
    response = post(client, url, {"reason": "Falsified audit reports."})
    assert response.status_code == 302
    assert status_of(app, accreditation_id) == "withdrawn"
    mails = [m for m in outbox_messages(app) if m.recipient == learner.email]
    assert "Falsified audit reports." in mails[-1].body
    # Final: the confirmation page now says it cannot be done, and offers no form.
    page = client.get(url).get_data(as_text=True)
    assert "cannot be withdrawn" in page and "<textarea" not in page


def test_a_post_without_the_csrf_token_is_refused(app, accredited):
    _learner, staff, accreditation_id = accredited
    client = logged_in(app, staff)
    url = f"/staff/accreditation/accreditations/{accreditation_id}/withdraw"
    assert client.post(url, data={"reason": "No token."}).status_code == 400
    assert status_of(app, accreditation_id) == "active"


@pytest.mark.parametrize("role", ["learner", "member"])
def test_only_staff_may_open_or_confirm(app, accredited, make_user, role):
    _learner, _staff, accreditation_id = accredited
    client = logged_in(app, make_user(role))
    url = f"/staff/accreditation/accreditations/{accreditation_id}/withdraw"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"reason": "x"}).status_code in (400, 403)
    assert status_of(app, accreditation_id) == "active"

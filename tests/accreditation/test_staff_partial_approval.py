"""Partial approval (CSRF on): staff grant fewer scopes or countries than asked for, with a
written reason; the accreditation holds only what was granted, the audit trail records what
was asked for against what was approved, and the applicant's mail says both and why."""

import re

import pytest
from sqlalchemy import select

from educational.accreditation.models import Accreditation
from educational.core.audit import AuditEvent
from educational.core.db import db
from tests.builders.accreditation import apply, decide, qualify
from tests.builders.experience import SMELTING
from tests.builders.people import logged_in, post
from tests.conftest import outbox_messages

pytestmark = pytest.mark.csrf
CASTHOUSE = "casthouse"


@pytest.fixture
def wide_application(app, make_user, synced_courses):
    """(learner, staff, application id): qualified for PS smelting in Norway only, asking
    for PS smelting and casthouse, in Norway and Sweden."""
    learner, staff = make_user("learner"), make_user("staff")
    qualify(app, learner.id, staff.id)
    application_id = apply(
        app, learner.id, scopes=(("PS", SMELTING), ("PS", CASTHOUSE)), countries=("NO", "SE")
    )
    return learner, staff, application_id


def checkbox(html: str, name: str, value: str) -> str:
    """The check box ``name`` = ``value`` on the page (its tag)."""
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return tag
    raise AssertionError(f"no check box {name}={value}")


def narrower(**overrides) -> dict:
    data = {
        "decision": "approve",
        "reason": "Qualified for smelting in Norway.",
        "approved_scopes": [f"PS/{SMELTING}"],
        "approved_countries": ["NO"],
        "scopes_shown": "1",
        "countries_shown": "1",
        "narrowing_reason": "No verified casthouse audits, and none in Sweden.",
    }
    data.update(overrides)
    return data


def granted(app):
    with app.app_context():
        accreditation = db.session.scalar(select(Accreditation))
        if accreditation is None:
            return None
        return [(s.standard, s.sector) for s in accreditation.scopes], accreditation.countries


def test_the_review_page_offers_the_requested_scopes_and_countries(app, wide_application):
    _learner, staff, application_id = wide_application
    page = logged_in(app, staff).get(f"/staff/accreditation/applications/{application_id}")
    html = page.get_data(as_text=True)
    for name, value in [
        ("approved_scopes", f"PS/{SMELTING}"),
        ("approved_scopes", f"PS/{CASTHOUSE}"),
        ("approved_countries", "NO"),
        ("approved_countries", "SE"),
    ]:
        assert " checked" in checkbox(html, name, value)  # all ticked at first
    assert 'name="narrowing_reason"' in html


def test_staff_approve_a_narrower_scope_with_a_reason(app, wide_application):
    learner, staff, application_id = wide_application
    client = logged_in(app, staff)
    url = f"/staff/accreditation/applications/{application_id}"
    response = post(client, f"{url}/decide", narrower(), form_url=url)
    assert response.status_code == 302, response.get_data(as_text=True)

    assert granted(app) == ([("PS", SMELTING)], ["NO"])
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "application.approved")
        )
        assert event.data["requested_scopes"] == [f"PS/{SMELTING}", f"PS/{CASTHOUSE}"]
        assert event.data["approved_scopes"] == [f"PS/{SMELTING}"]
        assert event.data["requested_countries"] == ["NO", "SE"]
        assert event.data["approved_countries"] == ["NO"]
        assert event.data["narrowing_reason"].startswith("No verified casthouse")
        assert event.data["unmet_overridden"] == []  # what is granted is met
    mail = outbox_messages(app, "application_approved")[-1]
    assert mail.recipient == learner.email
    assert "part of what you applied for" in mail.body
    assert "Not approved:" in mail.body and "Casthouse" in mail.body and "Sweden" in mail.body
    assert "No verified casthouse audits, and none in Sweden." in mail.body


def test_narrowing_needs_its_reason_and_keeps_the_form(app, wide_application):
    _learner, staff, application_id = wide_application
    client = logged_in(app, staff)
    url = f"/staff/accreditation/applications/{application_id}"
    response = post(client, f"{url}/decide", narrower(narrowing_reason=" "), form_url=url)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "write why in" in html
    assert "Qualified for smelting in Norway." in html  # what was typed is kept
    assert " checked" not in checkbox(html, "approved_scopes", f"PS/{CASTHOUSE}")
    assert " checked" in checkbox(html, "approved_scopes", f"PS/{SMELTING}")
    assert granted(app) is None


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"approved_scopes": []}, "Approve at least one scope"),
        ({"approved_countries": []}, "Approve at least one country"),
        ({"approved_scopes": ["COC/casthouse"]}, "Not a valid choice"),
    ],
)
def test_approving_nothing_or_something_not_asked_for_is_refused(
    app, wide_application, overrides, message
):
    _learner, staff, application_id = wide_application
    client = logged_in(app, staff)
    url = f"/staff/accreditation/applications/{application_id}"
    response = post(client, f"{url}/decide", narrower(**overrides), form_url=url)
    assert response.status_code == 200
    assert message.lower() in response.get_data(as_text=True).lower()
    assert granted(app) is None


def test_approving_everything_still_needs_the_unmet_override(app, wide_application):
    """Nothing left out: casthouse and Sweden are unmet, so the reviewer must override."""
    _learner, staff, application_id = wide_application
    client = logged_in(app, staff)
    url = f"/staff/accreditation/applications/{application_id}"
    everything = narrower(
        approved_scopes=[f"PS/{SMELTING}", f"PS/{CASTHOUSE}"], approved_countries=["NO", "SE"]
    )
    response = post(client, f"{url}/decide", everything, form_url=url)
    assert response.status_code == 200 and "not met today" in response.get_data(as_text=True)
    assert granted(app) is None


def test_the_service_grants_everything_by_default(app, wide_application):
    _learner, staff, application_id = wide_application
    decide(app, application_id, staff.id, override_unmet=True)
    assert granted(app) == ([("PS", SMELTING), ("PS", CASTHOUSE)], ["NO", "SE"])


def test_a_learner_cannot_decide(app, wide_application, make_user):
    _learner, _staff, application_id = wide_application
    client = logged_in(app, make_user("learner"))
    url = f"/staff/accreditation/applications/{application_id}"
    assert client.get(url).status_code == 403
    assert client.post(f"{url}/decide", data=narrower()).status_code in (400, 403)
    assert granted(app) is None

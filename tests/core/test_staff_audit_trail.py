"""The audit-trail browser at /staff/audit (CSRF on): filters by person (id, e-mail, registry
id), object, kind and date; pages; the chain's state from the latest checkpoint on a page
view, and a full verification only on "Verify now"; staff only."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from educational.accreditation.models import RegistryProfile
from educational.core.audit import AuditEvent, record_event
from educational.core.db import db, today
from tests.builders.accreditation import apply, decide, qualify
from tests.builders.people import csrf_token, logged_in

pytestmark = pytest.mark.csrf
URL = "/staff/audit"


def rows(page: str) -> list[str]:
    """The action of each event row shown."""
    return re.findall(r"<code>([a-z_.]+)</code>", page)


@pytest.fixture
def trail(app, make_user, synced_courses):
    """(learner, staff, registry id): a learner verified, applied and approved."""
    learner, staff = make_user("learner"), make_user("staff")
    qualify(app, learner.id, staff.id)
    decide(app, apply(app, learner.id), staff.id)
    with app.app_context():
        registry_id = db.session.scalar(select(RegistryProfile.registry_id))
    return learner, staff, registry_id


def test_filters_by_person_object_kind_and_date(app, trail, make_user):
    learner, staff, registry_id = trail
    other = make_user("learner")
    apply(app, other.id, submit=True)
    client = logged_in(app, staff)

    everything = client.get(URL).get_data(as_text=True)
    assert "application.submitted" in rows(everything)
    for person in (str(learner.id), learner.email.upper(), registry_id.lower()):
        shown = rows(client.get(URL, query_string={"person": person}).get_data(as_text=True))
        assert "application.approved" in shown and "accreditation.granted" in shown, person
        assert len(shown) < len(rows(everything))
    # The other learner's submission is theirs, not the first learner's.
    mine = client.get(URL, query_string={"person": learner.email}).get_data(as_text=True)
    theirs = client.get(URL, query_string={"person": other.email}).get_data(as_text=True)
    assert rows(mine).count("application.submitted") == 1
    assert rows(theirs) == ["application.submitted", "account.created"]
    assert "No event matches" in client.get(
        URL, query_string={"person": "nobody@example.org"}
    ).get_data(as_text=True)

    kind = rows(client.get(URL, query_string={"kind": "accreditation."}).get_data(as_text=True))
    assert kind and all(action.startswith("accreditation.") for action in kind)
    subject = client.get(
        URL, query_string={"subject_type": "applications", "subject_id": "1"}
    ).get_data(as_text=True)
    assert set(rows(subject)) == {"application.submitted", "application.approved"}

    tomorrow = (today() + timedelta(days=1)).isoformat()
    assert rows(client.get(URL, query_string={"since": tomorrow}).get_data(as_text=True)) == []
    assert rows(client.get(URL, query_string={"until": tomorrow}).get_data(as_text=True))
    bad = client.get(URL, query_string={"since": "31/12/2026"}).get_data(as_text=True)
    assert "“31/12/2026” is not a date" in bad


def test_pages(app, make_user):
    staff = make_user("staff")
    with app.app_context():
        for n in range(60):
            record_event("test.filler", subject_type="things", subject_id=n, actor="import")
        db.session.commit()
    client = logged_in(app, staff)
    first = client.get(URL, query_string={"kind": "test."}).get_data(as_text=True)
    assert len(rows(first)) == 50 and "Page 1 of 2" in first
    assert 'href="/staff/audit?page=2&amp;kind=test."' in first
    second = client.get(URL, query_string={"kind": "test.", "page": 2}).get_data(as_text=True)
    assert len(rows(second)) == 10


def test_a_page_view_does_not_walk_the_chain_verify_now_does(app, trail):
    _learner, staff, _registry_id = trail
    client = logged_in(app, staff)
    page = client.get(URL).get_data(as_text=True)
    assert "No signed checkpoint yet" in page and "Verified just now" not in page

    response = client.post(f"{URL}/verify", data={"csrf_token": csrf_token(client, URL)})
    assert response.status_code == 200
    assert "Verified just now" in response.get_data(as_text=True)
    assert client.post(f"{URL}/verify").status_code == 400  # no CSRF token

    # A checkpoint is then shown on every page view, without a walk.
    assert app.test_cli_runner().invoke(args=["audit", "checkpoint"]).exit_code == 0
    assert "Last verified and signed at" in client.get(URL).get_data(as_text=True)

    with app.app_context():  # someone edits a row behind the application's back
        db.session.execute(
            text(
                "UPDATE audit_events SET payload = '{}' "
                "WHERE id = (SELECT MIN(id) FROM audit_events)"
            )
        )
        db.session.commit()
        events = db.session.scalar(select(func.count(AuditEvent.id)))
    response = client.post(f"{URL}/verify", data={"csrf_token": csrf_token(client, URL)})
    assert "The chain is broken at event 1" in response.get_data(as_text=True)
    with app.app_context():  # verifying wrote nothing
        assert db.session.scalar(select(func.count(AuditEvent.id))) == events


def test_the_staff_page_links_to_it(app, make_user):
    page = logged_in(app, make_user("staff")).get("/staff").get_data(as_text=True)
    assert f'href="{URL}"' in page


@pytest.mark.parametrize("role", ["learner", "member"])
def test_only_staff_may_browse_or_verify(app, make_user, role):
    client = logged_in(app, make_user(role))
    assert client.get(URL).status_code == 403
    assert client.post(f"{URL}/verify").status_code in (400, 403)
    assert f'href="{URL}"' not in client.get("/").get_data(as_text=True)

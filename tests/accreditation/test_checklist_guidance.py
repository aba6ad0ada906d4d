"""The checklist guides the applicant: reasons with human names in the reader's language,
entries waiting for verification counted apart, a link to what fixes each unmet
requirement, and a warning before an application goes in with requirements unmet."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from educational.accounts.models import User
from educational.accreditation import reasons
from educational.accreditation.models import Application
from educational.core.db import db, today
from educational.experience import services as experience
from tests.builders.accreditation import qualify
from tests.builders.experience import QUALIFICATION, qualifying_audit
from tests.builders.people import logged_in, post

pytestmark = pytest.mark.csrf

CHECKLIST = "/accreditation/?role=auditor&scopes=PS:aluminium-smelting&countries=NO"
NEW = "/accreditation/applications/new?role=auditor&scopes=PS:aluminium-smelting&countries=NO"


@pytest.fixture
def learner(app, make_user, synced_courses):
    """Three verified audits and the scheme course; two more audits and the qualification
    submitted and waiting for verification; the standard's course not taken."""
    learner, staff = make_user("learner"), make_user("staff")
    qualify(app, learner.id, staff.id, audits=3, courses=("asi-auditor",), qualification=False)
    with app.test_request_context():
        user = db.session.get(User, learner.id)
        for n in range(2):
            end = today() - timedelta(days=200 + 30 * n)
            experience.create_entry(user, "audit", qualifying_audit(end), submit=True)
        experience.create_entry(user, "qualification", QUALIFICATION, submit=True)
        db.session.commit()
    return learner


def test_waiting_entries_are_counted_apart_and_each_unmet_requirement_links_to_its_fix(
    app, learner
):
    page = logged_in(app, learner).get(CHECKLIST).get_data(as_text=True)

    assert "3 of 4 verified audits and 15 of 20 audit days since" in page
    assert page.count("(2 more waiting for verification)") == 1
    assert "(1 more waiting for verification)" in page  # the qualification
    assert 'href="/experience/new/audit"' in page
    assert 'href="/experience/new/qualification"' in page
    assert 'href="/courses/ps-v3-auditors"' in page
    assert 'href="/experience/"' in page  # the entries that wait
    # Human names, not codes.
    assert "Aluminium smelting" in page and "Performance Standard" in page
    for code in ("course asi-auditor", "sector aluminium-smelting", " in NO", "management-system"):
        assert code not in page


def test_reasons_and_scheme_names_follow_the_reader(app, learner):
    client = logged_in(app, learner)
    post(client, "/language", {"language": "fr", "next": CHECKLIST}, form_url=CHECKLIST)

    page = client.get(CHECKLIST).get_data(as_text=True)

    assert "Électrolyse de l&#39;aluminium" in page and "Norme de performance" in page
    assert "Norvège" in page
    assert "aluminium-smelting (PS)" not in page


def test_an_application_with_unmet_requirements_is_warned_about_and_may_still_go_in(app, learner):
    client = logged_in(app, learner)

    page = client.get(NEW).get_data(as_text=True)

    assert "requirements are not met yet" in page
    assert "Save and submit anyway" in page
    assert 'href="/courses/ps-v3-auditors"' in page
    response = post(
        client,
        "/accreditation/applications/new",
        {
            "role": "auditor",
            "scopes": "PS:aluminium-smelting",
            "countries": "NO",
            "action": "submit",
        },
        form_url=NEW,
    )
    assert response.status_code == 302
    with app.app_context():
        application = db.session.scalars(select(Application)).one()
        assert application.status == "submitted"
        # The snapshot keeps the English reason and the message the pages render.
        audits = next(row for row in application.checklist if row["code"] == "audits")
        assert audits["reason"].startswith("3 of 4 audits")
        assert audits["message"]["id"] == "audits"
        assert audits["message"]["values"]["waiting"] == 2
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Audit experience" in page and "3 of 4 verified audits" in page


def test_every_reason_renders_in_english(app):
    names = reasons.Names(None, {"asi-auditor": "ASI Auditor Course"})
    with app.test_request_context():
        for message, met in reasons.examples():
            text = reasons.render(message, met, names)
            assert text.strip() and "%(" not in text, message
        # A snapshot saved before reasons had ids shows its stored English reason.
        assert reasons.render(None, False, names, "course x not completed") == (
            "course x not completed"
        )

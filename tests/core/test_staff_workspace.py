"""The staff page: the work waiting in each queue, with how long the oldest has waited and a
link to the queue; a link to the audit firms; read only; staff only."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from educational.accounts.models import NameChangeRequest, User
from educational.accreditation.models import Application
from educational.core.audit import AuditEvent
from educational.core.db import db, utcnow
from educational.experience import services as experience
from educational.experience.models import ExperienceEntry
from tests.builders.accreditation import apply
from tests.builders.experience import audit_data
from tests.builders.people import logged_in

pytestmark = pytest.mark.csrf


def waiting_line(page: str, href: str) -> str:
    """The text of the staff page's waiting item linking to ``href``."""
    match = re.search(
        rf'<li class="waiting-item[^"]*">\s*<a href="{re.escape(href)}">(.*?)</li>', page, re.S
    )
    assert match, f"no waiting item for {href}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_nothing_waiting_says_so(app, make_user):
    client = logged_in(app, make_user("staff"))
    page = client.get("/staff").get_data(as_text=True)
    line = waiting_line(page, "/staff/accreditation/applications")
    assert line.startswith("0 Applications waiting for a decision")
    assert "Nothing waits." in line
    assert 'href="/staff/firms/"' in page  # the audit firms, linked from the staff page


def test_counts_and_the_age_of_the_oldest(app, make_user, synced_courses):
    learner, staff = make_user("learner"), make_user("staff")
    with app.test_request_context():
        user = db.session.get(User, learner.id)
        for _ in range(3):
            experience.create_entry(user, "audit", audit_data(), submit=True)
        experience.create_entry(user, "audit", audit_data(), submit=False)  # a draft
        db.session.add(NameChangeRequest(user_id=learner.id, old_name="A", new_name="B"))
        db.session.commit()
    apply(app, learner.id)
    with app.app_context():
        db.session.execute(
            update(ExperienceEntry)
            .where(ExperienceEntry.id == db.session.scalar(select(func.min(ExperienceEntry.id))))
            .values(submitted_at=utcnow() - timedelta(days=3, hours=2))
        )
        db.session.execute(update(Application).values(submitted_at=utcnow() - timedelta(days=1)))
        db.session.commit()
        events = db.session.scalar(select(func.count(AuditEvent.id)))

    page = logged_in(app, staff).get("/staff").get_data(as_text=True)
    assert waiting_line(page, "/staff/experience/") == (
        "3 Experience entries waiting for verification Oldest waiting 3 days"
    )
    assert waiting_line(page, "/staff/accreditation/applications") == (
        "1 Applications waiting for a decision Oldest waiting 1 day"
    )
    assert waiting_line(page, "/staff/names") == (
        "1 Changes of name waiting for a decision Oldest waiting since today"
    )
    with app.app_context():  # a GET writes nothing (the log-in aside, which audits nothing)
        assert db.session.scalar(select(func.count(AuditEvent.id))) == events


@pytest.mark.parametrize("role", ["learner", "member"])
def test_only_staff_see_the_staff_page(app, make_user, role):
    assert logged_in(app, make_user(role)).get("/staff").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(app):
    response = app.test_client().get("/staff")
    assert response.status_code == 302 and "/login" in response.headers["Location"]

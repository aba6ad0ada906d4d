"""The verification e-mail links to PUBLIC_URL, whatever host the staff member's request came
by (issue 10, finding 1: the link was built from the request's Host header).

Here PUBLIC_URL is https://training.example.org and the test client's own host, localhost,
is a trusted alias."""

import re

import pytest

from educational.accounts.models import User
from educational.core.db import db
from educational.experience import services
from tests.builders.experience import audit_data
from tests.conftest import PASSWORD, outbox_messages

PUBLIC = "https://training.example.org"

pytestmark = pytest.mark.app_config(PUBLIC_URL=PUBLIC, TRUSTED_HOSTS=["localhost"])


@pytest.mark.parametrize(
    ("decision", "kind"),
    [("verify", "experience_verified"), ("request_info", "experience_info_requested")],
)
def test_verification_mail_links_to_the_public_url(app, make_user, synced_courses, decision, kind):
    learner, staff = make_user("learner"), make_user("staff")
    with app.app_context():
        entry = services.create_entry(
            db.session.get(User, learner.id), "audit", audit_data(), submit=True
        )
        db.session.commit()
        entry_id = entry.id
    client = app.test_client()
    client.post("/login", data={"email": staff.email, "password": PASSWORD})
    data = {"decision": decision, "revision": "1", "comment": "Which plant?"}
    response = client.post(f"/staff/experience/{entry_id}/decide", data=data)
    assert response.status_code == 302

    (mail,) = outbox_messages(app, kind)
    links = re.findall(r"\S+://\S+", mail.body)
    assert links == [f"{PUBLIC}/experience/entries/{entry_id}"], mail.body

"""Decision and sweep e-mails link to PUBLIC_URL, whatever host the staff member's request
came by and also from the cron sweep, which has no request at all (issue 10, finding 1:
links in decision e-mails were built from the request's Host header; from the sweep they
were bare paths).

Here PUBLIC_URL is https://training.example.org and the test client's own host, localhost,
is a trusted alias."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from educational.accreditation.models import Accreditation
from educational.core.db import db
from tests.builders.accreditation import apply, qualify
from tests.conftest import PASSWORD, outbox_messages

PUBLIC = "https://training.example.org"
URL_RE = re.compile(r"\S+://\S+|(?<!\S)/\S*")

pytestmark = pytest.mark.app_config(PUBLIC_URL=PUBLIC, TRUSTED_HOSTS=["localhost"])


def assert_public_links(message) -> None:
    links = URL_RE.findall(message.body)
    assert links, message.body
    for link in links:
        assert link.startswith(f"{PUBLIC}/"), link


def test_decision_and_sweep_mail_links_to_the_public_url(app, make_user, synced_courses):
    learner, staff = make_user("learner"), make_user("staff")
    qualify(app, learner.id, staff.id)
    application_id = apply(app, learner.id)
    client = app.test_client()
    client.post("/login", data={"email": staff.email, "password": PASSWORD})
    url = f"/staff/accreditation/applications/{application_id}/decide"
    response = client.post(url, data={"decision": "approve", "reason": "Evidence complete."})
    assert response.status_code == 302
    (approved,) = outbox_messages(app, "application_approved")
    assert_public_links(approved)

    with app.app_context():
        until = db.session.scalar(select(Accreditation.valid_until))
    day = (until + timedelta(days=1)).isoformat()
    result = app.test_cli_runner().invoke(args=["accreditation", "sweep", "--date", day])
    assert result.exit_code == 0, result.output
    (expired,) = outbox_messages(app, "accreditation_expired")
    assert_public_links(expired)

"""One rule for training: the application checklist (``course:asi-auditor``) and the
eligibility API (``training_current``) agree before the certificate expires, after it
expired, and after the refresher renewed it (a new certificate of the original course)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from educational.accreditation.checklist import evaluate_person
from educational.catalog.models import Course
from educational.catalog.scheme import current_scheme
from educational.certificates.models import Certificate
from educational.certificates.rules import add_months
from educational.core.db import db, today
from tests.builders.people import login, post
from tests.builders.registry import Person, bearer, days
from tests.recert.helpers import ORIGINAL, REFRESHER, pass_exam, read_all

SCOPE = {"role": "auditor", "standard": "PS", "sector": "aluminium-smelting", "country": "NO"}
EXPIRES = days(30)


def checklist_met(app, user_id: int, day) -> bool:
    with app.app_context():
        evaluation = evaluate_person(
            current_scheme(),
            user_id,
            "auditor",
            scopes=[("PS", "aluminium-smelting")],
            countries=["NO"],
            as_of=day,
        )
        (result,) = [r for r in evaluation.results if r.code == f"course:{ORIGINAL}"]
        return result.met


def api_current(client, token: str, registry_id: str, day) -> bool:
    response = client.get(
        "/api/v1/eligibility",
        query_string={**SCOPE, "registry_id": registry_id, "date": day.isoformat()},
        headers=bearer(token),
    )
    assert response.status_code == 200, response.json
    (check,) = [c for c in response.json["checks"] if c["code"] == "training_current"]
    return check["passed"]


@pytest.fixture
def holder(registry):
    person = Person(
        name="Rita Refresher",
        courses=[
            (ORIGINAL, add_months(EXPIRES, -36)),
            ("ps-v3-auditors", days(-220)),
            ("coc-v2-auditors", days(-210)),
        ],
    )
    registry_id = registry.add(person)
    return registry_id, registry.users[registry_id]


@pytest.mark.csrf
def test_checklist_and_eligibility_agree_before_after_expiry_and_after_the_refresher(
    app, client, member_token, holder
):
    registry_id, user = holder
    before, on_expiry, later = today(), EXPIRES, EXPIRES + timedelta(days=200)
    seen = {
        day: (checklist_met(app, user.id, day), api_current(client, member_token, registry_id, day))
        for day in (before, on_expiry - timedelta(days=1), on_expiry, later)
    }
    assert seen == {
        before: (True, True),
        on_expiry - timedelta(days=1): (True, True),
        on_expiry: (False, False),
        later: (False, False),
    }

    # The holder passes the refresher from the reminder's link, through the pages.
    learner = app.test_client()
    login(learner, user.email)
    with app.app_context():
        code = db.session.scalar(
            select(Certificate.code)
            .join(Course, Certificate.course_id == Course.id)
            .where(Certificate.user_id == user.id, Course.slug == ORIGINAL)
        )
    page = f"/courses/{REFRESHER}"
    assert post(learner, f"/learning/renew/{code}", {}, form_url=page).status_code == 302
    read_all(app, learner, REFRESHER)
    pass_exam(app, learner, REFRESHER, "final-quiz")

    for day in (before, on_expiry, later):
        assert checklist_met(app, user.id, day) is True
        assert api_current(client, member_token, registry_id, day) is True

"""Accommodations (quiz overrides) are decisions about someone else: staff cannot grant
them to themselves (issue 10, finding 13)."""

import pytest
from sqlalchemy import func, select

from educational.core.audit import AuditEvent
from educational.core.db import db
from educational.quizzes.models import QuizOverride
from tests.conftest import csrf_token
from tests.quizzes.helpers import quiz_id


@pytest.mark.csrf
def test_staff_cannot_grant_themselves_extra_attempts_or_time(
    app, client, auth, make_user, synced_courses
):
    staff = make_user("staff")
    auth.login(staff.email, csrf=True)
    url = f"/staff/quizzes/{quiz_id(app, 'asi-auditor', 'final-exam')}/overrides"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "email": staff.email,
            "extra_minutes": "600",
            "extra_attempts": "50",
            "reason": "I need more attempts",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "You cannot grant an accommodation to yourself" in page
    # The form comes back as typed.
    assert "I need more attempts" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(QuizOverride)) == 0
        assert (
            db.session.scalar(select(func.count()).where(AuditEvent.action == "quiz.override_set"))
            == 0
        )


def test_staff_may_still_grant_an_accommodation_to_a_learner(
    app, client, auth, make_user, synced_courses
):
    learner, staff = make_user(), make_user("staff")
    auth.login(staff.email)
    url = f"/staff/quizzes/{quiz_id(app, 'asi-auditor', 'final-exam')}/overrides"
    response = client.post(
        url,
        data={
            "email": learner.email,
            "extra_minutes": "15",
            "extra_attempts": "0",
            "reason": "Dyslexia: extra time",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        override = db.session.scalar(select(QuizOverride))
        assert (override.user_id, override.extra_minutes) == (learner.id, 15)

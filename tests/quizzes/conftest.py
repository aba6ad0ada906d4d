import pytest

from tests.quizzes.helpers import COURSE


@pytest.fixture
def learner(app, client, auth, make_user, synced_courses):
    """A learner logged in on ``client`` and enrolled in the course of the exam."""
    user = make_user()
    auth.login(user.email)
    client.post(f"/courses/{COURSE}/enrol")
    return user

"""The summary before submitting (as Moodle's "Summary of attempt") and the learner's flags,
through the test client: finishing goes through the summary, which lists unanswered and
flagged questions with links back, and submits only from there."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from educational.core.db import db, utcnow
from educational.quizzes.models import Attempt, AttemptState
from tests.conftest import csrf_token
from tests.quizzes.helpers import COURSE, EXAM, correct_form


def start(client) -> tuple[str, int]:
    url = client.post(f"{EXAM}/start").headers["Location"]
    client.get("/")  # consume the flashed messages
    return url, int(url.rsplit("/", 1)[1])


def slots_state(app, attempt_id: int) -> dict[int, tuple[bool, bool]]:
    """Per position: (answered, flagged)."""
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        return {s.position: (s.answer is not None, s.flagged) for s in attempt.slots}


def summary_rows(page: str) -> dict[int, str]:
    """Per question on the summary page: its row's text, whitespace collapsed."""
    rows = re.findall(r'<tr id="summary-(\d+)">(.*?)</tr>', page, re.S)
    return {int(n): " ".join(re.sub(r"<[^>]+>", " ", html).split()) for n, html in rows}


def test_finishing_shows_the_summary_with_unanswered_and_flagged(app, client, learner):
    url, attempt_id = start(client)
    data = {**correct_form(app, attempt_id, wrong={3, 7}), "flagged": ["5", "7"]}
    response = client.post(f"{url}/save", data={**data, "action": "finish"})
    assert response.headers["Location"].endswith(f"{url}/summary")
    assert slots_state(app, attempt_id)[5] == (True, True)
    assert slots_state(app, attempt_id)[7] == (False, True)

    page = client.get(f"{url}/summary").get_data(as_text=True)
    rows = summary_rows(page)
    assert len(rows) == 20
    assert rows[1] == "Question 1 Answered"
    assert rows[3] == "Question 3 Not answered"
    assert rows[5] == "Question 5 Answered Flagged"
    assert rows[7] == "Question 7 Not answered Flagged"
    assert f'href="{url}#question-3"' in page
    assert "2 questions are not answered: 3, 7." in page
    assert "You flagged 2 questions to come back to: 5, 7." in page
    assert f'action="{url}/submit"' in page
    # Finishing saved but did not submit: the learner can still go back.
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).state == AttemptState.IN_PROGRESS
    attempt_page = client.get(url).get_data(as_text=True)
    assert re.search(r'name="flagged" value="5" checked', attempt_page)
    assert not re.search(r'name="flagged" value="3" checked', attempt_page)


def test_a_complete_attempt_has_no_warning_and_submits_from_the_summary(app, client, learner):
    url, attempt_id = start(client)
    client.post(f"{url}/save", data={**correct_form(app, attempt_id), "action": "finish"})
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        attempt.deadline_at = utcnow() + timedelta(minutes=31, seconds=30)
        db.session.commit()
    page = client.get(f"{url}/summary").get_data(as_text=True)
    assert 'id="unanswered-warning"' not in page
    assert "32 minutes left" in page
    response = client.post(f"{url}/submit")
    assert response.headers["Location"].endswith(f"{url}/review")
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert (attempt.state, attempt.passed, attempt.auto_submitted) == (
            AttemptState.SUBMITTED,
            True,
            False,
        )
    # A finished attempt has no summary: it shows its review.
    assert client.get(f"{url}/summary").headers["Location"].endswith(f"{url}/review")


def test_unticking_a_flag_removes_it_and_flags_never_change_the_grade(app, client, learner):
    url, attempt_id = start(client)
    answers = correct_form(app, attempt_id)
    client.post(f"{url}/save", data={**answers, "flagged": "2", "action": "save"})
    assert slots_state(app, attempt_id)[2] == (True, True)
    client.post(f"{url}/save", data={**answers, "action": "save"})
    assert not any(flagged for _answered, flagged in slots_state(app, attempt_id).values())
    client.post(f"{url}/save", data={**answers, "flagged": "2", "action": "submit"})
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).percent == 100.0


def test_autosave_saves_the_flag_of_its_question_only(app, client, learner):
    url, attempt_id = start(client)
    client.post(f"{url}/save", data={"flagged": "4", "action": "save"})
    response = client.post(f"{url}/answer", data={"position": "1", "flagged": "1"})
    assert response.status_code == 200
    state = slots_state(app, attempt_id)
    assert (state[1], state[4]) == ((False, True), (False, True))
    client.post(f"{url}/answer", data={"position": "1"})
    assert slots_state(app, attempt_id)[1] == (False, False)
    assert slots_state(app, attempt_id)[4] == (False, True)


def test_summary_and_submit_after_the_deadline(app, client, learner):
    url, attempt_id = start(client)
    client.post(f"{url}/save", data={**correct_form(app, attempt_id), "flagged": "1"})
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        attempt.deadline_at = utcnow() - timedelta(seconds=app.config["QUIZ_GRACE_SECONDS"] + 5)
        db.session.commit()
    # A GET never writes: the summary sends to the review, the attempt is still open.
    assert client.get(f"{url}/summary").headers["Location"].endswith(f"{url}/review")
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).is_open
    # The summary's submit, too late: the server closes it with the answers saved in time.
    response = client.post(f"{url}/submit")
    assert response.headers["Location"].endswith(f"{url}/review")
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert (attempt.state, attempt.auto_submitted, attempt.passed) == (
            AttemptState.SUBMITTED,
            True,
            True,
        )


def test_the_summary_of_someone_elses_attempt_is_not_found(app, client, learner, auth, make_user):
    url, _attempt_id = start(client)
    auth.logout()
    auth.login(make_user().email)
    assert client.get(f"{url}/summary").status_code == 404
    assert client.post(f"{url}/submit").status_code == 404


@pytest.mark.csrf
def test_finishing_and_flags_need_csrf(app, client, auth, make_user, synced_courses):
    auth.login(make_user().email, csrf=True)
    course_url = f"/courses/{COURSE}"
    client.post(f"{course_url}/enrol", data={"csrf_token": csrf_token(client, course_url)})
    url = client.post(f"{EXAM}/start", data={"csrf_token": csrf_token(client, EXAM)}).headers[
        "Location"
    ]
    attempt_id = int(url.rsplit("/", 1)[1])
    data = {"flagged": "2", "action": "finish"}
    assert client.post(f"{url}/save", data=data).status_code == 400
    assert client.post(f"{url}/submit").status_code == 400
    assert slots_state(app, attempt_id)[2] == (False, False)
    response = client.post(f"{url}/save", data={**data, "csrf_token": csrf_token(client, url)})
    assert response.headers["Location"].endswith(f"{url}/summary")
    assert slots_state(app, attempt_id)[2] == (False, True)
    summary = f"{url}/summary"
    response = client.post(f"{url}/submit", data={"csrf_token": csrf_token(client, summary)})
    assert response.headers["Location"].endswith(f"{url}/review")
    with app.app_context():
        assert db.session.scalar(select(Attempt)).state == AttemptState.SUBMITTED

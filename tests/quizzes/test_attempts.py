"""The quiz engine through the test client: starting, resuming, saving, time limits,
submitting, reviewing, overrides and completion."""

import json
import re
from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from educational.catalog.models import Enrolment, Quiz
from educational.core.audit import AuditEvent
from educational.core.db import db, utcnow
from educational.quizzes.models import Attempt, AttemptSlot
from tests.conftest import csrf_token
from tests.quizzes.helpers import (
    COURSE,
    EXAM,
    correct_form,
    latest_attempt,
    questions_shown,
    quiz_id,
    set_quiz_settings,
)


def fields_of(fields: dict, position: int) -> dict:
    """The form fields of one question."""
    name = f"q{position}"
    return {k: v for k, v in fields.items() if k == name or k.startswith(name + ".")}


def start(client) -> str:
    response = client.post(f"{EXAM}/start")
    assert response.status_code == 302, response.get_data(as_text=True)
    client.get("/")  # consume flashed messages, so pages compare equal
    return response.headers["Location"]


def test_attempt_draws_from_pools_and_is_the_same_after_reload(app, client, learner, monkeypatch):
    url = start(client)
    first = questions_shown(client.get(url).get_data(as_text=True))
    assert len(first) == 20
    with app.app_context():
        attempt = db.session.scalar(select(Attempt))
        quiz = attempt.quiz
        drawn = [slot.question.key for slot in attempt.slots]
        pool_of = {key: pool["id"] for pool in quiz.pools for key in pool["questions"]}
        for draw in quiz.settings["draw"]:
            assert sum(1 for key in drawn if pool_of[key] == draw["pool"]) == draw["count"]
        assert attempt.deadline_at - attempt.started_at == timedelta(minutes=45)
    # Starting again resumes the same attempt: the same questions, in the same order, with
    # their options in the same order. Not the whole page: its CSRF token is timestamped, and
    # on a slow machine the second request comes a second later, as here.
    later = TimestampSigner.get_timestamp(None) + 5
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda signer: later)
    assert start(client) == url
    assert questions_shown(client.get(url).get_data(as_text=True)) == first


def test_unsubmitted_attempt_page_holds_no_correct_answer(app, client, learner):
    url = start(client)
    page = client.get(url).get_data(as_text=True)
    tags = " ".join(re.findall(r"<[^>]+>", page))
    assert not re.search(r"correct|weight|feedback", tags, re.IGNORECASE)
    with app.app_context():
        attempt = db.session.scalar(select(Attempt))
        for slot in attempt.slots:
            question, definition = slot.question, slot.question.definition
            fieldset = re.search(
                rf'<fieldset class="question" id="question-{slot.position}".*?</fieldset>',
                page,
                re.S,
            ).group(0)
            if question.feedback:
                assert question.feedback not in page
            for option in definition.get("options", []):
                if option.get("feedback"):
                    assert option["feedback"] not in page
            if question.type in ("numeric", "short"):
                # The input is empty and nothing else in the question gives the answer.
                assert re.search(rf'name="q{slot.position}"[^>]*value=""', fieldset)
                shown = re.sub(r"<[^>]+>", " ", fieldset.split("</div>", 1)[1])
                for answer in definition["answers"]:
                    given = str(answer.get("value", answer.get("text") or ""))
                    if given:
                        assert not re.search(rf"(?<![\w.]){re.escape(given)}(?![\w.])", shown)
            if question.type == "ordering":
                shown = re.findall(rf'name="q{slot.position}\.([a-z0-9-]+)"', fieldset)
                assert shown == slot.layout["items"]
                assert shown != [item["id"] for item in definition["items"]]


def test_passing_the_exam_after_reading_completes_the_course(app, client, learner):
    with app.app_context():
        enrolment = db.session.scalar(select(Enrolment))
        modules = [m.name for m in enrolment.course.live_modules]
    for name in modules:
        client.post(f"/courses/{COURSE}/modules/{name}/read")
    url = start(client)
    attempt_id = int(url.rsplit("/", 1)[1])
    response = client.post(
        f"{url}/save", data={**correct_form(app, attempt_id), "action": "submit"}
    )
    assert response.headers["Location"].endswith(f"{url}/review")
    page = client.get(f"{url}/review").get_data(as_text=True)
    assert "100.0%" in page and "passed" in page
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert (attempt.passed, attempt.percent, attempt.score) == (True, 100.0, attempt.max_score)
        assert db.session.scalar(select(Enrolment)).completed_at is not None


def test_partial_credit_and_failing(app, client, learner):
    url = start(client)
    attempt_id = int(url.rsplit("/", 1)[1])
    wrong = set(range(1, 6))  # 5 of 20 unanswered: 75% < 80%
    client.post(f"{url}/save", data={**correct_form(app, attempt_id, wrong), "action": "submit"})
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.passed is False
        assert attempt.percent == pytest.approx(
            100 * sum(s.score for s in attempt.slots) / attempt.max_score, abs=0.01
        )
        assert db.session.scalar(select(Enrolment)).completed_at is None


def test_autosave_keeps_answers_across_reload_and_devices(app, client, learner, make_user):
    url = start(client)
    unanswered = questions_shown(client.get(url).get_data(as_text=True))
    fields = correct_form(app, int(url.rsplit("/", 1)[1]))
    response = client.post(f"{url}/answer", data={"position": "3", **fields_of(fields, 3)})
    assert response.status_code == 200
    assert response.get_json()["saved"] is True
    with app.app_context():
        slot = db.session.scalar(select(AttemptSlot).where(AttemptSlot.position == 3))
        assert slot.answered_at is not None and slot.answer is not None
    # Another device: a fresh session of the same learner sees the saved state.
    other = app.test_client()
    other.post("/login", data={"email": learner.email, "password": "correct horse battery"})
    other.get("/")
    shown = questions_shown(client.get(url).get_data(as_text=True))
    assert questions_shown(other.get(url).get_data(as_text=True)) == shown
    assert shown[2] != unanswered[2] and shown[3:] == unanswered[3:]


def answered_positions(app) -> list[int]:
    with app.app_context():
        slots = db.session.scalar(select(Attempt)).slots
        return [slot.position for slot in slots if slot.answered_at is not None]


def test_answer_for_a_question_not_in_the_attempt_is_refused(app, client, learner):
    url = start(client)
    response = client.post(f"{url}/answer", data={"position": "99", "q99": "a"})
    assert response.status_code == 409
    assert "not part of this attempt" in response.get_json()["error"]["message"]
    assert client.post(f"{url}/answer", data={}).status_code == 400
    assert answered_positions(app) == []


def test_someone_elses_attempt_is_refused(app, client, auth, learner, make_user):
    url = start(client)
    auth.logout()
    intruder = make_user()
    auth.login(intruder.email)
    client.post(f"/courses/{COURSE}/enrol")
    assert client.get(url).status_code == 404
    assert client.post(f"{url}/answer", data={"position": "1", "q1": "a"}).status_code == 404
    assert client.post(f"{url}/save", data={"q1": "a"}).status_code == 404
    assert client.post(f"{url}/submit").status_code == 404
    assert client.get(f"{url}/review").status_code == 404


def test_late_answer_is_refused_and_the_attempt_submitted_with_what_was_saved(app, client, learner):
    url = start(client)
    attempt_id = int(url.rsplit("/", 1)[1])
    fields = correct_form(app, attempt_id)
    client.post(f"{url}/answer", data={"position": "1", **fields_of(fields, 1)})
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        attempt.deadline_at = utcnow() - timedelta(seconds=app.config["QUIZ_GRACE_SECONDS"] + 1)
        db.session.commit()
    response = client.post(f"{url}/answer", data={"position": "2", **fields_of(fields, 2)})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "time_is_up"
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert not attempt.is_open and attempt.auto_submitted
        answers = {slot.position: slot.answer for slot in attempt.slots}
        assert answers[1] is not None and answers[2] is None
        assert attempt.slots[0].fraction == 1.0


def test_answer_within_the_grace_period_is_accepted(app, client, learner):
    url = start(client)
    attempt_id = int(url.rsplit("/", 1)[1])
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        attempt.deadline_at = utcnow() - timedelta(seconds=app.config["QUIZ_GRACE_SECONDS"] - 10)
        db.session.commit()
    assert client.post(f"{url}/answer", data={"position": "2", "q2": "y"}).status_code == 200


def test_double_submit_grades_once(app, client, learner):
    url = start(client)
    attempt_id = int(url.rsplit("/", 1)[1])
    client.post(f"{url}/save", data={**correct_form(app, attempt_id), "action": "submit"})
    with app.app_context():
        first = db.session.get(Attempt, attempt_id)
        submitted_at, score = first.submitted_at, first.score
    # A second submission with other answers changes nothing.
    assert client.post(f"{url}/submit").status_code == 302
    response = client.post(f"{url}/save", data={"q1": "zzz", "action": "submit"})
    assert response.status_code == 302
    with app.app_context():
        again = db.session.get(Attempt, attempt_id)
        assert (again.submitted_at, again.score) == (submitted_at, score)


def test_max_attempts_and_cooldown(app, client, learner):
    qid = quiz_id(app, COURSE, "final-exam")
    set_quiz_settings(app, qid, cooldown_minutes=0, max_attempts=2)
    for _ in range(2):
        url = start(client)
        client.post(f"{url}/submit")
    response = client.post(f"{EXAM}/start", follow_redirects=True)
    assert "You have used all 2 attempts at this quiz." in response.get_data(as_text=True)

    set_quiz_settings(app, qid, cooldown_minutes=60, max_attempts=5)
    response = client.post(f"{EXAM}/start", follow_redirects=True)
    assert "waiting time between attempts" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Attempt).count() == 2


def test_staff_override_gives_extra_time_and_attempts_and_is_audited(
    app, client, auth, learner, make_user
):
    qid = quiz_id(app, COURSE, "final-exam")
    set_quiz_settings(app, qid, cooldown_minutes=0, max_attempts=1)
    client.post(f"{start(client)}/submit")
    auth.logout()
    staff = make_user("staff")
    auth.login(staff.email)
    url = f"/staff/quizzes/{qid}/overrides"
    response = client.post(
        url,
        data={"email": learner.email, "extra_minutes": "30", "extra_attempts": "1", "reason": ""},
    )
    assert "Give the reason" in response.get_data(
        as_text=True
    ) or "This field is required" in response.get_data(as_text=True)
    response = client.post(
        url,
        data={
            "email": learner.email,
            "extra_minutes": "30",
            "extra_attempts": "1",
            "reason": "Dyslexia: 50% extra time",
        },
    )
    assert response.status_code == 302
    auth.logout()
    auth.login(learner.email)
    start(client)
    attempt = latest_attempt(app, learner.id)
    assert attempt.number == 2
    assert attempt.deadline_at - attempt.started_at == timedelta(minutes=45 + 30)
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "quiz.override_set")
        )
        assert event.actor_id == staff.id
        assert json.loads(event.payload)["reason"] == "Dyslexia: 50% extra time"


def test_grading_method_highest_or_last(app, client, learner):
    from educational.quizzes import services

    qid = quiz_id(app, COURSE, "final-exam")
    set_quiz_settings(app, qid, cooldown_minutes=0, max_attempts=0)
    first = start(client)
    client.post(
        f"{first}/save",
        data={**correct_form(app, int(first.rsplit("/", 1)[1])), "action": "submit"},
    )
    second = start(client)
    client.post(f"{second}/submit")
    with app.app_context():
        quiz = db.session.get(Quiz, qid)
        assert services.graded_attempt(learner.id, quiz).number == 1
    set_quiz_settings(app, qid, grading="last")
    with app.app_context():
        quiz = db.session.get(Quiz, qid)
        assert services.graded_attempt(learner.id, quiz).number == 2


@pytest.mark.csrf
def test_attempt_forms_need_csrf(app, client, auth, make_user, synced_courses):
    auth.login(make_user().email, csrf=True)
    course_url = f"/courses/{COURSE}"
    client.post(f"{course_url}/enrol", data={"csrf_token": csrf_token(client, course_url)})
    response = client.post(f"{EXAM}/start", data={"csrf_token": csrf_token(client, EXAM)})
    url = response.headers["Location"]
    answer = {"position": "1", **fields_of(correct_form(app, int(url.rsplit("/", 1)[1])), 1)}
    assert client.post(f"{url}/answer", data=answer).status_code == 400
    assert answered_positions(app) == []
    token = csrf_token(client, url)
    response = client.post(f"{url}/answer", data=answer, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert answered_positions(app) == [1]

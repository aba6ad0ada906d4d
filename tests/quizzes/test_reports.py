"""Staff quiz reports: the quiz list, the item analysis page, its CSV and the responses."""

import csv
import io
import re
from datetime import timedelta

import pytest

from educational.catalog.models import Question
from educational.core.db import db, utcnow
from educational.quizzes.models import Attempt, AttemptSlot
from tests.quizzes.helpers import add_attempt_row, add_course_row, add_quiz_row, add_slot_row

SINGLE = {
    "options": [
        {"id": "a", "text": "Nine", "correct": False, "feedback": ""},
        {"id": "b", "text": "Eleven", "correct": True, "feedback": ""},
    ]
}
TRUE_FALSE = {"answer": True, "feedback_true": "", "feedback_false": ""}
MATCHING = {
    "pairs": [
        {"id": "p1", "prompt": "Bauxite", "match": "ore"},
        {"id": "p2", "prompt": "Alumina", "match": "oxide"},
    ],
    "distractors": [],
}

#: The answers that earn each score, per question (the same matrix as test_statistics):
#:
#:               q1  q2  q3   percent
#:   learner 1    1   1   2   100
#:   learner 2    1   0   2    75
#:   learner 3    0   1   0    25
#:   learner 4    1   1   1    75
#:   learner 5    0   0   0     0   (first attempt; the second scores 100)
ANSWERS = {
    "single": {1: "b", 0: "a"},
    "true_false": {1: True, 0: False},
    "matching": {
        2: {"p1": "ore", "p2": "oxide"},
        1: {"p1": "ore", "p2": "ore"},
        0: {"p1": "oxide", "p2": "ore"},
    },
}
FIRST_ATTEMPTS = [(1, 1, 2), (1, 0, 2), (0, 1, 0), (1, 1, 1), (0, 0, 0)]


@pytest.fixture
def report_quiz(app, make_user):
    """A quiz of three questions, five learners' submitted attempts (learner 5 twice) and
    one attempt in progress; returns (quiz id, question ids)."""
    learners = [make_user("learner") for _ in range(5)]
    with app.app_context():
        course = add_course_row("smelting", "Smelting basics")
        questions = [
            Question(
                course_id=course.id,
                key=key,
                type=qtype,
                points=points,
                text=f"Question {key}",
                definition=definition,
                translations={},
                content_hash=key,
            )
            # A key starting with "=" checks the CSV defuses formulas.
            for key, qtype, points, definition in (
                ("atoms", "single", 1.0, SINGLE),
                ("light", "true_false", 1.0, TRUE_FALSE),
                ("=pairs", "matching", 2.0, MATCHING),
            )
        ]
        quiz = add_quiz_row(
            course,
            "exam",
            "Smelting exam",
            {"pass_mark": 75, "grading": "highest"},
            [{"id": "main", "questions": ["atoms", "light", "=pairs"]}],
        )
        db.session.add_all(questions)
        db.session.flush()
        rows = [(user, 1, scores) for user, scores in zip(learners, FIRST_ATTEMPTS, strict=True)]
        rows.append((learners[4], 2, (1, 1, 2)))
        for user, number, scores in rows:
            add_attempt(quiz, questions, user.id, number, scores)
        add_attempt(quiz, questions, learners[0].id, 2, (0, 0, 0), submitted=False)
        db.session.commit()
        return quiz.id, [question.id for question in questions]


def add_attempt(quiz, questions, user_id, number, scores, submitted=True):
    total = sum(scores)
    attempt = add_attempt_row(
        quiz,
        user_id,
        number=number,
        submitted_at=utcnow() + timedelta(minutes=number) if submitted else None,
        max_score=4.0,
        score=float(total) if submitted else None,
        passed=(100.0 * total / 4 >= 75) if submitted else None,
    )
    for position, (question, score) in enumerate(zip(questions, scores, strict=True), 1):
        add_slot_row(
            attempt,
            position,
            question,
            ANSWERS[question.type][score],
            score if submitted else None,
        )


@pytest.fixture
def staff(auth, make_user):
    user = make_user("staff")
    auth.login(user.email)
    return user


def test_quiz_list_counts_submitted_attempts(client, report_quiz, staff):
    page = client.get("/staff/quizzes").get_data(as_text=True)
    assert "Smelting exam" in page
    # Six submitted attempts by five learners; 100, 75, 75 and 100 % reach the pass mark.
    assert "<td>5</td>" in page
    assert "<td>6</td>" in page
    assert "4 (66.7%)" in page


def test_report_uses_the_graded_attempts_by_default(client, report_quiz, staff):
    quiz_id, _ids = report_quiz
    page = client.get(f"/staff/quizzes/{quiz_id}/report").get_data(as_text=True)
    # Highest grading: learner 5's second attempt (100 %) counts, not the first (0 %).
    # Percents 100 75 25 75 100: mean 75, median 75; 4 of 5 passed.
    assert "<dt>Attempts analysed</dt><dd>5</dd>" in page
    assert "<dt>Mean score</dt><dd>75.00%</dd>" in page
    assert "<dt>Median score</dt><dd>75.00%</dd>" in page
    assert "4 (80.00%)" in page


def test_report_of_first_attempts(client, report_quiz, staff):
    quiz_id, question_ids = report_quiz
    page = client.get(f"/staff/quizzes/{quiz_id}/report?attempts=first").get_data(as_text=True)
    # The hand-worked matrix of test_statistics: mean 55, median 75, SD sqrt(1687.5).
    assert "<dt>Mean score</dt><dd>55.00%</dd>" in page
    assert "<dt>Median score</dt><dd>75.00%</dd>" in page
    assert "<dt>Standard deviation</dt><dd>41.08%</dd>" in page
    assert "<dt>Skewness</dt><dd>-0.52</dd>" in page
    assert "<dt>Kurtosis</dt><dd>-1.69</dd>" in page
    assert "<dt>Coefficient of internal consistency</dt><dd>61.11%</dd>" in page
    # Item analysis: q1 facility 60 %, SD 54.77 %, D 88.07 %, E 100 %; q2 D 6.02 %, E 6.25 %
    # (flagged); q3 D 59.76 %, E 66.67 %.
    for shown in ("60.00%", "54.77%", "88.07%", "100.00%", "6.02%", "6.25%", "59.76%", "66.67%"):
        assert f"<td>{shown}</td>" in page
    assert "Weak discrimination" in page
    assert "Low efficiency" in page
    assert f"/staff/quizzes/{quiz_id}/report/questions/{question_ids[0]}?attempts=first" in page
    # The in-progress attempt never counts.
    assert "<dt>Attempts analysed</dt><dd>5</dd>" in page


def test_score_distribution_is_an_accessible_svg_with_a_table(client, report_quiz, staff):
    quiz_id, _ids = report_quiz
    response = client.get(f"/staff/quizzes/{quiz_id}/report?attempts=all")
    page = response.get_data(as_text=True)
    assert 'role="img" aria-labelledby="distribution-title distribution-desc"' in page
    assert '<title id="distribution-title">' in page
    assert page.count("<rect ") == 10
    # The CSP forbids inline styles: presentation attributes only.
    assert "style=" not in page
    assert "<caption>Attempts by score</caption>" in page
    # All six attempts: 0 and 25 once, 75 twice, 100 twice.
    assert '<th scope="row">90 to 100%</th>\n          <td>2</td>' in page
    assert '<th scope="row">70 to under 80%</th>\n          <td>2</td>' in page


def test_item_analysis_csv(client, report_quiz, staff):
    quiz_id, _ids = report_quiz
    response = client.get(f"/staff/quizzes/{quiz_id}/report?attempts=first&format=csv")
    assert response.mimetype == "text/csv"
    assert "smelting-exam-item-analysis.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["question"] for row in rows] == ["atoms", "light", "'=pairs"]
    atoms = rows[0]
    assert atoms["attempts"] == "5"
    assert atoms["facility_percent"] == "60.00"
    assert atoms["sd_percent"] == "54.77"
    assert atoms["random_guess_percent"] == "50.00"
    assert atoms["discrimination_index_percent"] == "88.07"
    assert atoms["discriminative_efficiency_percent"] == "100.00"
    assert rows[1]["flags"] == "weak_discrimination low_efficiency"
    assert rows[2]["intended_weight_percent"] == "50.00"


def test_option_frequencies(client, report_quiz, staff):
    quiz_id, (atoms, light, pairs) = report_quiz
    url = f"/staff/quizzes/{quiz_id}/report/questions"
    page = client.get(f"{url}/{atoms}?attempts=first").get_data(as_text=True)
    # First attempts: "Eleven" (right) 3 times of 5, "Nine" twice.
    assert (
        '<th scope="row">Eleven</th>\n            <td>Correct</td>\n            <td>3</td>' in page
    )
    assert "<td>60.0%</td>" in page
    assert '<th scope="row">Nine</th>\n            <td>Wrong</td>\n            <td>2</td>' in page
    page = client.get(f"{url}/{light}?attempts=all").get_data(as_text=True)
    # All six attempts: True 4 times (66.7 %).
    assert '<th scope="row">True</th>' in page
    assert "<td>66.7%</td>" in page
    page = client.get(f"{url}/{pairs}").get_data(as_text=True)
    assert "<caption>Bauxite</caption>" in page
    assert "<caption>Alumina</caption>" in page


def test_unknown_quiz_or_question(client, report_quiz, staff):
    quiz_id, _ids = report_quiz
    assert client.get("/staff/quizzes/999999/report").status_code == 404
    assert client.get(f"/staff/quizzes/{quiz_id}/report/questions/999999").status_code == 404


def test_quiz_without_attempts(app, client, report_quiz, staff):
    quiz_id, _ids = report_quiz
    with app.app_context():
        db.session.query(AttemptSlot).delete()
        db.session.query(Attempt).delete()
        db.session.commit()
    page = client.get(f"/staff/quizzes/{quiz_id}/report").get_data(as_text=True)
    assert "Nobody has submitted an attempt at this quiz yet." in page
    assert not re.search(r"\bnan\b", page, re.IGNORECASE)
    assert client.get(f"/staff/quizzes/{quiz_id}/report?format=csv").status_code == 200


@pytest.mark.parametrize("role", ["learner", "member"])
def test_learners_and_members_are_refused(client, auth, make_user, report_quiz, role):
    quiz_id, (atoms, _light, _pairs) = report_quiz
    auth.login(make_user(role).email)
    for url in (
        "/staff/quizzes",
        f"/staff/quizzes/{quiz_id}/report",
        f"/staff/quizzes/{quiz_id}/report?format=csv",
        f"/staff/quizzes/{quiz_id}/report/questions/{atoms}",
    ):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_log_in(client, report_quiz):
    response = client.get("/staff/quizzes")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]

"""Item analysis per attempt language: each question's facility and discrimination over the
attempts in each language, and the questions whose facility differs between languages by
more than the threshold (``QUIZ_LANGUAGE_GAP``), checked against values worked out by hand."""

import csv
import io
import math
from datetime import timedelta

import numpy as np
import pytest

from educational.catalog.models import Question
from educational.core.db import db, utcnow
from educational.quizzes.models import Attempt
from educational.quizzes.statistics import analyse_languages, language_gaps
from tests.quizzes.helpers import add_attempt_row, add_course_row, add_quiz_row, add_slot_row

# Eight attempts at three questions of 1 point, four in English and four in French:
#
#          q1  q2  q3           q1  q2  q3
#   e1      1   1   1     f1     1   1   1
#   e2      1   0   1     f2     0   0   1
#   e3      0   0   1     f3     0   0   0
#   e4      0   1   0     f4     0   1   1
ROWS = [
    ("en", (1, 1, 1)),
    ("fr", (1, 1, 1)),
    ("en", (1, 0, 1)),
    ("fr", (0, 0, 1)),
    ("en", (0, 0, 1)),
    ("fr", (0, 0, 0)),
    ("en", (0, 1, 0)),
    ("fr", (0, 1, 1)),
]
SCORES = np.array([scores for _language, scores in ROWS], dtype=float)
LANGUAGES = [language for language, _scores in ROWS]


def approx(value):
    return pytest.approx(value, abs=1e-9)


def test_facility_and_discrimination_per_language():
    by_language = analyse_languages(SCORES, [1, 1, 1], LANGUAGES)
    assert list(by_language) == ["en", "fr"]
    en, fr = by_language["en"].items, by_language["fr"].items
    assert [item.attempts for item in en + fr] == [4] * 6
    # Facility: en q1 2/4, q2 2/4, q3 3/4; fr q1 1/4, q2 2/4, q3 3/4.
    assert [item.facility for item in en] == [approx(50), approx(50), approx(75)]
    assert [item.facility for item in fr] == [approx(25), approx(50), approx(75)]
    # en q1: x = 1 1 0 0 (mean .5), rest X = q2 + q3 = 2 1 1 1 (mean 1.25).
    # dx = .5 .5 -.5 -.5; dX = .75 -.25 -.25 -.25
    # V(x) = 1 / 3; V(X) = (.5625 + 3 * .0625) / 3 = .25; Cov = (.375 - .125 + .125 + .125) / 3
    # = 1/6 -> D = 100 * (1/6) / sqrt(1/3 * 1/4) = 57.74 %
    assert en[0].discrimination_index == approx(100 * (1 / 6) / math.sqrt(1 / 12))
    # fr q1: x = 1 0 0 0 (mean .25), X = 2 1 0 2 (mean 1.25).
    # dx = .75 -.25 -.25 -.25; dX = .75 -.25 -1.25 .75
    # V(x) = (.5625 + 3 * .0625) / 3 = .25; V(X) = (.5625 + .0625 + 1.5625 + .5625) / 3
    # = 2.75 / 3; Cov = (.5625 + .0625 + .3125 - .1875) / 3 = .25
    # -> D = 100 * .25 / sqrt(.25 * 2.75 / 3) = 52.22 %
    assert fr[0].discrimination_index == approx(100 * 0.25 / math.sqrt(0.25 * 2.75 / 3))
    assert fr[0].discrimination_index == pytest.approx(52.2233, abs=1e-4)


def test_gap_between_languages_is_flagged_first():
    by_language = analyse_languages(SCORES, [1, 1, 1], LANGUAGES)
    gaps = language_gaps(by_language, threshold=0.20, min_attempts=4)
    # q1: 50 % in English, 25 % in French: a gap of 25 points > 20: flagged; q2 and q3: 0.
    assert [(gap.question, gap.flagged) for gap in gaps] == [(0, True), (1, False), (2, False)]
    assert gaps[0].gap == approx(25)
    assert [(entry.language, entry.facility) for entry in gaps[0].languages] == [
        ("en", approx(50)),
        ("fr", approx(25)),
    ]
    assert gaps[1].gap == approx(0)
    # Five attempts needed per language: nothing is compared, nothing flagged.
    gaps = language_gaps(by_language, threshold=0.20, min_attempts=5)
    assert all(gap.gap is None and not gap.flagged for gap in gaps)


def one_question(right_en: int, attempts_en: int, right_fr: int, attempts_fr: int):
    """One question's marks: ``right`` of ``attempts`` in each language."""
    scores = [[1.0]] * right_en + [[0.0]] * (attempts_en - right_en)
    scores += [[1.0]] * right_fr + [[0.0]] * (attempts_fr - right_fr)
    languages = ["en"] * attempts_en + ["fr"] * attempts_fr
    return analyse_languages(np.array(scores), [1], languages)


@pytest.mark.parametrize(
    ("right_fr", "flagged"),
    [(49, True), (50, False), (51, False)],
    ids=["21 points: just above", "20 points: at the threshold", "19 points: just below"],
)
def test_gap_just_above_or_below_the_threshold(right_fr, flagged):
    # English 70 of 100 right (70 %), French 49, 50 or 51 of 100.
    by_language = one_question(70, 100, right_fr, 100)
    (gap,) = language_gaps(by_language, threshold=0.20, min_attempts=10)
    assert gap.gap == approx(70 - right_fr)
    assert gap.flagged is flagged


@pytest.mark.parametrize(("threshold", "flagged"), [(0.19, True), (0.20, False), (0.21, False)])
def test_threshold_just_below_or_above_the_gap(threshold, flagged):
    # 7 of 10 against 5 of 10: exactly 20 points.
    by_language = one_question(7, 10, 5, 10)
    (gap,) = language_gaps(by_language, threshold=threshold, min_attempts=10)
    assert gap.flagged is flagged


@pytest.mark.parametrize(("attempts_fr", "compared"), [(9, False), (10, True)])
def test_minimum_attempts_per_language(attempts_fr, compared):
    # English 7 of 10, French 0 right: a gap of 70 points, compared only with 10 French.
    by_language = one_question(7, 10, 0, attempts_fr)
    (gap,) = language_gaps(by_language, threshold=0.20, min_attempts=10)
    assert gap.flagged is compared
    assert (gap.gap is not None) is compared


def test_no_attempts():
    assert analyse_languages(np.empty((0, 2)), [1, 1], []) == {}
    assert language_gaps({}, threshold=0.2, min_attempts=10) == []


# Through the client


@pytest.fixture
def bilingual_quiz(app, make_user):
    """The hand-worked attempts in the database; returns (quiz id, question keys)."""
    learners = [make_user("learner") for _ in ROWS]
    with app.app_context():
        course = add_course_row("bilingual", "Bilingual course", ("en", "fr"))
        keys = ["first-question", "second-question", "third-question"]
        questions = [
            Question(
                course_id=course.id,
                key=key,
                type="true_false",
                points=1.0,
                text=f"Question {key}",
                definition={"answer": True, "feedback_true": "", "feedback_false": ""},
                translations={},
                content_hash=key,
            )
            for key in keys
        ]
        quiz = add_quiz_row(
            course,
            "exam",
            "Bilingual exam",
            {"pass_mark": 60, "grading": "highest"},
            [{"id": "main", "questions": keys}],
        )
        db.session.add_all(questions)
        db.session.flush()
        for index, (user, (language, scores)) in enumerate(zip(learners, ROWS, strict=True)):
            total = float(sum(scores))
            attempt = add_attempt_row(
                quiz,
                user.id,
                language=language,
                submitted_at=utcnow() + timedelta(minutes=index),
                max_score=3.0,
                score=total,
                passed=total >= 2,
            )
            for position, (question, score) in enumerate(zip(questions, scores, strict=True), 1):
                add_slot_row(attempt, position, question, bool(score), score)
        db.session.commit()
        return quiz.id, keys


@pytest.fixture
def staff(auth, make_user):
    user = make_user("staff")
    auth.login(user.email, csrf=True)
    return user


@pytest.mark.csrf
@pytest.mark.app_config(QUIZ_LANGUAGE_MIN_ATTEMPTS=4)
def test_page_shows_the_languages_and_flags_the_gap(client, bilingual_quiz, staff):
    quiz_id, _keys = bilingual_quiz
    page = client.get(f"/staff/quizzes/{quiz_id}/report").get_data(as_text=True)
    section = page.split('id="languages-heading"', 1)[1]
    assert "more than 20 percentage points" in section
    assert "at least 4 attempts" in section
    assert "a translation problem" in section
    flagged = section.split("<h3>", 1)[1].split("</ul>", 1)[0]
    assert "first-question" in flagged
    assert "second-question" not in flagged
    assert "25.0 percentage points" in flagged
    assert "English 50.0%" in flagged and "French 25.0%" in flagged
    table = section.split("<tbody>", 1)[1]
    # Flagged first; each language's row with its figures (fr q1 D = 52.22 %).
    assert table.index("first-question") < table.index("second-question")
    assert "<td>French</td>" in table and "<td>English</td>" in table
    assert "<td>52.22%</td>" in table
    assert "<td>57.74%</td>" in table


@pytest.mark.csrf
def test_page_says_when_too_few_attempts_to_compare(client, bilingual_quiz, staff):
    # The default minimum is 10 attempts per language: four are too few.
    quiz_id, _keys = bilingual_quiz
    page = client.get(f"/staff/quizzes/{quiz_id}/report").get_data(as_text=True)
    section = page.split('id="languages-heading"', 1)[1]
    assert "at least 10 attempts" in section
    assert "No question has enough attempts in two languages to compare yet." in section
    assert "(too few to compare)" in section


@pytest.mark.csrf
@pytest.mark.app_config(QUIZ_LANGUAGE_MIN_ATTEMPTS=4, QUIZ_LANGUAGE_GAP=0.3)
def test_threshold_comes_from_the_config(client, bilingual_quiz, staff):
    quiz_id, _keys = bilingual_quiz
    page = client.get(f"/staff/quizzes/{quiz_id}/report").get_data(as_text=True)
    section = page.split('id="languages-heading"', 1)[1]
    assert "more than 30 percentage points" in section
    assert "Language gap" not in section


@pytest.mark.csrf
@pytest.mark.app_config(QUIZ_LANGUAGE_MIN_ATTEMPTS=4)
def test_csv_has_the_languages(client, bilingual_quiz, staff):
    quiz_id, keys = bilingual_quiz
    response = client.get(f"/staff/quizzes/{quiz_id}/report?format=csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["question"] for row in rows] == keys
    first = rows[0]
    assert first["language_gap_percent"] == "25.00"
    assert first["language_gap_flagged"] == "yes"
    assert first["attempts_en"] == "4"
    assert first["facility_percent_en"] == "50.00"
    assert first["facility_percent_fr"] == "25.00"
    assert first["discrimination_index_percent_fr"] == "52.22"
    assert rows[1]["language_gap_flagged"] == "no"


@pytest.mark.csrf
def test_one_language_has_nothing_to_compare(app, client, bilingual_quiz, staff):
    quiz_id, _keys = bilingual_quiz
    with app.app_context():
        db.session.query(Attempt).update({Attempt.language: "en"})
        db.session.commit()
    page = client.get(f"/staff/quizzes/{quiz_id}/report").get_data(as_text=True)
    assert "The attempts analysed are all in one language" in page

"""The exam's coefficient of internal consistency (CIC), error ratio and standard error when
questions are drawn from pools: computed over draw positions (slots), as Moodle does for
random-question slots, and checked against a calculation by hand."""

import math
import random
from datetime import timedelta

import numpy as np
import pytest

from educational.catalog.models import Question, Quiz
from educational.core.db import db, utcnow
from educational.quizzes import reports, services
from educational.quizzes.statistics import (
    analyse_items,
    assign_slots,
    internal_consistency,
    slot_matrix,
)
from tests.quizzes.helpers import (
    add_attempt_row,
    add_course_row,
    add_quiz_row,
    add_slot_row,
    quiz_id,
)

NAN = np.nan

# Five attempts at a quiz that draws 3 questions from a pool of 5 (A to E, 1 point each).
# Each attempt's drawn questions take the slots in the pool's order, whatever order they
# were shown in:
#
#          drew      marks (pool order)   slot 1  slot 2  slot 3   total
#   a1     A B D     A=1 B=1 D=1             1       1       1        3
#   a2     A C E     A=0 C=1 E=0             0       1       0        1
#   a3     B C D     B=1 C=1 D=0             1       1       0        2
#   a4     A D E     A=1 D=1 E=1             1       1       1        3
#   a5     C D E     C=0 D=0 E=1             0       0       1        1
SLOTS = np.array(
    [[1, 1, 1], [0, 1, 0], [1, 1, 0], [1, 1, 1], [0, 0, 1]],
    dtype=float,
)
#: The same marks by question (NaN: not drawn).
#:          A    B    C    D    E
BY_QUESTION = np.array(
    [
        [1, 1, NAN, 1, NAN],
        [0, NAN, 1, NAN, 0],
        [NAN, 1, 1, 0, NAN],
        [1, NAN, NAN, 1, 1],
        [NAN, NAN, 0, 0, 1],
    ]
)
DRAWN = {0: "ABD", 1: "ACE", 2: "BCD", 3: "ADE", 4: "CDE"}

# By hand (variances with s - 1 = 4):
#   slot 1: 1 0 1 1 0, mean .6, squared deviations .16 .36 .16 .16 .36 = 1.2 -> V = .3
#   slot 2: 1 1 1 1 0, mean .8, squared deviations .04 .04 .04 .04 .64 = .8 -> V = .2
#   slot 3: 1 0 0 1 1, mean .6, as slot 1                                 -> V = .3
#   sum of the slots' variances = .8
#   totals 3 1 2 3 1, mean 2, squared deviations 1 1 0 1 1 = 4 -> k2 = 4 / 4 = 1
#   CIC = 100 * p / (p - 1) * (1 - sum V / k2) = 100 * 3/2 * (1 - .8 / 1) = 30 %
#   error ratio = 100 * sqrt(1 - CIC / 100) = 100 * sqrt(.7) = 83.67 %
#   standard error = error ratio / 100 * sqrt(k2) = .8367 marks, of 3: 27.89 %
HAND_CIC = 30.0
HAND_ERROR_RATIO = 100 * math.sqrt(0.7)
HAND_STANDARD_ERROR = 100 * math.sqrt(0.7) / 3


def test_cic_over_slots_matches_the_hand_calculation():
    found = internal_consistency(SLOTS, 3.0)
    assert found.cic == pytest.approx(HAND_CIC)
    assert found.error_ratio == pytest.approx(HAND_ERROR_RATIO)
    assert found.standard_error == pytest.approx(HAND_STANDARD_ERROR)
    assert (found.slots, found.attempts) == (3, 5)


def test_slots_follow_the_pool_order_not_the_order_shown():
    # One entry a drawn question: attempt, group (all from one pool: 0), place in the pool
    # (A=0 ... E=4), position shown (shuffled), mark.
    shown = random.Random(7)
    attempts, groups, order, positions, marks = [], [], [], [], []
    for attempt, letters in DRAWN.items():
        places = [ord(letter) - ord("A") for letter in letters]
        shuffled = shown.sample(range(1, 4), 3)
        for place, position in zip(places, shuffled, strict=True):
            attempts.append(attempt)
            groups.append(0)
            order.append(place)
            positions.append(position)
            marks.append(BY_QUESTION[attempt, place])
    slots, width = assign_slots(attempts, groups, order, positions)
    assert width == 3
    matrix = slot_matrix(attempts, slots, marks, 5, width)
    np.testing.assert_array_equal(matrix, SLOTS)


def test_analyse_items_gives_the_cic_of_a_pool_drawn_quiz():
    # The question matrix has gaps, so no CIC from it alone (as before) ...
    assert analyse_items(BY_QUESTION, [1] * 5).cic is None
    # ... but over the slots it is the hand-worked 30 %.
    analysis = analyse_items(BY_QUESTION, [1] * 5, SLOTS, [3.0] * 5)
    assert analysis.cic == pytest.approx(HAND_CIC)
    assert analysis.error_ratio == pytest.approx(HAND_ERROR_RATIO)
    assert analysis.standard_error == pytest.approx(HAND_STANDARD_ERROR)
    assert (analysis.slots, analysis.consistency_attempts) == (3, 5)
    # Per-question figures are unchanged: over the attempts that drew each question.
    plain = analyse_items(BY_QUESTION, [1] * 5)
    assert analysis.items == plain.items
    assert [item.attempts for item in analysis.items] == [3, 2, 3, 4, 3]


def test_two_pools_take_consecutive_slots():
    # Pool 0 draws 2, pool 1 draws 1: an attempt's slots are [pool 0 first, pool 0 second,
    # pool 1 first], whatever the order shown.
    slots, width = assign_slots(
        attempts=[0, 0, 0, 1, 1, 1],
        groups=[1, 0, 0, 0, 1, 0],
        order=[3, 5, 2, 0, 1, 4],
        positions=[1, 2, 3, 3, 2, 1],
    )
    assert width == 3
    assert slots.tolist() == [2, 1, 0, 0, 2, 1]


def test_incomplete_attempts_are_left_out_of_the_cic():
    with_gap = np.vstack([SLOTS, [[1, NAN, 0]]])
    found = internal_consistency(with_gap, [3.0] * 6)
    assert found.cic == pytest.approx(HAND_CIC)
    assert found.attempts == 5


def test_without_a_draw_the_slots_are_the_questions():
    # Every attempt has every question: the CIC over slots is the classic one (the
    # hand-worked 61.11 % of test_statistics).
    full = np.array([[1, 1, 2], [1, 0, 2], [0, 1, 0], [1, 1, 1], [0, 0, 0]], dtype=float)
    assert internal_consistency(full, 4.0).cic == pytest.approx(150 * 1.1 / 2.7)
    assert analyse_items(full, [1, 1, 2]).cic == pytest.approx(150 * 1.1 / 2.7)


@pytest.mark.parametrize(
    "matrix",
    [np.empty((0, 3)), np.array([[1.0, 0.0, 1.0]]), np.ones((4, 1)), np.ones((4, 3))],
    ids=["no attempts", "one attempt", "one slot", "no spread"],
)
def test_undefined_cases_are_none(matrix):
    found = internal_consistency(matrix, 3.0)
    assert (found.cic, found.error_ratio, found.standard_error) == (None, None, None)


# Through the client


@pytest.fixture
def pool_quiz(app, make_user):
    """The hand-worked quiz in the database: a pool of five, three drawn, questions shown
    shuffled; returns the quiz id."""
    learners = [make_user("learner") for _ in range(5)]
    with app.app_context():
        course = add_course_row("pooled", "Pooled course")
        questions = {
            letter: Question(
                course_id=course.id,
                key=f"q-{letter.lower()}",
                type="true_false",
                points=1.0,
                text=f"Question {letter}",
                definition={"answer": True, "feedback_true": "", "feedback_false": ""},
                translations={},
                content_hash=letter,
            )
            for letter in "ABCDE"
        }
        quiz = add_quiz_row(
            course,
            "pooled-exam",
            "Pooled exam",
            {
                "pass_mark": 60,
                "grading": "highest",
                "draw": [{"pool": "all", "count": 3}],
                "shuffle_questions": True,
            },
            [{"id": "all", "questions": [q.key for q in questions.values()]}],
        )
        db.session.add_all(questions.values())
        db.session.flush()
        shown = random.Random(3)
        for index, user in enumerate(learners):
            letters = DRAWN[index]
            marks = [BY_QUESTION[index, ord(letter) - ord("A")] for letter in letters]
            total = sum(marks)
            attempt = add_attempt_row(
                quiz,
                user.id,
                submitted_at=utcnow() + timedelta(minutes=index),
                max_score=3.0,
                score=total,
                passed=total >= 2,
            )
            positions = shown.sample(range(1, 4), 3)
            for letter, mark, position in zip(letters, marks, positions, strict=True):
                add_slot_row(attempt, position, questions[letter], bool(mark), mark)
        db.session.commit()
        return quiz.id


@pytest.fixture
def staff(auth, make_user):
    user = make_user("staff")
    auth.login(user.email, csrf=True)
    return user


@pytest.mark.csrf
def test_the_page_shows_the_cic_of_a_pool_drawn_quiz(client, pool_quiz, staff):
    page = client.get(f"/staff/quizzes/{pool_quiz}/report").get_data(as_text=True)
    assert "<dt>Coefficient of internal consistency</dt><dd>30.00%</dd>" in page
    assert "<dt>Error ratio</dt><dd>83.67%</dd>" in page
    assert "<dt>Standard error</dt><dd>27.89%</dd>" in page
    assert "Here: 3 slots in 5 attempts." in page
    assert "draws its questions from pools" in page


@pytest.mark.csrf
def test_asi_final_exam_shows_its_cic(app, client, auth, make_user, synced_courses):
    """ASI's own final exam draws 20 of 56 from eight pools and shuffles them: its CIC,
    error ratio and standard error are numbers, over 20 slots."""
    exam_id = quiz_id(app, "asi-auditor", "final-exam")
    learners = [make_user("learner") for _ in range(6)]
    with app.app_context():
        quiz = db.session.get(Quiz, exam_id)
        for index, learner in enumerate(learners):
            attempt = services.start_attempt(learner, quiz, language="en", rng=random.Random(index))
            total = 0.0
            for slot in attempt.slots:
                # A stronger learner (higher index) gets more right, with some noise.
                right = (slot.position * 7 + index * 3) % 10 < 3 + index
                slot.score = slot.question.points if right else 0.0
                slot.fraction = 1.0 if right else 0.0
                total += slot.score
            attempt.state = "submitted"
            attempt.submitted_at = utcnow()
            attempt.score = total
            attempt.percent = round(100 * total / attempt.max_score, 2)
            attempt.passed = attempt.percent >= 80
        db.session.commit()
        data, _summary, analysis = reports.quiz_statistics(quiz, "all")
        # Questions are drawn: the by-question matrix has gaps, the slot one has 20 slots.
        assert np.isnan(data.scores).any()
        assert analysis.slots == 20
    auth.login(make_user("staff").email, csrf=True)
    page = client.get(f"/staff/quizzes/{exam_id}/report").get_data(as_text=True)
    summary = page.split("<h2", 2)[1]
    cic = summary.split("<dt>Coefficient of internal consistency</dt><dd>", 1)[1].split("<", 1)[0]
    assert cic.endswith("%")
    for name in ("Coefficient of internal consistency", "Error ratio", "Standard error"):
        shown = summary.split(f"<dt>{name}</dt><dd>", 1)[1].split("</dd>", 1)[0]
        assert "—" not in shown, name
    assert "Here: 20 slots in 6 attempts." in page


def test_very_large_numbers_sort_the_same_way():
    # Places too large for the single sort key: the slower sort gives the same slots.
    slots, width = assign_slots(
        attempts=[0, 0, 0, 1],
        groups=[0, 0, 0, 0],
        order=[2**40, 5, 2**41, 7],
        positions=[2**30, 1, 3, 1],
    )
    assert (slots.tolist(), width) == ([1, 0, 2, 0], 3)

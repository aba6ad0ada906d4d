"""The data of the staff reports on quizzes (attempts and pass rates, Moodle's item
analysis, responses) and the geometry of their score chart; the pages are ``views.staff``.

The data comes in two queries per page (the submitted attempts, then their slots), is laid
out as an attempts-by-questions matrix with numpy, and ``statistics`` does the rest."""

from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import case, func, or_, select

from educational.catalog.models import Course, Question, Quiz
from educational.core.db import db

from . import statistics
from .models import Attempt, AttemptSlot, AttemptState

#: The report's choices of attempts; "graded" is the quiz's grading method (Moodle's default).
ATTEMPT_OPTIONS = ("graded", "first", "all")


# Loading


def quiz_overview() -> list[tuple[Quiz, Course, int, int, int]]:
    """Live quizzes and any retired one with attempts: (quiz, course, attempts, learners,
    passed attempts), counting submitted attempts."""
    attempts = func.count(Attempt.id)
    query = (
        select(
            Quiz,
            Course,
            attempts,
            func.count(Attempt.user_id.distinct()),
            func.coalesce(func.sum(case((Attempt.passed.is_(True), 1), else_=0)), 0),
        )
        .join(Course, Quiz.course_id == Course.id)
        .outerjoin(
            Attempt,
            (Attempt.quiz_id == Quiz.id) & (Attempt.state == AttemptState.SUBMITTED),
        )
        .group_by(Quiz.id, Course.id)
        .having(or_(Quiz.retired_at.is_(None), attempts > 0))
        .order_by(Course.title, Quiz.title)
    )
    return [tuple(row) for row in db.session.execute(query)]


@dataclass(frozen=True)
class QuizData:
    #: The selected attempts' percent scores and pass flags.
    percents: np.ndarray
    passed: np.ndarray
    #: Selected attempts by questions, points earned; NaN where a question was not drawn.
    scores: np.ndarray
    #: The matrix's columns: question versions in the quiz's pool order.
    questions: list[Question]


def load_quiz_data(quiz: Quiz, which: str) -> QuizData:
    attempts, mask = _selected_attempts(quiz, which)
    # Core rather than ORM execution, and columns by index: 400,000 slots load in a fraction
    # of the time a loop over ORM rows takes.
    slots = (
        db.session.connection()
        .execute(
            select(AttemptSlot.attempt_id, AttemptSlot.question_id, AttemptSlot.score)
            .join(Attempt, AttemptSlot.attempt_id == Attempt.id)
            .where(Attempt.quiz_id == quiz.id, Attempt.state == AttemptState.SUBMITTED)
        )
        .all()
    )
    slot_attempts = np.array([slot[0] for slot in slots], dtype=np.int64)
    question_ids, slot_columns = np.unique(
        np.array([slot[1] for slot in slots], dtype=np.int64), return_inverse=True
    )
    # An ungraded slot (None, read as NaN) of a submitted attempt earned nothing.
    earned = np.nan_to_num(np.array([slot[2] for slot in slots], dtype=float), nan=0.0)
    questions = _in_pool_order(quiz, question_ids.tolist())
    # np.unique numbers the questions by id; the page lists them in pool order.
    position = {question.id: index for index, question in enumerate(questions)}
    column_of = np.array([position[qid] for qid in question_ids.tolist()], dtype=np.int64)

    ids = np.array([a.id for a in attempts], dtype=np.int64)
    scores = np.full((len(attempts), len(questions)), np.nan)
    if len(slot_attempts) and len(ids):
        rows = np.minimum(np.searchsorted(ids, slot_attempts), len(ids) - 1)
        # An attempt submitted between the two queries has slots but no row: left out.
        known = ids[rows] == slot_attempts
        scores[rows[known], column_of[slot_columns[known]]] = earned[known]
    return QuizData(
        percents=np.array([a.percent or 0.0 for a in attempts], dtype=float)[mask],
        passed=np.array([bool(a.passed) for a in attempts], dtype=bool)[mask],
        scores=scores[mask],
        questions=questions,
    )


def load_answers(quiz: Quiz, question: Question, which: str) -> list[Any]:
    """The saved answers to ``question`` in the selected attempts that drew it."""
    attempts, mask = _selected_attempts(quiz, which)
    selected = {attempt.id for attempt, keep in zip(attempts, mask, strict=True) if keep}
    slots = db.session.execute(
        select(AttemptSlot.attempt_id, AttemptSlot.answer)
        .join(Attempt, AttemptSlot.attempt_id == Attempt.id)
        .where(
            Attempt.quiz_id == quiz.id,
            Attempt.state == AttemptState.SUBMITTED,
            AttemptSlot.question_id == question.id,
        )
        .order_by(AttemptSlot.attempt_id)
    ).all()
    return [slot.answer for slot in slots if slot.attempt_id in selected]


def _selected_attempts(quiz: Quiz, which: str) -> tuple[list[Any], np.ndarray]:
    """The quiz's submitted attempts in id order, and the mask of those ``which`` selects."""
    attempts = db.session.execute(
        select(Attempt.id, Attempt.user_id, Attempt.number, Attempt.percent, Attempt.passed)
        .where(Attempt.quiz_id == quiz.id, Attempt.state == AttemptState.SUBMITTED)
        .order_by(Attempt.id)
    ).all()
    choice = quiz.settings.get("grading", "highest") if which == "graded" else which
    mask = statistics.select_attempts(
        [a.user_id for a in attempts],
        [a.number for a in attempts],
        [a.percent or 0.0 for a in attempts],
        choice if choice in statistics.ATTEMPT_CHOICES else "highest",
    )
    return attempts, mask


def _in_pool_order(quiz: Quiz, question_ids: list[int]) -> list[Question]:
    if not question_ids:
        return []
    found = db.session.scalars(select(Question).where(Question.id.in_(question_ids))).all()
    keys = [key for pool in quiz.pools for key in pool.get("questions", [])]
    place = {key: index for index, key in enumerate(keys)}
    return sorted(found, key=lambda q: (place.get(q.key, len(place)), q.key, q.version))


# Presentation


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    #: The centre of the bar, where its label goes.
    middle: float
    bin: statistics.DistributionBin


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    #: Top and bottom of the plotting area, and its left edge.
    top: int
    bottom: int
    left: int
    bars: list[Bar]
    #: The highest count (the y axis' top label).
    peak: int


def distribution_chart(
    distribution: tuple[statistics.DistributionBin, ...], width: int = 640, height: int = 260
) -> Chart:
    """Bar geometry for the score histogram, drawn as inline SVG by the template."""
    left, top, bottom = 48, 16, height - 40
    peak = max((b.count for b in distribution), default=0)
    slot = (width - left - 8) / max(len(distribution), 1)
    bars = []
    for index, item in enumerate(distribution):
        bar_height = (bottom - top) * item.count / peak if peak else 0.0
        bars.append(
            Bar(
                x=round(left + index * slot + 2, 1),
                y=round(bottom - bar_height, 1),
                width=round(slot - 4, 1),
                height=round(bar_height, 1),
                middle=round(left + (index + 0.5) * slot, 1),
                bin=item,
            )
        )
    return Chart(width, height, top, bottom, left, bars, peak)

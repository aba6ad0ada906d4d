"""The data of the staff reports on quizzes (attempts and pass rates, Moodle's item
analysis, responses) and the geometry of their score chart; the pages are ``views.staff``.

The matrix of scores comes in one query whose rows go straight into one numpy array (the
submitted attempts' slots: attempt, question, points earned); the attempts' percents in
another. ``statistics`` does the rest: the CIC over draw positions (slots: ``_slot_groups``
and ``statistics.assign_slots``), and the item analysis per attempt language. The figures
are kept per app process until the quiz's graded attempts change: every report first reads
their version (``graded_version``: one aggregate query), so an attempt graded through any
worker or instance shows at the next report, with nothing to invalidate and no shared
cache needed."""

from collections import OrderedDict
from dataclasses import dataclass, field
from itertools import chain
from threading import Lock
from typing import Any

import numpy as np
from flask import current_app
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
    #: Each selected attempt's language (the content language it was shown in).
    languages: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))
    #: The item analysis of each language's attempts, by language code.
    by_language: dict[str, statistics.ItemAnalysis] = field(default_factory=dict)


@dataclass(frozen=True)
class _Matrix:
    """What ``QuizData`` holds, without the ORM rows (kept across requests)."""

    percents: np.ndarray
    passed: np.ndarray
    scores: np.ndarray
    #: The matrix's columns, in the quiz's pool order.
    question_ids: list[int]
    #: Selected attempts by slots (draw positions), points earned; NaN for an empty slot.
    slot_scores: np.ndarray
    languages: np.ndarray


@dataclass(frozen=True)
class _Entry:
    version: tuple
    matrix: _Matrix
    summary: statistics.QuizSummary
    analysis: statistics.ItemAnalysis
    by_language: dict[str, statistics.ItemAnalysis]


#: Reports kept per app (quizzes x attempt choices); the least recently used goes first.
CACHE_SIZE = 64


def load_quiz_data(quiz: Quiz, which: str) -> QuizData:
    return quiz_statistics(quiz, which)[0]


def quiz_statistics(
    quiz: Quiz, which: str
) -> tuple[QuizData, statistics.QuizSummary, statistics.ItemAnalysis]:
    """The report's data, test statistics and item analysis, computed again only when the
    quiz's graded attempts (or its content) changed since the last time."""
    version = graded_version(quiz)
    cache, lock = _cache()
    key = (quiz.id, which)
    with lock:
        entry = cache.get(key)
        if entry is not None and entry.version == version:
            cache.move_to_end(key)
    if entry is None or entry.version != version:
        matrix, questions = _load_matrix(quiz, which)
        points = [q.points for q in questions]
        entry = _Entry(
            version,
            matrix,
            statistics.summarise_quiz(matrix.percents, matrix.passed),
            statistics.analyse_items(matrix.scores, points, matrix.slot_scores),
            statistics.analyse_languages(matrix.scores, points, matrix.languages),
        )
        with lock:
            cache[key] = entry
            while len(cache) > CACHE_SIZE:
                cache.popitem(last=False)
    else:
        questions = _questions_by_id(entry.matrix.question_ids)
    matrix = entry.matrix
    data = QuizData(
        matrix.percents,
        matrix.passed,
        matrix.scores,
        questions,
        matrix.languages,
        entry.by_language,
    )
    return data, entry.summary, entry.analysis


def language_gap_settings() -> tuple[float, int]:
    """The threshold (a fraction) and minimum of attempts per language of the flag:
    config ``QUIZ_LANGUAGE_GAP`` and ``QUIZ_LANGUAGE_MIN_ATTEMPTS``."""
    config = current_app.config
    return (
        float(config["QUIZ_LANGUAGE_GAP"]),
        int(config["QUIZ_LANGUAGE_MIN_ATTEMPTS"]),
    )


def language_report(data: QuizData) -> tuple[list[statistics.LanguageGap], float, int]:
    """Each question across the attempt languages, flagged questions first, with the
    threshold and minimum used."""
    threshold, minimum = language_gap_settings()
    gaps = statistics.language_gaps(data.by_language, threshold=threshold, min_attempts=minimum)
    return gaps, threshold, minimum


def graded_version(quiz: Quiz) -> tuple:
    """Changes whenever an attempt at the quiz is graded (or removed), or its content is."""
    row = db.session.execute(
        select(func.count(Attempt.id), func.max(Attempt.id), func.max(Attempt.submitted_at)).where(
            Attempt.quiz_id == quiz.id, Attempt.state == AttemptState.SUBMITTED
        )
    ).one()
    return (quiz.content_hash, *row)


def _cache() -> tuple[OrderedDict, Lock]:
    # On the app, not the module: every app (each test's) has its own database.
    return current_app.extensions.setdefault("quiz_statistics", (OrderedDict(), Lock()))


def _load_matrix(quiz: Quiz, which: str) -> tuple[_Matrix, list[Question]]:
    attempts, mask = _selected_attempts(quiz, which)
    # One query, its rows straight into one float array (no Row objects, no loop): 400,000
    # slots load in little more than the database takes to send them.
    statement = (
        select(AttemptSlot.attempt_id, AttemptSlot.question_id, func.coalesce(AttemptSlot.score, 0))
        .join(Attempt, AttemptSlot.attempt_id == Attempt.id)
        .where(Attempt.quiz_id == quiz.id, Attempt.state == AttemptState.SUBMITTED)
    )
    rows = _raw_rows(statement)
    values = chain.from_iterable(rows)
    slots = np.fromiter(values, dtype=float, count=3 * len(rows)).reshape(-1, 3)
    slot_attempts = slots[:, 0].astype(np.int64)
    question_ids, slot_columns = np.unique(slots[:, 1].astype(np.int64), return_inverse=True)
    # An ungraded slot (score NULL, read as 0) of a submitted attempt earned nothing.
    earned = slots[:, 2]
    questions = _in_pool_order(quiz, question_ids.tolist())
    # np.unique numbers the questions by id; the page lists them in pool order.
    position = {question.id: index for index, question in enumerate(questions)}
    column_of = np.array([position[qid] for qid in question_ids.tolist()], dtype=np.int64)

    ids = np.array([a.id for a in attempts], dtype=np.int64)
    scores = np.full((len(attempts), len(questions)), np.nan)
    slot_scores = np.full((len(attempts), 0), np.nan)
    if len(slot_attempts) and len(ids):
        rows = np.minimum(np.searchsorted(ids, slot_attempts), len(ids) - 1)
        # An attempt submitted between the two queries has slots but no row: left out.
        known = ids[rows] == slot_attempts
        columns = column_of[slot_columns[known]]
        scores[rows[known], columns] = earned[known]
        groups, order = _slot_groups(quiz, questions)
        # The column (pool order) breaks ties, not the position shown: that may be shuffled.
        slot_of, width = statistics.assign_slots(
            rows[known], groups[columns], order[columns], columns
        )
        slot_scores = statistics.slot_matrix(
            rows[known], slot_of, earned[known], len(attempts), width
        )
    matrix = _Matrix(
        percents=np.array([a.percent or 0.0 for a in attempts], dtype=float)[mask],
        passed=np.array([bool(a.passed) for a in attempts], dtype=bool)[mask],
        scores=scores[mask],
        question_ids=[question.id for question in questions],
        slot_scores=slot_scores[mask],
        languages=np.array([a.language for a in attempts], dtype=object)[mask],
    )
    return matrix, questions


def _slot_groups(quiz: Quiz, questions: list[Question]) -> tuple[np.ndarray, np.ndarray]:
    """Each column's slot group and its place in the group's order (``assign_slots``).

    With a draw (``settings["draw"]``), a group is a drawn pool (in the order the draws
    name them; two draws from one pool share its group) and the place is the question's
    index in that pool: an attempt's k-th question from the pool, in pool order, fills the
    pool's k-th slot, however the attempt's questions were shuffled for display. Questions
    in no drawn pool share one last group, in the report's order. Without a draw, every
    question key is its own group (all versions of a question share its slot)."""
    keys = [key for pool in quiz.pools for key in pool.get("questions", [])]
    draws = quiz.settings.get("draw") or []
    groups = np.zeros(len(questions), dtype=np.int64)
    order = np.zeros(len(questions), dtype=np.int64)
    if draws:
        drawn_pools = list(dict.fromkeys(draw.get("pool") for draw in draws))
        pools = {pool.get("id"): pool.get("questions", []) for pool in quiz.pools}
        place: dict[str, tuple[int, int]] = {}
        for group, pool_id in enumerate(drawn_pools):
            for index, key in enumerate(pools.get(pool_id, [])):
                place.setdefault(key, (group, index))
        for column, question in enumerate(questions):
            groups[column], order[column] = place.get(question.key, (len(drawn_pools), 0))
    else:
        place_of = {key: index for index, key in reversed(list(enumerate(keys)))}
        others: dict[str, int] = {}
        for column, question in enumerate(questions):
            if question.key in place_of:
                groups[column] = place_of[question.key]
            else:
                groups[column] = len(keys) + others.setdefault(question.key, len(others))
    return groups, order


def _raw_rows(statement) -> list[tuple]:
    """The statement's rows as the driver's plain tuples. Its only parameters are the
    quiz's id and a state name, so they are written into the SQL."""
    connection = db.session.connection()
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    driver = connection.connection
    # psycopg: the numbers come in binary, not as text to parse (400,000 slots: 498 -> 343 ms).
    cursor = (
        driver.cursor(binary=True) if connection.dialect.name == "postgresql" else driver.cursor()
    )
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


def _questions_by_id(question_ids: list[int]) -> list[Question]:
    if not question_ids:
        return []
    found = {
        q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(question_ids)))
    }
    return [found[question_id] for question_id in question_ids]


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
        select(
            Attempt.id,
            Attempt.user_id,
            Attempt.number,
            Attempt.percent,
            Attempt.passed,
            Attempt.language,
        )
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

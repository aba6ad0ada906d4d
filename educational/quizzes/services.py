"""The quiz engine's use cases: start, answer, submit, review, overrides.

Attempts are decided at start and stored, answers are saved as they are given, and the
server alone decides about time: an answer after the deadline plus a short grace is refused
and the attempt is submitted with what was saved. Starting is serialised per learner (a row
lock on PostgreSQL; SQLite writers hold the database lock), so concurrent starts can never
exceed the allowed attempts, and submitting twice grades once."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import insert, null, select, update
from sqlalchemy.orm import selectinload

from educational.accounts.models import User
from educational.catalog.content.questiontypes import QUESTION_TYPES
from educational.catalog.models import Course, Question, Quiz
from educational.core import signals
from educational.core.audit import record_event
from educational.core.db import db, utcnow
from educational.core.errors import DomainError

from .drawing import draw_questions
from .models import Attempt, AttemptSlot, AttemptState, QuizOverride
from .results import finished_at, grace, grade_attempt, graded_result, is_overdue, result_of


def quiz_by_name(course: Course, name: str) -> Quiz | None:
    return db.session.scalar(
        select(Quiz).where(
            Quiz.course_id == course.id, Quiz.name == name, Quiz.retired_at.is_(None)
        )
    )


def override_for(user_id: int, quiz: Quiz) -> QuizOverride | None:
    return db.session.scalar(
        select(QuizOverride).where(QuizOverride.user_id == user_id, QuizOverride.quiz_id == quiz.id)
    )


def overrides_of(quiz: Quiz) -> list[tuple[QuizOverride, User]]:
    """The quiz's accommodations with their learners, by name."""
    rows = db.session.execute(
        select(QuizOverride, User)
        .join(User, User.id == QuizOverride.user_id)
        .where(QuizOverride.quiz_id == quiz.id)
        .order_by(User.name)
    )
    return [(override, user) for override, user in rows]


def attempts_of(user_id: int, quiz: Quiz) -> list[Attempt]:
    return list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.user_id == user_id, Attempt.quiz_id == quiz.id)
            .order_by(Attempt.number)
        )
    )


@dataclass(frozen=True)
class StartCheck:
    """Whether a new attempt may start now, and why not."""

    allowed: bool
    reason: str
    used: int
    #: 0: unlimited.
    allowed_attempts: int
    next_start_at: datetime | None = None


def allowed_attempts(quiz: Quiz, override: QuizOverride | None) -> int:
    base = quiz.settings.get("max_attempts") or 0
    return base + override.extra_attempts if base and override else base


def start_check(user_id: int, quiz: Quiz, now: datetime) -> StartCheck:
    return _start_check(attempts_of(user_id, quiz), override_for(user_id, quiz), quiz, now)


def _start_check(
    attempts: list[Attempt], override: QuizOverride | None, quiz: Quiz, now: datetime
) -> StartCheck:
    limit = allowed_attempts(quiz, override)
    used = len(attempts)
    if limit and used >= limit:
        return StartCheck(
            False, _("You have used all %(n)d attempts at this quiz.", n=limit), used, limit
        )
    cooldown = quiz.settings.get("cooldown_minutes") or 0
    # An attempt whose time ran out ended then, recorded yet or not.
    submitted = [ended for a in attempts if (ended := finished_at(a, now))]
    if cooldown and submitted:
        next_start = max(submitted) + timedelta(minutes=cooldown)
        if next_start > now:
            return StartCheck(
                False,
                _("You can start the next attempt after the waiting time between attempts."),
                used,
                limit,
                next_start,
            )
    return StartCheck(True, "", used, limit)


def _lock_learner(user_id: int) -> None:
    """Serialise this learner's starts and submissions. SQLite needs nothing: a writing
    transaction already holds the database's write lock (BEGIN IMMEDIATE)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(User.id).where(User.id == user_id).with_for_update())


def attempt_with_layout(attempt_id: int) -> Attempt | None:
    """The attempt with its slots and their questions, in two queries, for the pages that
    show or read every question (the attempt page, the form post, the review); lazy
    loading would ask for each question on its own."""
    return db.session.scalars(
        select(Attempt)
        .where(Attempt.id == attempt_id)
        .options(selectinload(Attempt.slots).joinedload(AttemptSlot.question))
    ).one_or_none()


def open_attempt(user_id: int, quiz: Quiz) -> Attempt | None:
    return db.session.scalar(
        select(Attempt).where(
            Attempt.user_id == user_id,
            Attempt.quiz_id == quiz.id,
            Attempt.state == AttemptState.IN_PROGRESS,
        )
    )


def start_attempt(
    user: User,
    quiz: Quiz,
    *,
    language: str,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> Attempt:
    """Resume the learner's open attempt, or start a new one if the quiz allows it."""
    now = now or utcnow()
    _lock_learner(user.id)
    current = open_attempt(user.id, quiz)
    if current is not None:
        if not is_overdue(current, now):
            return current
        submit_attempt(current, now=now, auto=True)
    attempts = attempts_of(user.id, quiz)
    override = override_for(user.id, quiz)
    check = _start_check(attempts, override, quiz, now)
    if not check.allowed:
        raise DomainError(check.reason)
    rng = rng or random.SystemRandom()
    questions = _current_questions(quiz)
    keys = draw_questions(quiz.pools, quiz.settings, set(questions), rng)
    if not keys:
        raise DomainError(_("This quiz has no questions yet; tell the course staff."))
    minutes = quiz.settings.get("time_limit_minutes")
    deadline = None
    if minutes:
        deadline = now + timedelta(minutes=minutes + (override.extra_minutes if override else 0))
    attempt = Attempt(
        user_id=user.id,
        quiz_id=quiz.id,
        # The unique (user, quiz, number) is the backstop if two starts ever race.
        number=max((a.number for a in attempts), default=0) + 1,
        language=language,
        started_at=now,
        deadline_at=deadline,
        max_score=sum(questions[key].points for key in keys),
    )
    db.session.add(attempt)
    db.session.flush()
    shuffle = quiz.settings.get("shuffle_options", True)
    drawn = [questions[key] for key in keys]
    definitions = dict(
        db.session.execute(
            select(Question.id, Question.definition).where(
                Question.id.in_([question.id for question in drawn])
            )
        ).all()
    )
    # One multi-row INSERT for the attempt's slots.
    db.session.execute(
        insert(AttemptSlot),
        [
            {
                "attempt_id": attempt.id,
                "position": position,
                "question_id": question.id,
                "layout": QUESTION_TYPES[question.type].layout(
                    definitions[question.id], shuffle, rng
                ),
            }
            for position, question in enumerate(drawn, start=1)
        ],
    )
    return attempt


@dataclass(frozen=True)
class _Drawable:
    id: int
    type: str
    points: float


def _current_questions(quiz: Quiz) -> dict[str, _Drawable]:
    """The quiz's current questions by key: only what drawing and scoring need (their
    definitions, for the layout, are read for the drawn ones alone)."""
    keys = {key for pool in quiz.pools for key in pool["questions"]}
    rows = db.session.execute(
        select(Question.key, Question.id, Question.type, Question.points).where(
            Question.course_id == quiz.course_id, Question.is_current, Question.key.in_(keys)
        )
    )
    return {row.key: _Drawable(row.id, row.type, row.points) for row in rows}


def close_if_overdue(attempt: Attempt, now: datetime | None = None) -> bool:
    """Submit an open attempt whose time is up; True if it did."""
    now = now or utcnow()
    if attempt.is_open and is_overdue(attempt, now):
        submit_attempt(attempt, now=now, auto=True)
        return True
    return False


def overdue_attempts(now: datetime) -> list[Attempt]:
    """Open attempts whose time is up, oldest deadline first: for ``close_if_overdue``."""
    return list(
        db.session.scalars(
            select(Attempt)
            .where(
                Attempt.state == AttemptState.IN_PROGRESS,
                Attempt.deadline_at.is_not(None),
                Attempt.deadline_at < now - grace(),
            )
            .order_by(Attempt.deadline_at, Attempt.id)
        )
    )


class TimeIsUp(DomainError):
    """An answer came after the deadline; ``close_if_overdue`` submits the attempt."""


def save_answers(
    attempt: Attempt, answers: dict[int, object], *, now: datetime | None = None
) -> int:
    """Store answers by slot position; returns how many slots changed. Refused after the
    deadline: the caller closes the attempt first (``close_if_overdue``), since a refusal
    rolls back whatever it would have written."""
    now = now or utcnow()
    if not attempt.is_open:
        raise DomainError(_("This attempt has been submitted; its answers can no longer change."))
    if is_overdue(attempt, now):
        raise TimeIsUp(_("Time is up: your attempt was submitted with the answers saved before."))
    slots = {slot.position: slot for slot in attempt.slots}
    unknown = set(answers) - set(slots)
    if unknown:
        raise DomainError(_("That question is not part of this attempt."))
    changed = 0
    for position, answer in answers.items():
        slot = slots[position]
        if slot.answer != answer:
            slot.answer = answer if answer not in ("", [], {}) else None
            slot.answered_at = now
            changed += 1
    db.session.flush()
    return changed


@dataclass(frozen=True)
class AnswerSlot:
    """What the autosave of one question needs, read in one query (``answer_slot``): the
    attempt's owner, state and deadline, and the slot's id, layout, saved answer, flag and
    question type (the slot's fields are None when the attempt has no such position)."""

    attempt_id: int
    user_id: int
    state: str
    deadline_at: datetime | None
    slot_id: int | None
    layout: dict | None
    answer: object
    flagged: bool | None
    question_type: str | None

    @property
    def is_open(self) -> bool:
        return self.state == AttemptState.IN_PROGRESS


def answer_slot(attempt_id: int, position: int) -> AnswerSlot | None:
    """The attempt and its slot at ``position``, without loading the rest of the attempt;
    None if there is no such attempt."""
    row = db.session.execute(
        select(
            Attempt.id,
            Attempt.user_id,
            Attempt.state,
            Attempt.deadline_at,
            AttemptSlot.id,
            AttemptSlot.layout,
            AttemptSlot.answer,
            AttemptSlot.flagged,
            Question.type,
        )
        .select_from(Attempt)
        .outerjoin(
            AttemptSlot,
            (AttemptSlot.attempt_id == Attempt.id) & (AttemptSlot.position == position),
        )
        .outerjoin(Question, Question.id == AttemptSlot.question_id)
        .where(Attempt.id == attempt_id)
    ).first()
    return AnswerSlot(*row) if row is not None else None


def save_answer(
    slot: AnswerSlot, answer: object, *, flagged: bool | None = None, now: datetime | None = None
) -> bool:
    """Store one question's answer (and its flag, unless None): the page's autosave, as
    ``save_answers`` and ``summary.set_flags`` would, in one UPDATE that never writes into
    an attempt submitted in the meantime. True if anything changed. Refused after the
    deadline (``TimeIsUp``: the caller closes the attempt)."""
    now = now or utcnow()
    if not slot.is_open:
        raise DomainError(_("This attempt has been submitted; its answers can no longer change."))
    if is_overdue(slot, now):  # type: ignore[arg-type]  (reads deadline_at only)
        raise TimeIsUp(_("Time is up: your attempt was submitted with the answers saved before."))
    if slot.slot_id is None:
        raise DomainError(_("That question is not part of this attempt."))
    answer = None if answer in ("", [], {}) else answer
    values: dict[str, object] = {}
    if answer != slot.answer:
        values.update(answer=null() if answer is None else answer, answered_at=now)
    if flagged is not None and flagged != bool(slot.flagged):
        values["flagged"] = flagged
    if not values:
        return False
    still_open = (
        select(Attempt.id)
        .where(Attempt.id == slot.attempt_id, Attempt.state == AttemptState.IN_PROGRESS)
        .exists()
    )
    written = db.session.execute(
        update(AttemptSlot)
        .where(AttemptSlot.id == slot.slot_id, still_open)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not written:  # submitted by another request since answer_slot read it
        raise DomainError(_("This attempt has been submitted; its answers can no longer change."))
    return True


def submit_attempt(attempt: Attempt, *, now: datetime | None = None, auto: bool = False) -> Attempt:
    """Grade and close the attempt. Submitting an already submitted attempt does nothing,
    so a double click or a retried request grades once."""
    now = now or utcnow()
    _lock_learner(attempt.user_id)
    # Read again (another request may have submitted it), with its slots and their
    # questions in two queries: grading reads every one.
    db.session.scalars(
        select(Attempt)
        .where(Attempt.id == attempt.id)
        .options(selectinload(Attempt.slots).joinedload(AttemptSlot.question))
        .execution_options(populate_existing=True)
    ).one()
    if not attempt.is_open:
        return attempt
    grade = grade_attempt(attempt)
    for slot in attempt.slots:
        earned = grade.slots[slot.position]
        slot.fraction, slot.score, slot.feedback = earned.fraction, earned.score, earned.feedback
    attempt.score, attempt.percent, attempt.passed = grade.score, grade.percent, grade.passed
    attempt.state = AttemptState.SUBMITTED
    attempt.submitted_at = min(now, attempt.deadline_at + grace()) if attempt.deadline_at else now
    attempt.auto_submitted = auto
    db.session.flush()
    record_event(
        "quiz.attempt_submitted",
        attempt,
        actor=None if auto else attempt.user,
        quiz_id=attempt.quiz_id,
        number=attempt.number,
        percent=attempt.percent,
        passed=attempt.passed,
        auto=auto,
    )
    # Passing may complete the course: educational.learning listens.
    signals.attempt_submitted.send(attempt, now=now)
    return attempt


def graded_attempt(user_id: int, quiz: Quiz) -> Attempt | None:
    """The attempt that counts: the highest or the last submitted, per the quiz's setting."""
    submitted = [a for a in attempts_of(user_id, quiz) if a.state == AttemptState.SUBMITTED]
    counted = graded_result([result_of(a, utcnow()) for a in submitted], quiz)
    return counted.attempt if counted else None


def has_passed(user_id: int, quiz: Quiz) -> bool:
    attempt = graded_attempt(user_id, quiz)
    return bool(attempt and attempt.passed)


def set_override(
    learner: User, quiz: Quiz, *, extra_minutes: int, extra_attempts: int, reason: str, actor: User
) -> QuizOverride:
    """Grant a learner extra time or attempts (accessibility accommodations); audited.
    Never to oneself: an accommodation is a decision about someone else's exam."""
    if actor.id == learner.id:
        raise DomainError(
            _(
                "You cannot grant an accommodation to yourself; ask another staff member to "
                "decide on it."
            ),
            field="email",
        )
    if not reason.strip():
        raise DomainError(_("Give the reason for the accommodation."), field="reason")
    if extra_minutes < 0 or extra_attempts < 0:
        raise DomainError(_("Extra time and attempts cannot be negative."))
    override = override_for(learner.id, quiz)
    if override is None:
        override = QuizOverride(
            user_id=learner.id, quiz_id=quiz.id, created_by_id=actor.id, reason=""
        )
        db.session.add(override)
    override.extra_minutes, override.extra_attempts = extra_minutes, extra_attempts
    override.reason, override.created_by_id, override.updated_at = (
        reason.strip(),
        actor.id,
        utcnow(),
    )
    # An attempt already running gets the extra time too.
    running = open_attempt(learner.id, quiz)
    if running is not None and quiz.settings.get("time_limit_minutes"):
        running.deadline_at = running.started_at + timedelta(
            minutes=quiz.settings["time_limit_minutes"] + extra_minutes
        )
    db.session.flush()
    record_event(
        "quiz.override_set",
        override,
        actor=actor,
        learner_id=learner.id,
        quiz_id=quiz.id,
        extra_minutes=extra_minutes,
        extra_attempts=extra_attempts,
        reason=override.reason,
    )
    return override

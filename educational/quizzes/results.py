"""An attempt's grade and result, computed without writing.

Grading is a function of the saved answers and the question versions the attempt drew, and
neither changes once the time is up (a late answer is refused). So an attempt whose time
ran out is *finished* from that moment, with exactly the grade that recording it will store,
although it is recorded as submitted only later: by the learner's next POST (start, save,
submit) or by ``flask quizzes close-overdue`` from cron. The pages show ``result_of``, and so
show such an attempt finished and graded at once, while a GET never writes."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app

from educational.catalog.content.questiontypes import QUESTION_TYPES
from educational.catalog.models import Quiz

from .models import Attempt


def grace() -> timedelta:
    """How long after the deadline an answer is still accepted (a slow network, a click at
    the last second)."""
    return timedelta(seconds=current_app.config["QUIZ_GRACE_SECONDS"])


def is_overdue(attempt: Attempt, now: datetime) -> bool:
    """Past the deadline and its grace: no answer is accepted any more."""
    return attempt.deadline_at is not None and now > attempt.deadline_at + grace()


def finished_at(attempt: Attempt, now: datetime) -> datetime | None:
    """When the attempt ended: its submission, or the end of its grace once that has
    passed; None while it runs."""
    if attempt.submitted_at is not None:
        return attempt.submitted_at
    if attempt.is_open and is_overdue(attempt, now):
        return attempt.deadline_at + grace()
    return None


@dataclass(frozen=True)
class SlotGrade:
    #: 0 to 1.
    fraction: float | None
    #: Points earned, rounded to 4 places.
    score: float | None
    feedback: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Grade:
    #: By slot position.
    slots: dict[int, SlotGrade]
    score: float
    #: 0 to 100, rounded to 2 places.
    percent: float
    passed: bool


def grade_attempt(attempt: Attempt) -> Grade:
    """The grade of the attempt's saved answers, in the attempt's language. Reads only."""
    slots: dict[int, SlotGrade] = {}
    total = 0.0
    for slot in attempt.slots:
        question = slot.question
        definition = (
            question.translations.get(attempt.language, {}).get("definition") or question.definition
        )
        grade = QUESTION_TYPES[question.type].grade(definition, slot.answer)
        score = round(grade.fraction * question.points, 4)
        slots[slot.position] = SlotGrade(grade.fraction, score, grade.feedback)
        total += score
    percent = round(100 * total / attempt.max_score, 2) if attempt.max_score else 0.0
    passed = percent >= attempt.quiz.settings.get("pass_mark", 80)
    return Grade(slots, round(total, 4), percent, passed)


@dataclass(frozen=True)
class Result:
    """An attempt as the pages show it now."""

    attempt: Attempt
    #: Submitted, or its time is up.
    finished: bool
    #: False for an attempt finished by the clock and not recorded as submitted yet.
    recorded: bool
    submitted_at: datetime | None = None
    #: The time ran out (the server submitted it, or will).
    auto_submitted: bool = False
    score: float | None = None
    percent: float | None = None
    passed: bool | None = None
    #: By slot position; empty while the attempt runs.
    slots: dict[int, SlotGrade] = field(default_factory=dict)


def result_of(attempt: Attempt, now: datetime) -> Result:
    if not attempt.is_open:
        return Result(
            attempt,
            finished=True,
            recorded=True,
            submitted_at=attempt.submitted_at,
            auto_submitted=attempt.auto_submitted,
            score=attempt.score,
            percent=attempt.percent,
            passed=attempt.passed,
            slots={
                slot.position: SlotGrade(slot.fraction, slot.score, slot.feedback or [])
                for slot in attempt.slots
            },
        )
    ended = finished_at(attempt, now)
    if ended is None:
        return Result(attempt, finished=False, recorded=True)
    grade = grade_attempt(attempt)
    return Result(
        attempt,
        finished=True,
        recorded=False,
        submitted_at=ended,
        auto_submitted=True,
        score=grade.score,
        percent=grade.percent,
        passed=grade.passed,
        slots=grade.slots,
    )


def graded_result(results: list[Result], quiz: Quiz) -> Result | None:
    """The result that counts among finished ones (in attempt order): the highest or the
    last, per the quiz's grading setting."""
    finished = [r for r in results if r.finished]
    if not finished:
        return None
    if quiz.settings.get("grading", "highest") == "last":
        return finished[-1]
    return max(finished, key=lambda r: (r.percent or 0, -r.attempt.number))

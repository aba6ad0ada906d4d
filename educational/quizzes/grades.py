"""Grades on the staff's course-progress page (a panel, ``educational.core.panels``): each
enrolled learner's grade in each quiz of the course, the final exam last, as the quiz's
grading setting counts it (the highest or the last finished attempt). Read only, in one
query of the submitted attempts: an attempt whose time ran out counts once it is recorded
(by the learner's next request or ``flask quizzes close-overdue`` from cron)."""

from dataclasses import dataclass

from sqlalchemy import select

from educational.catalog.models import Course, Quiz
from educational.core.db import db
from educational.core.panels import Shown

from .models import Attempt, AttemptState


@dataclass(frozen=True)
class QuizGrade:
    percent: float
    passed: bool
    #: Finished attempts, all counted.
    attempts: int


def course_quizzes(course: Course) -> list[Quiz]:
    """The course's live quizzes in the order they were added (the modules'), with the final
    exam last."""
    quizzes = db.session.scalars(
        select(Quiz).where(Quiz.course_id == course.id, Quiz.retired_at.is_(None))
    ).all()
    return sorted(quizzes, key=lambda quiz: (quiz.name == course.exam_name, quiz.id))


def course_grades(course: Course, quizzes: list[Quiz]) -> dict[int, dict[int, QuizGrade]]:
    """user id -> quiz id -> the grade that counts."""
    by_id = {quiz.id: quiz for quiz in quizzes}
    if not by_id:
        return {}
    rows = db.session.execute(
        select(Attempt.user_id, Attempt.quiz_id, Attempt.percent, Attempt.passed)
        .where(Attempt.quiz_id.in_(by_id), Attempt.state == AttemptState.SUBMITTED)
        .order_by(Attempt.number)
    ).all()
    found: dict[tuple[int, int], list[tuple[float, bool]]] = {}
    for user_id, quiz_id, percent, passed in rows:
        found.setdefault((user_id, quiz_id), []).append((percent or 0.0, bool(passed)))
    grades: dict[int, dict[int, QuizGrade]] = {}
    for (user_id, quiz_id), results in found.items():
        last = by_id[quiz_id].settings.get("grading", "highest") == "last"
        percent, passed = results[-1] if last else max(results, key=lambda r: r[0])
        grades.setdefault(user_id, {})[quiz_id] = QuizGrade(percent, passed, len(results))
    return grades


def course_grades_panel(*, course: Course, learners: list) -> Shown | None:
    quizzes = course_quizzes(course)
    if not quizzes or not learners:
        return None
    exam = next((quiz for quiz in quizzes if quiz.name == course.exam_name), None)
    grades = course_grades(course, quizzes)
    passed = {
        user_id: sum(
            1 for quiz_id, g in mine.items() if g.passed and quiz_id != getattr(exam, "id", None)
        )
        for user_id, mine in grades.items()
    }
    return Shown(
        "quizzes/_course_grades.html",
        {
            "exam": exam,
            "module_quizzes": [quiz for quiz in quizzes if quiz is not exam],
            "learners": learners,
            "grades": grades,
            #: user id -> module quizzes passed.
            "passed": passed,
        },
    )

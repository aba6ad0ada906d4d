"""Grades on the staff's course-progress page: each learner's grade that counts in each quiz
(the highest, or the last, as the quiz says), the final exam last; staff only."""

import re

import pytest
from sqlalchemy import select

from educational.accounts.models import User
from educational.catalog.models import Quiz
from educational.catalog.services import course_by_slug, enrol
from educational.core.db import db, utcnow
from educational.quizzes.models import Attempt
from tests.builders.people import logged_in

pytestmark = pytest.mark.csrf
URL = "/staff/courses/asi-auditor/progress"


def attempt(quiz: Quiz, user_id: int, number: int, percent: float) -> Attempt:
    return Attempt(
        user_id=user_id,
        quiz_id=quiz.id,
        number=number,
        state="submitted",
        language="en",
        submitted_at=utcnow(),
        max_score=10.0,
        score=percent / 10,
        percent=percent,
        passed=percent >= 75,
    )


def grade_cells(page: str, name: str) -> list[str]:
    """The text of the grade cells in ``name``'s row of the grades table."""
    table = page[page.index('class="grades-table"') :]
    row = re.search(rf'<th scope="row">{name}</th>(.*?)</tr>', table, re.S).group(1)
    return [
        " ".join(re.sub(r"<[^>]+>", " ", cell).split())
        for cell in re.findall(r"<td>(.*?)</td>", row, re.S)
    ]


def test_each_learners_grades_with_the_final_exam_last(app, make_user, synced_courses):
    ann, bob, staff = (
        make_user("learner", name="Ann"),
        make_user("learner", name="Bob"),
        make_user("staff"),
    )
    with app.test_request_context():
        course = course_by_slug("asi-auditor")
        for learner in (ann, bob):
            enrol(db.session.get(User, learner.id), course)
        quizzes = db.session.scalars(select(Quiz).where(Quiz.course_id == course.id)).all()
        exam = next(q for q in quizzes if q.name == course.exam_name)
        module_quiz = next(q for q in quizzes if q.name != course.exam_name)
        db.session.add_all(
            [
                attempt(exam, ann.id, 1, 60.0),
                attempt(exam, ann.id, 2, 90.0),
                attempt(exam, ann.id, 3, 80.0),
                attempt(module_quiz, ann.id, 1, 50.0),
            ]
        )
        db.session.commit()
        module_title = module_quiz.title

    page = logged_in(app, staff).get(URL).get_data(as_text=True)
    header = page[page.index('class="grades-table"') :].split("</thead>")[0]
    columns = [
        " ".join(re.sub(r"<[^>]+>", " ", th).split())
        for th in re.findall(r'<th scope="col">(.*?)</th>', header, re.S)
    ]
    assert columns == ["Learner", "Final exam", "Module quizzes"]
    exam_cell, modules_cell = grade_cells(page, "Ann")
    assert exam_cell == "90% passed 3 attempts"  # the highest of three
    assert modules_cell.startswith("0 of ")  # the one module quiz taken was not passed
    assert f"{module_title}: 50% not passed 1 attempt" in modules_cell
    bob_exam, bob_modules = grade_cells(page, "Bob")
    assert bob_exam == "not taken" and "passed" not in bob_modules.split(" passed", 1)[1]


@pytest.mark.parametrize("role", ["learner", "member"])
def test_only_staff_see_the_progress(app, make_user, synced_courses, role):
    assert logged_in(app, make_user(role)).get(URL).status_code == 403

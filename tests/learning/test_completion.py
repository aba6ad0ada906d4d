"""Course completion (educational/learning): catalog and quizzes signal, learning completes
the enrolment and issues the certificate, whichever comes last: the exam or the reading."""

from sqlalchemy import select

from educational.catalog.models import Course, Enrolment
from educational.certificates.models import Certificate
from educational.core.db import db
from tests.quizzes.helpers import COURSE, EXAM, correct_form


def modules(app) -> list[str]:
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == COURSE))
        return [module.name for module in course.live_modules]


def read(client, names: list[str]) -> None:
    for name in names:
        assert client.post(f"/courses/{COURSE}/modules/{name}/read").status_code == 302


def pass_exam(app, client) -> None:
    url = client.post(f"{EXAM}/start").headers["Location"]
    attempt_id = int(url.rsplit("/", 1)[1])
    client.post(f"{url}/save", data={**correct_form(app, attempt_id), "action": "submit"})


def completion(app, user) -> tuple[bool, list[str]]:
    """Whether the enrolment is complete, and the codes of the user's certificates."""
    with app.app_context():
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id))
        codes = db.session.scalars(select(Certificate.code).where(Certificate.user_id == user.id))
        return enrolment.completed_at is not None, list(codes)


def test_passing_the_exam_after_reading_completes_and_issues_one_certificate(app, client, learner):
    read(client, modules(app))
    assert completion(app, learner) == (False, [])

    pass_exam(app, client)

    complete, codes = completion(app, learner)
    assert complete and len(codes) == 1


def test_reading_the_last_module_after_passing_completes_and_issues_one_certificate(
    app, client, learner
):
    names = modules(app)
    read(client, names[:-1])
    pass_exam(app, client)
    assert completion(app, learner) == (False, [])

    read(client, names[-1:])

    complete, codes = completion(app, learner)
    assert complete and len(codes) == 1


def test_a_course_without_exam_completes_on_reading(app, client, learner):
    with app.app_context():
        db.session.scalar(select(Course).where(Course.slug == COURSE)).exam_name = None
        db.session.commit()

    read(client, modules(app))

    complete, codes = completion(app, learner)
    assert complete and len(codes) == 1


def test_reading_again_after_completion_issues_no_second_certificate(app, client, learner):
    names = modules(app)
    read(client, names)
    pass_exam(app, client)

    read(client, names[:1])

    assert len(completion(app, learner)[1]) == 1

"""Recertification tests: certificates written directly, near or past their expiry, and
the steps a learner takes through the client (CSRF on)."""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from educational.catalog.models import Course
from educational.certificates.models import Certificate
from educational.certificates.rules import add_months
from educational.core.db import db, today
from tests.builders.people import csrf_token, post
from tests.quizzes.helpers import correct_form

ORIGINAL = "asi-auditor"
REFRESHER = "asi-auditor-refresher"


def give_certificate(app, user_id: int, slug: str, expires_in: int, *, code: str) -> int:
    """A certificate of ``slug`` that expires ``expires_in`` days from today (its validity
    counted back from there); returns its id."""
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == slug))
        expires_on = today() + timedelta(days=expires_in)
        issued_on = add_months(expires_on, -course.certificate_validity_months)
        certificate = Certificate(
            code=code,
            user_id=user_id,
            course_id=course.id,
            course_title=course.title,
            course_version=course.version,
            holder_name="Holder",
            issued_at=datetime.combine(issued_on, time(9), UTC),
            issued_on=issued_on,
            expires_on=expires_on,
        )
        db.session.add(certificate)
        db.session.commit()
        return certificate.id


def certificates(app, user_id: int) -> list[tuple[str, str, int | None, date | None]]:
    """(code, course slug, renews_id, expires_on) of the user's certificates, oldest first."""
    with app.app_context():
        rows = db.session.execute(
            select(Certificate.code, Course.slug, Certificate.renews_id, Certificate.expires_on)
            .join(Course, Certificate.course_id == Course.id)
            .where(Certificate.user_id == user_id)
            .order_by(Certificate.id)
        )
        return [tuple(row) for row in rows]


def module_names(app, slug: str) -> list[str]:
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == slug))
        return [module.name for module in course.live_modules]


def read_all(app, client, slug: str) -> None:
    for name in module_names(app, slug):
        url = f"/courses/{slug}/modules/{name}"
        response = post(client, f"{url}/read", {}, form_url=url)
        assert response.status_code == 302, response.get_data(as_text=True)


def pass_exam(app, client, slug: str, exam: str) -> int:
    """Start and submit the exam, every answer right; returns the attempt id."""
    quiz = f"/courses/{slug}/quizzes/{exam}"
    response = post(client, f"{quiz}/start", {}, form_url=quiz)
    assert response.status_code == 302, response.get_data(as_text=True)
    url = response.headers["Location"]
    attempt_id = int(url.rsplit("/", 1)[1])
    token = csrf_token(client, url)
    data = {**correct_form(app, attempt_id), "action": "submit", "csrf_token": token}
    assert client.post(f"{url}/save", data=data).status_code == 302
    return attempt_id

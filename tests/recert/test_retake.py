"""Retaking to renew a certificate, through the client with CSRF on: the retake link's page
offers the retake once the certificate is in its reminder window (or expired); passing the
refresher (or the course itself) issues a new certificate of the original course, and the
old certificate and attempts stay."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from educational.certificates.models import Certificate
from educational.certificates.rules import add_months
from educational.core.db import db, today
from educational.quizzes.models import Attempt
from tests.builders.people import login, post
from tests.recert.helpers import (
    ORIGINAL,
    REFRESHER,
    certificates,
    give_certificate,
    pass_exam,
    read_all,
)

pytestmark = pytest.mark.csrf


@pytest.fixture
def learner(make_user, synced_courses):
    return make_user()


def start(client, code: str, slug: str):
    page = f"/courses/{slug}"
    return post(client, f"/learning/renew/{code}", {}, form_url=page)


def test_the_refresher_renews_the_original_and_keeps_the_old_certificate(app, client, learner):
    old_code = "RT01-AAAA-BBBB-CCCC-DDDD"
    old_id = give_certificate(app, learner.id, ORIGINAL, 30, code=old_code)
    login(client, learner.email)

    page = client.get(f"/courses/{REFRESHER}").get_data(as_text=True)
    assert "Renew your certificate" in page
    assert old_code in page
    # My certificates links it to the refresher's page.
    mine = client.get("/certificates").get_data(as_text=True)
    assert "Renew it" in mine and f'href="/courses/{REFRESHER}"' in mine

    response = start(client, old_code, REFRESHER)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/courses/{REFRESHER}")
    read_all(app, client, REFRESHER)
    pass_exam(app, client, REFRESHER, "final-quiz")

    held = certificates(app, learner.id)
    assert len(held) == 2
    assert held[0][:3] == (old_code, ORIGINAL, None)
    new_code, slug, renews_id, expires_on = held[1]
    # A certificate of the original course, renewing the old one, with a new validity.
    assert (slug, renews_id) == (ORIGINAL, old_id)
    assert expires_on > held[0][3]

    mine = client.get("/certificates").get_data(as_text=True)
    assert old_code in mine and new_code in mine
    assert "Renew it" not in mine
    assert f"Renews {old_code}" in mine
    # The old one stays verifiable, said to be renewed; the course page lists both.
    record = client.get(f"/verify/{old_code}").get_data(as_text=True)
    assert "Renewed by" in record and new_code in record
    course_page = client.get(f"/courses/{REFRESHER}").get_data(as_text=True)
    assert old_code in course_page and new_code in course_page
    assert "Renew your certificate" not in course_page
    # Passing again issues nothing more.
    assert len(certificates(app, learner.id)) == 2


def test_an_expired_certificate_can_be_renewed(app, client, learner):
    code = "RT02-AAAA-BBBB-CCCC-DDDD"
    give_certificate(app, learner.id, ORIGINAL, -10, code=code)
    login(client, learner.email)
    assert start(client, code, REFRESHER).status_code == 302
    read_all(app, client, REFRESHER)
    pass_exam(app, client, REFRESHER, "final-quiz")
    held = certificates(app, learner.id)
    assert [h[1] for h in held] == [ORIGINAL, ORIGINAL]
    assert held[1][2] is not None


def test_no_retake_before_the_reminder_window(app, client, learner):
    code = "RT03-AAAA-BBBB-CCCC-DDDD"
    give_certificate(app, learner.id, ORIGINAL, 200, code=code)
    login(client, learner.email)
    assert "Renew your certificate" not in client.get(f"/courses/{REFRESHER}").get_data(
        as_text=True
    )
    response = start(client, code, REFRESHER)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "cannot be renewed now" in page


def test_someone_elses_certificate_is_not_found(app, client, learner, make_user):
    other = make_user()
    code = "RT04-AAAA-BBBB-CCCC-DDDD"
    give_certificate(app, other.id, ORIGINAL, 30, code=code)
    login(client, learner.email)
    assert start(client, code, REFRESHER).status_code == 404


def test_the_retake_needs_the_csrf_token(app, client, learner):
    code = "RT05-AAAA-BBBB-CCCC-DDDD"
    give_certificate(app, learner.id, ORIGINAL, 30, code=code)
    login(client, learner.email)
    assert client.post(f"/learning/renew/{code}").status_code == 400


def test_retaking_a_course_without_refresher_keeps_attempts_and_issues_a_new_certificate(
    app, client, learner
):
    course = "asi-specialist"
    login(client, learner.email)
    assert (
        post(client, f"/courses/{course}/enrol", {}, form_url=f"/courses/{course}").status_code
        == 302
    )
    read_all(app, client, course)
    pass_exam(app, client, course, "final-exam")
    (first,) = certificates(app, learner.id)
    # Three years later, 7 days before expiry: the certificate and the attempts move back.
    with app.app_context():
        certificate = db.session.scalar(select(Certificate).where(Certificate.code == first[0]))
        back = certificate.issued_on - add_months(today() + timedelta(days=7), -36)
        certificate.issued_on -= back
        certificate.issued_at -= back
        certificate.expires_on = today() + timedelta(days=7)
        for attempt in db.session.scalars(select(Attempt).where(Attempt.user_id == learner.id)):
            attempt.started_at -= back
            attempt.submitted_at -= back
        db.session.commit()

    # The enrolment is complete; the course page offers the retake.
    assert "Renew your certificate" in client.get(f"/courses/{course}").get_data(as_text=True)
    assert start(client, first[0], course).status_code == 302
    # Reading again does not renew: the exam must be passed again.
    read_all(app, client, course)
    assert len(certificates(app, learner.id)) == 1
    pass_exam(app, client, course, "final-exam")

    held = certificates(app, learner.id)
    assert len(held) == 2
    assert held[0][0] == first[0]
    assert held[1][1] == course and held[1][2] is not None
    with app.app_context():
        attempts = db.session.scalar(
            select(func.count(Attempt.id)).where(Attempt.user_id == learner.id)
        )
    assert attempts >= 2  # the first attempt stays, the retake's is new

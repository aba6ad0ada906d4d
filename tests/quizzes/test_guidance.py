"""Guidance around quizzes, through the test client: a module quiz's review leads back to
its module and on to the next; passing the final exam that completes the course says so and
links to the certificate; the dashboard links "Completed" to the certificate, shows a running
timed exam with its time left, and the courses the learner's intended scope still needs."""

import html
import re
from datetime import timedelta

from sqlalchemy import select

from educational.catalog.models import Enrolment
from educational.certificates.models import Certificate
from educational.core.db import db, utcnow
from educational.quizzes.models import Attempt
from tests.builders.accreditation import apply, qualify
from tests.quizzes.helpers import COURSE, EXAM, correct_form


def take(client, app, quiz_url: str, wrong=frozenset()) -> str:
    """Start the quiz, answer it (all right but ``wrong``), finish and submit; the review's
    URL."""
    url = client.post(f"{quiz_url}/start").headers["Location"]
    attempt_id = int(url.rsplit("/", 1)[1])
    client.post(f"{url}/save", data={**correct_form(app, attempt_id, wrong), "action": "finish"})
    response = client.post(f"{url}/submit")
    assert response.headers["Location"].endswith(f"{url}/review")
    client.get("/")  # consume the flashed messages
    return f"{url}/review"


def links(page: str) -> dict[str, str]:
    """The page's links: their text (tags stripped, whitespace collapsed) -> href."""
    found = re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', page, re.S)
    return {
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split()): html.unescape(href)
        for href, text in found
    }


def read_all(client, app) -> None:
    with app.app_context():
        modules = [m.name for m in db.session.scalar(select(Enrolment)).course.live_modules]
    for name in modules:
        client.post(f"/courses/{COURSE}/modules/{name}/read")


def test_a_module_quiz_review_leads_back_to_the_module_and_on_to_the_next(app, client, learner):
    review = client.get(
        take(client, app, f"/courses/{COURSE}/quizzes/02-standards-programme")
    ).get_data(as_text=True)
    found = links(review)
    assert (
        found["Back to the module: Introduction to ASI's Standards Program"]
        == f"/courses/{COURSE}/modules/02-standards-programme"
    )
    assert found["Next: Performance Standard V3 overview"] == (
        f"/courses/{COURSE}/modules/03-performance-standard"
    )
    assert "You have completed" not in review


def test_the_last_module_quiz_leads_on_to_the_final_exam(app, client, learner):
    review = client.get(
        take(client, app, f"/courses/{COURSE}/quizzes/09-maturity-future-audits")
    ).get_data(as_text=True)
    assert links(review)["Next: the final exam"] == EXAM


def test_passing_the_final_exam_is_the_completion_moment(app, client, learner):
    read_all(client, app)
    review = client.get(take(client, app, EXAM)).get_data(as_text=True)
    with app.app_context():
        code = db.session.scalar(select(Certificate.code))
    assert "You have completed ASI Auditor Course" in review
    found = links(review)
    assert found["See your certificate"] == f"/verify/{code}"
    assert found["Download the certificate (PDF)"] == f"/certificates/{code}/pdf"
    assert found["Log your audit experience"] == "/experience/"
    assert found["Apply for accreditation"] == "/accreditation/"
    assert client.get(found["See your certificate"]).status_code == 200
    # The dashboard's "Completed" links to the same certificate.
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Completed" in dashboard
    assert links(dashboard)["See your certificate ASI Auditor Course"] == f"/verify/{code}"


def test_passing_the_exam_with_modules_unread_says_what_is_missing(app, client, learner):
    review = client.get(take(client, app, EXAM)).get_data(as_text=True)
    assert "You have completed" not in review
    assert "You passed the exam" in review
    assert links(review)["Next: Instructions for auditors"] == (
        f"/courses/{COURSE}/modules/01-accreditation-process"
    )


def test_failing_the_final_exam_shows_no_completion(app, client, learner):
    read_all(client, app)
    review = client.get(take(client, app, EXAM, wrong=set(range(1, 11)))).get_data(as_text=True)
    assert "You have completed" not in review and "You passed the exam" not in review


def test_the_dashboard_shows_a_running_timed_exam_with_its_time_left(app, client, learner):
    assert "Attempts in progress" not in client.get("/dashboard").get_data(as_text=True)
    url = client.post(f"{EXAM}/start").headers["Location"]
    with app.app_context():
        attempt = db.session.scalar(select(Attempt))
        attempt.deadline_at = utcnow() + timedelta(minutes=31, seconds=30)
        db.session.commit()
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Attempts in progress" in page
    assert "32 minutes left" in page
    assert links(page)["Continue your attempt : Final exam"] == url
    # Out of time, it is no longer running (a GET records nothing).
    with app.app_context():
        attempt = db.session.scalar(select(Attempt))
        attempt.deadline_at = utcnow() - timedelta(seconds=app.config["QUIZ_GRACE_SECONDS"] + 5)
        db.session.commit()
    assert "Attempts in progress" not in client.get("/dashboard").get_data(as_text=True)


def test_the_dashboard_lists_the_courses_the_intended_scope_needs(app, client, learner, make_user):
    assert "Courses your accreditation needs" not in client.get("/dashboard").get_data(as_text=True)
    apply(app, learner.id, submit=False)  # a draft: auditor for PS / aluminium smelting
    page = client.get("/dashboard").get_data(as_text=True)
    box = page.split('id="needed-heading"')[1].split("</section>")[0]
    found = links(box)
    assert found["ASI Auditor Course"] == f"/courses/{COURSE}"
    assert "/courses/ps-v3-auditors" in found.values()
    assert "enrolled" in box  # the learner is enrolled in ASI Auditor Course
    # Once the courses are passed, nothing is needed any more.
    staff = make_user("staff")
    qualify(app, learner.id, staff.id, audits=0, qualification=False)
    assert "Courses your accreditation needs" not in client.get("/dashboard").get_data(as_text=True)

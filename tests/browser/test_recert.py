"""Training recertification in a real browser: a learner whose ASI Auditor Course certificate
expires in 30 days gets the sweep's reminder (read from the outbox), follows its retake link
to the refresher course, starts the retake, reads the modules, passes the final quiz, and
sees the new certificate of the ASI Auditor Course with the old one kept. axe-core runs on
the pages, and they must fit at 375, 1280 and 1920 px."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import PASSWORD, TIMEOUT_MS
from tests.browser.helpers import give, log_in, right_answers, submit, watch

pytestmark = pytest.mark.browser

EMAIL = "recert.learner@example.org"
OLD_CODE = "RB01-AAAA-BBBB-CCCC-DDDD"
LINK = re.compile(r"https?://\S+/courses/asi-auditor-refresher")


@pytest.fixture(scope="module")
def recert_learner(server) -> dict:
    """A learner of their own holding an ASI Auditor Course certificate that expires in 30
    days, and the reminder the daily sweep sent them."""
    from educational.accounts import services
    from educational.catalog.models import Course
    from educational.certificates.models import Certificate
    from educational.certificates.rules import add_months
    from educational.core.db import db, today
    from educational.core.mail import OutboxMessage
    from educational.core.permissions import Role

    app = server.app
    with app.app_context():
        user = services.create_user(
            EMAIL, PASSWORD, "Rhea Recert", role=Role("learner"), confirmed=True
        )
        course = db.session.scalar(select(Course).where(Course.slug == "asi-auditor"))
        expires_on = today() + timedelta(days=30)
        issued_on = add_months(expires_on, -36)
        db.session.add(
            Certificate(
                code=OLD_CODE,
                user_id=user.id,
                course_id=course.id,
                course_title=course.title,
                course_version=course.version,
                holder_name="Rhea Recert",
                issued_at=datetime.combine(issued_on, time(9), UTC),
                issued_on=issued_on,
                expires_on=expires_on,
            )
        )
        db.session.commit()
        user_id = user.id
    result = app.test_cli_runner().invoke(args=["accreditation", "sweep"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        body = db.session.scalar(
            select(OutboxMessage.body).where(
                OutboxMessage.recipient == EMAIL, OutboxMessage.kind == "certificate_expiring"
            )
        )
    assert body, "no reminder in the outbox"
    assert OLD_CODE in body
    return {"id": user_id, "email": EMAIL, "link": LINK.search(body).group(0)}


def test_a_reminder_leads_to_the_refresher_and_a_new_certificate(
    server, browser, axe, fit, recert_learner
):
    assert recert_learner["link"].startswith(server.url)
    context = browser.new_context(base_url=server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    watch(page, problems)
    since, fits_since = axe.mark(), fit.mark()
    try:
        log_in(page, recert_learner["email"], PASSWORD)
        page.goto(recert_learner["link"])
        expect(page.get_by_role("heading", name="Renew your certificate")).to_be_visible()
        expect(page.get_by_text(OLD_CODE).first).to_be_visible()
        axe.check(page, "recert course page")
        fit.check(page, "recert course page")

        submit(page, page.get_by_role("button", name="Start the retake"))
        expect(page.get_by_text("Your retake has started.")).to_be_visible()

        # The three modules, each marked read.
        submit(page, page.get_by_role("link", name="Start the course"))
        while True:
            button = page.get_by_role("button", name=re.compile("^Mark as read and"))
            last = "finish" in button.inner_text()
            submit(page, button)
            if last:
                break

        page.goto("/courses/asi-auditor-refresher/quizzes/final-quiz")
        submit(page, page.get_by_role("button", name="Start attempt 1"))
        attempt_id = int(re.search(r"/attempts/(\d+)$", page.url).group(1))
        for answer in right_answers(server.app, attempt_id):
            give(page, answer)
        submit(page, page.get_by_role("button", name="Finish attempt"))
        submit(page, page.get_by_role("button", name="Submit all and finish"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Review of attempt 1")
        expect(page.locator(".facts").get_by_text("passed", exact=True)).to_be_visible()

        # My certificates: the new one renews the old, which stays.
        page.goto("/certificates")
        table = page.get_by_role("table")
        expect(table.get_by_text(OLD_CODE, exact=True)).to_be_visible()
        expect(table.get_by_text(f"Renews {OLD_CODE}")).to_be_visible()
        expect(table.get_by_role("link", name="ASI Auditor Course", exact=True)).to_have_count(2)
        axe.check(page, "recert certificates")
        fit.check(page, "recert certificates")

        # The course page shows the history and offers no retake any more.
        page.goto("/courses/asi-auditor-refresher")
        expect(page.get_by_role("heading", name="Renew your certificate")).to_have_count(0)
        expect(page.locator(".certificate-history li")).to_have_count(2)
        axe.check(page, "recert course page after")
        fit.check(page, "recert course page after")

        # The old certificate stays verifiable, pointing to its renewal.
        page.goto(f"/verify/{OLD_CODE}")
        expect(page.get_by_text("Renewed by")).to_be_visible()
    finally:
        context.close()
    axe.assert_clean(since)
    fit.assert_fits(fits_since)
    assert not problems, "\n".join(problems)

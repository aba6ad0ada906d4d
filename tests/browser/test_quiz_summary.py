"""The summary before submitting, in a real browser: a learner finishes the final exam with a
question unanswered and meets the summary, which lists it; goes back to it from there,
answers it, flags another question, finishes again and sees the flag on the summary; then
submits, and the review says the exam is passed. axe-core runs on the summary, and it must
fit at 375, 1280 and 1920 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, TIMEOUT_MS
from tests.browser.helpers import enrol_in, give, log_in, question, right_answers, submit, watch

pytestmark = pytest.mark.browser

EMAIL = "summary.learner@example.org"


@pytest.fixture(scope="module")
def summary_learner(server) -> dict:
    """A learner of their own, enrolled in the ASI auditor course (the shared "learner"
    account takes a module quiz in test_keyboard)."""
    from educational.accounts import services
    from educational.core.db import db
    from educational.core.permissions import Role

    with server.app.app_context():
        user = services.create_user(
            EMAIL, PASSWORD, "Sol Summary", role=Role("learner"), confirmed=True
        )
        db.session.commit()
        user_id = user.id
    enrol_in(server.app, user_id, "asi-auditor")
    return {"id": user_id, "email": EMAIL}


def summary_row(page, position: int):
    return page.get_by_role("row").filter(
        has=page.get_by_role("link", name=f"Question {position}", exact=True)
    )


def test_finishing_with_an_unanswered_question_meets_the_summary(
    server, browser, axe, fit, summary_learner
):
    context = browser.new_context(base_url=server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    watch(page, problems)
    since, fits_since = axe.mark(), fit.mark()
    try:
        log_in(page, summary_learner["email"], PASSWORD)
        page.goto("/courses/asi-auditor/quizzes/final-exam")
        submit(page, page.get_by_role("button", name="Start attempt 1"))
        attempt_id = int(re.search(r"/attempts/(\d+)$", page.url).group(1))
        answers = right_answers(server.app, attempt_id)
        skipped = answers[2]  # question 3
        for answer in answers:
            if answer is not skipped:
                give(page, answer)

        # Finish: the summary lists question 3 as not answered and warns.
        submit(page, page.get_by_role("button", name="Finish attempt"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Summary of attempt 1")
        expect(summary_row(page, 3)).to_contain_text("Not answered")
        expect(summary_row(page, 1)).to_contain_text("Answered")
        expect(page.get_by_text("1 question is not answered: 3.")).to_be_visible()
        expect(page.get_by_text(re.compile(r"\d+ minutes? left"))).to_be_visible()
        axe.check(page, "summary learner")
        fit.check(page, "summary learner")

        # Back to question 3 from its row; answer it and flag question 5.
        submit(page, summary_row(page, 3).get_by_role("link", name="Question 3", exact=True))
        assert page.url.endswith("#question-3")
        give(page, skipped)
        flag = question(page, 5).get_by_role(
            "checkbox", name="Flag this question to come back to it"
        )
        flag.check()
        expect(flag).to_be_checked()
        axe.check(page, "summary learner")

        # The summary again: nothing unanswered, question 5 flagged (saved with the form).
        submit(page, page.get_by_role("button", name="Finish attempt"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Summary of attempt 1")
        expect(page.get_by_text(re.compile(r"questions? (is|are) not answered"))).to_have_count(0)
        expect(summary_row(page, 3)).to_contain_text("Answered")
        expect(summary_row(page, 5)).to_contain_text("Flagged")
        expect(page.get_by_text("You flagged 1 question to come back to: 5.")).to_be_visible()
        axe.check(page, "summary learner")

        submit(page, page.get_by_role("button", name="Submit all and finish"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Review of attempt 1")
        expect(page.locator(".facts").get_by_text("passed", exact=True)).to_be_visible()
        axe.check(page, "summary learner")
        fit.check(page, "summary learner")
    finally:
        context.close()
    axe.assert_clean(since)
    fit.assert_fits(fits_since)
    assert not problems, "\n".join(problems)

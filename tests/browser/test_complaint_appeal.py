"""The whole of it in a real browser: a member of the public lodges a complaint from a
registry page, staff decide "suspension" (through the accreditation's lifecycle), the person
appeals the outcome from the complaint's page, a staff member who took no part overturns it,
and the public registry shows the accreditation active again, the change feed carrying both
changes. Pages are checked by axe and for their fit as the other journeys do."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import PASSWORD, TIMEOUT_MS
from tests.browser.helpers import log_in, submit, watch
from tests.browser.test_appeal import _user, decide_appeal, lodge_appeal
from tests.browser.test_complaint import complaint_ending_in_suspension

pytestmark = pytest.mark.browser

DECIDER = "complaint.appeal.decider@example.org"


def test_a_complaint_ends_in_suspension_and_an_appeal_overturns_it(server, browser, axe, fit):
    checks, fits = axe.mark(), fit.mark()
    case = complaint_ending_in_suspension(server, browser)
    _user(server, DECIDER, "Dora Decider", "staff")
    problems: list[str] = []
    context = browser.new_context(
        base_url=server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    watch(page, problems)
    try:
        # The person sees the outcome on the complaint's page and appeals it.
        log_in(page, case.subject.email, PASSWORD)
        page.goto(case.about_url)
        expect(page.get_by_role("main")).to_contain_text("Suspension")
        submit(page, page.get_by_role("link", name="Appeal", exact=True))
        axe.check(page, "appellant")
        fit.check(page, "appellant")
        lodge_appeal(page, "I visited the smelter on the first day; the site log shows it.")
        expect(page.get_by_role("main")).to_contain_text("Decision due by")
        submit(page, page.get_by_role("button", name="Log out"))

        from educational.appeals.models import Appeal
        from educational.core.db import db

        with server.app.app_context():
            appeal = db.session.scalar(select(Appeal).order_by(Appeal.id.desc()))
            appeal_id, kind = appeal.id, appeal.kind
        assert kind == "complaint_outcome"

        # Decided by a staff member who took no part in the complaint's decision.
        log_in(page, DECIDER, PASSWORD)
        decide_appeal(
            page,
            appeal_id,
            "Overturned: the original decision is set aside",
            "The site log shows the visit; the complaint's outcome is set aside.",
        )
        expect(page.locator(".flashes")).to_contain_text("The appeal is decided")
        axe.check(page, "appeal staff")
        fit.check(page, "appeal staff")
        submit(page, page.get_by_role("button", name="Log out"))

        page.goto(f"/registry/{case.subject.registry_id}")
        expect(page.locator(".accreditation")).to_contain_text("Active")
        feed = page.request.get("/api/v1/registry/changes").json()
        events = [
            item["event"]
            for item in feed["items"]
            if item["registry_id"] == case.subject.registry_id
        ]
        assert events[-2:] == ["suspended", "reinstated"]
    finally:
        context.close()
    assert problems == []
    axe.assert_clean(since=checks)
    fit.assert_fits(since=fits)

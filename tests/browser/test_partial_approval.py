"""Partial approval in a real browser: a learner asks for two scopes in two countries but
qualifies for one scope in one country; staff untick the other scope and country on the
review page, say why, and approve. The accreditation holds only what was approved. The
review page fits at 375, 1280 and 1920 px (checklist, evidence and history side by side at
desktop widths, stacked on a phone), and axe finds nothing serious on it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import PASSWORD, TIMEOUT_MS
from tests.browser.helpers import log_in, submit, watch
from tests.builders.accreditation import apply, qualify
from tests.builders.experience import SMELTING

pytestmark = pytest.mark.browser

LEARNER = "partial.learner@example.org"

#: Where the review page's three sections sit: their left edges and tops.
SECTIONS = """() => ["checklist", "evidence", "history"].map(name => {
  const box = document.querySelector(`.review-${name}`).getBoundingClientRect();
  return {left: Math.round(box.left), top: Math.round(box.top), width: Math.round(box.width)};
})"""


@pytest.fixture(scope="module")
def wide_application(server) -> int:
    """A learner of their own, qualified for PS aluminium smelting in Norway, who asks for
    smelting and casthouse in Norway and Sweden: the id of the application."""
    from educational.accounts import services
    from educational.core.db import db
    from educational.core.permissions import Role

    with server.app.app_context():
        learner = services.create_user(
            LEARNER, PASSWORD, "Pat Partial", role=Role.LEARNER, confirmed=True
        )
        db.session.commit()
        learner_id = learner.id
    qualify(server.app, learner_id, server.users["staff"]["id"], base_url=server.url)
    return apply(
        server.app,
        learner_id,
        scopes=(("PS", SMELTING), ("PS", "casthouse")),
        countries=("NO", "SE"),
        # Not in the public registry: the journeys share this server, and the member's
        # shortlist there counts the people accredited for PS smelting in Norway.
        consent=False,
    )


def granted(server):
    from educational.accounts.models import User
    from educational.accreditation.models import Accreditation, RegistryProfile
    from educational.core.db import db

    with server.app.app_context():
        accreditation = db.session.scalar(
            select(Accreditation)
            .join(RegistryProfile)
            .join(User, User.id == RegistryProfile.user_id)
            .where(User.email == LEARNER)
        )
        return [(s.standard, s.sector) for s in accreditation.scopes], accreditation.countries


def test_staff_approve_a_narrower_scope(server, browser, axe, fit, wide_application):
    problems: list[str] = []
    context = browser.new_context(
        base_url=server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    watch(page, problems)
    checks, fits = axe.mark(), fit.mark()
    try:
        log_in(page, server.users["staff"]["email"], PASSWORD)
        page.goto(f"/staff/accreditation/applications/{wide_application}")
        expect(page.get_by_role("heading", level=1)).to_have_text("Application of Pat Partial")

        # At 1280 px the three sections stand side by side, on one row.
        checklist, evidence, history = page.evaluate(SECTIONS)
        assert checklist["left"] < evidence["left"] < history["left"]
        assert checklist["top"] == evidence["top"] == history["top"]
        # On a phone they stack.
        page.set_viewport_size({"width": 375, "height": 812})
        checklist, evidence, history = page.evaluate(SECTIONS)
        assert checklist["top"] < evidence["top"] < history["top"]
        page.set_viewport_size({"width": 1280, "height": 900})
        axe.check(page, "staff")
        fit.check(page, "staff")

        scopes = page.get_by_role("group", name="Scopes to approve")
        countries = page.get_by_role("group", name="Countries to approve")
        expect(scopes.get_by_label("Performance Standard: Casthouse")).to_be_checked()
        scopes.get_by_label("Performance Standard: Casthouse").uncheck()
        countries.get_by_label("Sweden").uncheck()
        page.get_by_label("Reason, or what the applicant should provide").fill(
            "Four verified smelting audits in Norway."
        )
        # Without the reason for leaving things out, the page says what to do.
        submit(page, page.get_by_role("button", name="Approve", exact=True))
        expect(page.locator(".error-summary")).to_contain_text("Why fewer than asked")
        expect(scopes.get_by_label("Performance Standard: Casthouse")).not_to_be_checked()
        page.get_by_label("Why fewer than asked").fill(
            "No casthouse audits, and none in Sweden yet."
        )
        submit(page, page.get_by_role("button", name="Approve", exact=True))
        expect(page.locator(".flashes")).to_contain_text("Approved: Pat Partial is accredited")
        expect(page.locator(".review-history")).to_contain_text("No casthouse audits")
        axe.check(page, "staff")
        fit.check(page, "staff")
    finally:
        context.close()

    assert granted(server) == ([("PS", SMELTING)], ["NO"])
    assert problems == []
    axe.assert_clean(checks)
    fit.assert_fits(fits)

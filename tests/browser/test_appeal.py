"""An appeal in a real browser: staff suspend a person's accreditation (through the real
lifecycle, audited and e-mailed); the person finds "Appeal this decision" on their
accreditation page and lodges an appeal; a different staff member (the one who suspended
may not) decides it overturned; the public registry shows the person active again. The
appeal pages fit at 375, 1280 and 1920 px, and axe finds nothing serious on them.

The pieces are plain functions (``suspend_through_the_lifecycle``, ``lodge_appeal``,
``decide_appeal``) so the complaint -> suspension -> appeal journey can reuse them."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.conftest import PASSWORD, TIMEOUT_MS
from tests.browser.helpers import log_in, submit, watch
from tests.builders.accreditation import apply, decide, qualify

pytestmark = pytest.mark.browser

LEARNER = "appeal.learner@example.org"
SECOND_STAFF = "appeal.second.staff@example.org"


def _user(server, email: str, name: str, role: str) -> int:
    from educational.accounts import services
    from educational.core.db import db
    from educational.core.permissions import Role

    with server.app.app_context():
        user = services.create_user(email, PASSWORD, name, role=Role(role), confirmed=True)
        db.session.commit()
        return user.id


def suspend_through_the_lifecycle(server, accreditation_id: int, staff_id: int, reason: str):
    """Staff suspend, as the staff page does (StatusChange, audit event, e-mail); the id of
    the StatusChange: the subject of a "suspension" appeal."""
    from educational.accounts.models import User
    from educational.accreditation import decisions
    from educational.accreditation.models import Accreditation, StatusChange
    from educational.core.db import db

    with server.app.test_request_context(base_url=server.url):
        accreditation = db.session.get(Accreditation, accreditation_id)
        decisions.change_status(accreditation, db.session.get(User, staff_id), "suspend", reason)
        db.session.commit()
        return db.session.scalar(
            select(StatusChange.id)
            .where(StatusChange.accreditation_id == accreditation_id)
            .order_by(StatusChange.id.desc())
        )


def lodge_appeal(page: Page, grounds: str) -> None:
    """On the appeal form: write the grounds and lodge."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Appeal this decision")
    page.get_by_label("Your grounds for appeal").fill(grounds)
    submit(page, page.get_by_role("button", name="Lodge the appeal"))
    expect(page.locator(".flashes")).to_contain_text("Your appeal is lodged")


def decide_appeal(page: Page, appeal_id: int, outcome_label: str, reasons: str) -> None:
    """Staff, on the appeal's page: choose the outcome, give reasons, decide."""
    page.goto(f"/staff/appeals/{appeal_id}")
    page.get_by_label(outcome_label).check()
    page.get_by_label("Reasons").fill(reasons)
    submit(page, page.get_by_role("button", name="Decide"))


@pytest.fixture(scope="module")
def suspended_person(server) -> dict:
    """A person accredited for PS smelting in Sweden, listed publicly, suspended by the
    session's staff member."""
    from educational.accreditation.models import Accreditation, RegistryProfile
    from educational.core.db import db

    learner_id = _user(server, LEARNER, "Astrid Appeal", "learner")
    staff_id = server.users["staff"]["id"]
    qualify(server.app, learner_id, staff_id, country="SE", base_url=server.url)
    decide(server.app, apply(server.app, learner_id, countries=("SE",)), staff_id)
    with server.app.app_context():
        accreditation = db.session.scalar(
            select(Accreditation).join(RegistryProfile).where(RegistryProfile.user_id == learner_id)
        )
        accreditation_id, registry_id = accreditation.id, accreditation.profile.registry_id
    change_id = suspend_through_the_lifecycle(
        server, accreditation_id, staff_id, "Reports filed late."
    )
    return {
        "accreditation_id": accreditation_id,
        "registry_id": registry_id,
        "change_id": change_id,
        "second_staff": _user(server, SECOND_STAFF, "Sven Second", "staff"),
    }


def _appeal_id(server) -> int:
    from educational.appeals.models import Appeal
    from educational.core.db import db

    with server.app.app_context():
        return db.session.scalar(select(Appeal.id).order_by(Appeal.id.desc()))


def test_an_appeal_overturns_a_suspension(server, browser, axe, fit, suspended_person):
    problems: list[str] = []
    context = browser.new_context(
        base_url=server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    watch(page, problems)
    checks, fits = axe.mark(), fit.mark()
    registry_id = suspended_person["registry_id"]
    try:
        page.goto(f"/registry/{registry_id}")
        expect(page.get_by_role("main")).to_contain_text("Suspended")

        log_in(page, LEARNER, PASSWORD)
        page.goto("/accreditation/")
        submit(page, page.get_by_role("link", name="Appeal this decision"))
        axe.check(page, "appellant")
        fit.check(page, "appellant")
        lodge_appeal(page, "The reports were filed on time; see the dates in the portal.")
        expect(page.get_by_role("main")).to_contain_text("Decision due by")
        axe.check(page, "appellant")
        fit.check(page, "appellant")
        submit(page, page.get_by_role("button", name="Log out"))
        appeal_id = _appeal_id(server)

        # The staff member who suspended may not decide: the page says so, with no form.
        log_in(page, server.users["staff"]["email"], PASSWORD)
        page.goto(f"/staff/appeals/{appeal_id}")
        expect(page.get_by_role("main")).to_contain_text("you may not decide this appeal")
        expect(page.get_by_role("button", name="Decide")).to_have_count(0)
        submit(page, page.get_by_role("button", name="Log out"))

        log_in(page, SECOND_STAFF, PASSWORD)
        page.goto("/staff/appeals")
        expect(page.get_by_role("main")).to_contain_text("Astrid Appeal")
        axe.check(page, "appeal staff")
        fit.check(page, "appeal staff")
        decide_appeal(
            page,
            appeal_id,
            "Overturned: the original decision is set aside",
            "The portal shows the reports were filed in time.",
        )
        expect(page.locator(".flashes")).to_contain_text("The appeal is decided")
        axe.check(page, "appeal staff")
        fit.check(page, "appeal staff")
        submit(page, page.get_by_role("button", name="Log out"))

        page.goto(f"/registry/{registry_id}")
        expect(page.get_by_role("main")).to_contain_text("Active")
    finally:
        context.close()

    assert problems == []
    axe.assert_clean(checks)
    fit.assert_fits(fits)

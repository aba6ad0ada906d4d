"""A witness that brings the next one forward, in a real browser: staff record a witness
assessment with major concerns for an auditor; the list of witnesses due then shows that
auditor's next witness earlier (six months after it, "major concerns" instead of the cycle),
and the auditor sees the assessment, with its notes, on their page. The pages fit at 375,
1280 and 1920 px and axe finds nothing serious on them."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, TIMEOUT_MS
from tests.browser.helpers import log_in, submit, watch

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def auditor(server) -> dict:
    """An auditor of their own, accredited 200 days ago for PS aluminium smelting in Norway
    (not in the public registry: the journeys share this server)."""
    from educational.accounts import services
    from educational.accreditation.models import (
        Accreditation,
        AccreditationScope,
        RegistryProfile,
        StatusChange,
    )
    from educational.core.db import db, today
    from educational.core.permissions import Role

    tag = uuid.uuid4().hex[:8]
    email, name = f"witness.{tag}@example.org", f"Wanda Witnessed {tag}"
    valid_from = today() - timedelta(days=200)
    with server.app.app_context():
        user = services.create_user(email, PASSWORD, name, role=Role.LEARNER, confirmed=True)
        profile = RegistryProfile(user=user, registry_id=f"ASI-W{tag}", public=False)
        accreditation = Accreditation(
            profile=profile,
            role="auditor",
            status="active",
            valid_from=valid_from,
            valid_until=valid_from + timedelta(days=3 * 365),
            countries=["NO"],
        )
        accreditation.scopes.append(
            AccreditationScope(standard="PS", sector="aluminium-smelting", version="3")
        )
        db.session.add_all([profile, accreditation])
        db.session.add(
            StatusChange(accreditation=accreditation, from_status=None, to_status="active")
        )
        db.session.commit()
        return {"email": email, "name": name, "accreditation_id": accreditation.id}


def due_of(page, accreditation_id: int) -> tuple[date, str]:
    row = page.locator(f"#due-{accreditation_id}")
    expect(row).to_be_visible()
    day = row.locator(".witness-due time").get_attribute("datetime")
    return date.fromisoformat(day), row.locator(".witness-reason").inner_text()


def test_a_witness_with_major_concerns_brings_the_next_forward(server, browser, axe, fit, auditor):
    from educational.accreditation.rules.periods import add_months
    from educational.core.db import today

    problems: list[str] = []
    checks, fits = axe.mark(), fit.mark()
    context = browser.new_context(
        base_url=server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    watch(page, problems)
    witnessed_on = today() - timedelta(days=2)
    try:
        log_in(page, server.users["staff"]["email"], PASSWORD)
        page.goto("/staff/monitoring/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Witnesses due")
        before, why = due_of(page, auditor["accreditation_id"])
        assert "not witnessed yet this cycle" in why
        axe.check(page, "witness staff")
        fit.check(page, "witness staff")

        submit(
            page,
            page.locator(f"#due-{auditor['accreditation_id']}").get_by_role(
                "link", name="Record a witness"
            ),
        )
        expect(page.get_by_role("heading", level=1)).to_have_text("Record an assessment")
        expect(page.get_by_label("Accredited person")).to_have_value(
            str(auditor["accreditation_id"])
        )
        expect(page.get_by_label("Witness assessment")).to_be_checked()
        page.get_by_label("Date of the audit or review").fill(witnessed_on.isoformat())
        page.get_by_label("Audited entity").fill("Hydro Sunndal")
        page.get_by_label("Standard").select_option("PS")
        page.get_by_label("Sector").select_option("aluminium-smelting")
        page.get_by_label("Country").select_option("NO")
        page.get_by_label("Assessor").fill("Ingrid Assessor")
        page.get_by_label("Major concerns").check()
        page.get_by_label("Notes").fill("The opening meeting skipped the scope confirmation.")
        axe.check(page, "witness staff")
        fit.check(page, "witness staff")
        submit(page, page.get_by_role("button", name="Record the assessment"))
        expect(page.locator(".flashes")).to_contain_text("The assessment is recorded")
        expect(page.get_by_role("heading", level=1)).to_contain_text(auditor["name"])

        page.goto("/staff/monitoring/")
        after, why = due_of(page, auditor["accreditation_id"])
        assert after < before
        assert "major concerns" in why
        assert after == add_months(witnessed_on, 6)
        fit.check(page, "witness staff")

        page.get_by_role("button", name="Log out").click()
        log_in(page, auditor["email"], PASSWORD)
        page.goto("/dashboard")
        submit(page, page.get_by_role("link", name="See your 1 assessment"))
        expect(page.get_by_role("heading", level=1)).to_have_text("My assessments")
        card = page.locator("article.card")
        expect(card).to_contain_text("Hydro Sunndal")
        expect(card).to_contain_text("Major concerns")
        expect(card).to_contain_text("The opening meeting skipped the scope confirmation.")
        expect(page.get_by_text("Why: major concerns")).to_be_visible()
        axe.check(page, "auditor")
        fit.check(page, "auditor")
    finally:
        context.close()

    assert problems == []
    axe.assert_clean(checks)
    fit.assert_fits(fits)

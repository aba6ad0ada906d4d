"""CPD at renewal, in a real browser: an auditor whose accreditation nears its renewal logs
CPD activities (one with evidence) in the experience log; staff verify them in bulk from the
queue; the renewal checklist then shows the CPD cycle total met but the first cycle year
short. The auditor logs more hours in that year, staff verify them, and the CPD rows are all
met. The dashboard shows the cycle's progress. The pages fit at 375 and 1280 px and axe
finds nothing serious on them."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, TIMEOUT_MS
from tests.browser.helpers import log_in, submit, watch

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(scope="module")
def holder(server) -> dict:
    """An auditor of their own whose accreditation began three years ago and ends in 20
    days (not in the public registry: the journeys share this server)."""
    from educational.accounts import services
    from educational.accreditation.models import (
        Accreditation,
        AccreditationScope,
        RegistryProfile,
        StatusChange,
    )
    from educational.accreditation.rules.periods import add_months
    from educational.core.db import db, today
    from educational.core.permissions import Role

    tag = uuid.uuid4().hex[:8]
    email, name = f"cpd.{tag}@example.org", f"Cora Cpd {tag}"
    valid_from = add_months(today(), -36)
    with server.app.app_context():
        user = services.create_user(email, PASSWORD, name, role=Role.LEARNER, confirmed=True)
        profile = RegistryProfile(user=user, registry_id=f"ASI-C{tag}", public=False)
        accreditation = Accreditation(
            profile=profile,
            role="auditor",
            status="active",
            valid_from=valid_from,
            valid_until=today() + timedelta(days=20),
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
        return {
            "email": email,
            "name": name,
            "user_id": user.id,
            "accreditation_id": accreditation.id,
            "cycle_start": add_months(today(), -36),
        }


def log_activity(page, day: date, hours: str, category: str, provider: str, evidence=None):
    page.goto("/experience/new/cpd")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a CPD activity")
    page.get_by_label("Date of the activity").fill(day.isoformat())
    page.get_by_label("Hours").fill(hours)
    page.get_by_label("Category").select_option(category)
    page.get_by_label("Provider").fill(provider)
    page.get_by_label("What you did and learnt").fill(f"{provider}: sessions attended.")
    if evidence:
        page.get_by_label("Evidence files").set_input_files(evidence)
    submit(page, page.get_by_role("button", name="Save and submit for verification"))
    expect(page.locator(".flashes")).to_contain_text("sent to the secretariat")


def submitted_ids(server, user_id: int) -> list[int]:
    from sqlalchemy import select

    from educational.core.db import db
    from educational.experience.models import CpdActivity

    with server.app.app_context():
        return list(
            db.session.scalars(
                select(CpdActivity.id).where(
                    CpdActivity.user_id == user_id, CpdActivity.status == "submitted"
                )
            )
        )


def bulk_verify(page, ids: list[int]) -> None:
    page.goto("/staff/experience/?kind=cpd")
    expect(page.get_by_role("heading", level=1)).to_have_text("Experience to verify")
    for entry_id in ids:
        page.locator(f"#entry-{entry_id}").check()
    submit(page, page.get_by_role("button", name="Verify selected"))
    expect(page.locator(".flashes")).to_contain_text(
        f"{len(ids)} entr{'y' if len(ids) == 1 else 'ies'} verified"
    )


def cpd_rows(page) -> dict[str, str]:
    """The checklist's CPD rows: title -> "met" or "unmet"."""
    rows = {}
    for row in page.locator("table.checklist tbody tr").all():
        title = row.locator("th").inner_text()
        if "CPD" in title:
            rows[title] = row.get_attribute("class")
    return rows


def test_cpd_short_then_complete_at_renewal(server, browser, axe, fit, holder, tmp_path):
    from educational.accreditation.rules.periods import add_months
    from educational.core.i18n import format_date

    problems: list[str] = []
    checks, fits = axe.mark(), fit.mark()
    start = holder["cycle_start"]
    evidence = tmp_path / "certificate.pdf"
    evidence.write_bytes(PDF)
    renew = f"/accreditation/applications/new?renew={holder['accreditation_id']}"
    learner_context = browser.new_context(
        base_url=server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    staff_context = browser.new_context(
        base_url=server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    for context in (learner_context, staff_context):
        context.set_default_timeout(TIMEOUT_MS)
    learner, staff = learner_context.new_page(), staff_context.new_page()
    watch(learner, problems)
    watch(staff, problems)
    try:
        # The auditor logs three activities, one in each year of the cycle.
        log_in(learner, holder["email"], PASSWORD)
        learner.goto("/dashboard")
        expect(learner.locator(".cpd-progress")).to_be_visible()
        axe.check(learner, "cpd learner")
        fit.check(learner, "cpd learner")
        log_activity(learner, start + timedelta(days=30), "10", "training", "Alu Academy", evidence)
        expect(learner.get_by_role("link", name="certificate.pdf")).to_be_visible()
        axe.check(learner, "cpd learner")
        fit.check(learner, "cpd learner")
        log_activity(
            learner, add_months(start, 12) + timedelta(days=30), "20", "conferences", "Expo"
        )
        log_activity(learner, add_months(start, 24) + timedelta(days=30), "30", "audits", "Own")

        # Staff verify them in bulk.
        log_in(staff, server.users["staff"]["email"], PASSWORD)
        first = submitted_ids(server, holder["user_id"])
        assert len(first) == 3
        staff.goto("/staff/experience/?kind=cpd")
        axe.check(staff, "cpd staff")
        fit.check(staff, "cpd staff")
        bulk_verify(staff, first)

        # The renewal checklist: the cycle total is met, the first year is short.
        learner.goto(renew)
        year_one = f"CPD in the cycle year from {format_date(start)}"
        rows = cpd_rows(learner)
        assert rows["Continuing professional development (CPD) in the cycle"] == "met"
        assert rows[year_one] == "unmet"
        assert list(rows.values()).count("unmet") == 1
        expect(learner.locator("table.checklist")).to_contain_text(
            "10 of 15 verified CPD hours in the year from"
        )
        expect(
            learner.locator("table.checklist").get_by_role("link", name="Log a CPD activity")
        ).to_be_visible()
        axe.check(learner, "cpd learner")
        fit.check(learner, "cpd learner")

        # Five more hours in the first year, verified: CPD is complete.
        log_activity(learner, start + timedelta(days=90), "5", "self-study", "Self")
        bulk_verify(staff, submitted_ids(server, holder["user_id"]))
        learner.goto(renew)
        rows = cpd_rows(learner)
        assert len(rows) == 4 and set(rows.values()) == {"met"}
        expect(learner.locator("table.checklist")).to_contain_text(
            "65 of 60 verified CPD hours in the cycle since"
        )
        learner.goto("/dashboard")
        expect(learner.locator(".cpd-progress")).to_contain_text("65 of 60 verified hours")
        fit.check(learner, "cpd learner")
    finally:
        learner_context.close()
        staff_context.close()

    assert problems == []
    axe.assert_clean(checks)
    fit.assert_fits(fits)

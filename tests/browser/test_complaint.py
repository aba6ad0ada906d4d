"""A complaint in a real browser: a member of the public lodges one from a person's
registry page and gets a reference and a private status link; staff acknowledge it and
decide "suspension", which goes through the accreditation's lifecycle; the registry then
shows the accreditation suspended, and the status link shows the outcome. Every page is
checked by axe and for its fit at 375, 1280 and 1920 px.

The helpers (``accredited_person``, ``lodge_complaint``, ``acknowledge_and_decide``,
``complaint_ending_in_suspension``) are for other journeys to chain on: the appeal of the
suspended person, for one."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.conftest import PASSWORD, TIMEOUT_MS
from tests.browser.helpers import log_in, submit, watch

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Subject:
    registry_id: str
    name: str
    email: str
    user_id: int
    accreditation_id: int


@dataclass(frozen=True)
class ComplaintCase:
    """A complaint decided through the pages, and who it is about (log in as
    ``subject.email`` with PASSWORD to see it at ``about_url`` and appeal)."""

    reference: str
    complaint_id: int
    status_url: str
    subject: Subject

    @property
    def about_url(self) -> str:
        return f"/complaints/about-me/{self.complaint_id}"


def accredited_person(server, name: str | None = None) -> Subject:
    """A person in the public registry with an active auditor accreditation, written
    directly in the database; a unique name and registry id each time."""
    from educational.accounts import services
    from educational.accreditation.models import (
        Accreditation,
        AccreditationScope,
        RegistryProfile,
        StatusChange,
    )
    from educational.core.db import db, today, utcnow
    from educational.core.permissions import Role

    tag = secrets.token_hex(3)
    name = name or f"Cora Complained {tag}"
    email = f"complained.{tag}@example.org"
    registry_id = f"ASI-7{int(tag, 16) % 100000:05d}"
    with server.app.app_context():
        user = services.create_user(email, PASSWORD, name, role=Role.LEARNER, confirmed=True)
        profile = RegistryProfile(user=user, registry_id=registry_id, public=True)
        accreditation = Accreditation(
            profile=profile,
            role="auditor",
            status="active",
            valid_from=today() - timedelta(days=100),
            valid_until=today() + timedelta(days=900),
            countries=["NO"],
        )
        accreditation.scopes.append(
            AccreditationScope(standard="PS", version="3", sector="aluminium-smelting")
        )
        db.session.add_all([profile, accreditation])
        db.session.add(
            StatusChange(
                accreditation=accreditation,
                from_status=None,
                to_status="active",
                reason="granted",
                occurred_at=utcnow() - timedelta(days=100),
            )
        )
        db.session.commit()
        return Subject(registry_id, name, email, user.id, accreditation.id)


def lodge_complaint(page: Page, subject: Subject, description: str) -> tuple[str, str]:
    """From the person's registry page, as a visitor: (the reference, the status link)."""
    page.goto(f"/registry/{subject.registry_id}")
    submit(page, page.get_by_role("link", name="Lodge a complaint"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(subject.name)
    page.get_by_label("What happened").fill(description)
    page.get_by_label("Your name (optional)").fill("Walter Witness")
    page.get_by_label("Your e-mail address (optional)").fill("walter.witness@example.org")
    submit(page, page.get_by_role("button", name="Lodge the complaint"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your complaint is lodged")
    reference = page.locator("#complaint-reference").inner_text()
    status_url = page.locator("#complaint-status-link").get_attribute("href")
    return reference, status_url


def acknowledge_and_decide(page: Page, reference: str, outcome: str, reasons: str) -> None:
    """As staff (logged in): find the complaint in the queue, acknowledge it, decide."""
    page.goto("/staff/complaints/")
    submit(page, page.get_by_role("link", name=reference))
    submit(page, page.get_by_role("button", name="Acknowledge"))
    expect(page.locator(".flashes")).to_contain_text("acknowledged")
    page.get_by_label(outcome, exact=True).check()
    page.get_by_label("Reasons", exact=True).fill(reasons)
    submit(page, page.get_by_role("button", name="Record the decision"))
    expect(page.locator(".flashes")).to_contain_text("The complaint is decided")


def complaint_id_of(server, reference: str) -> int:
    from educational.complaints.models import Complaint
    from educational.core.db import db

    with server.app.app_context():
        return db.session.scalar(select(Complaint.id).where(Complaint.reference == reference))


def complaint_ending_in_suspension(server, browser, axe=None, fit=None) -> ComplaintCase:
    """The whole journey up to the suspension; returns the case for an appeal to follow."""
    subject = accredited_person(server)
    problems: list[str] = []
    visitor = browser.new_context(
        base_url=server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    staff = browser.new_context(
        base_url=server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    for context in (visitor, staff):
        context.set_default_timeout(TIMEOUT_MS)
    try:
        page = visitor.new_page()
        watch(page, problems)
        reference, status_url = lodge_complaint(
            page, subject, "The auditor signed the report without visiting the smelter."
        )
        if axe is not None:
            axe.check(page, "anonymous")
            fit.check(page, "anonymous")
        page.goto(status_url)
        expect(page.locator("main")).to_contain_text("Lodged")

        desk = staff.new_page()
        watch(desk, problems)
        log_in(desk, server.users["staff"]["email"], PASSWORD)
        acknowledge_and_decide(
            desk, reference, "Suspension", "The report was signed without a site visit."
        )
        if axe is not None:
            axe.check(desk, "staff")
            fit.check(desk, "staff")
        expect(desk.locator("main")).to_contain_text("Suspension")

        page.goto(f"/registry/{subject.registry_id}")
        expect(page.locator(".accreditation")).to_contain_text("Suspended")
        if axe is not None:
            axe.check(page, "anonymous")
        page.goto(status_url)
        expect(page.locator("main")).to_contain_text("Suspension")
        expect(page.locator("main")).to_contain_text("without a site visit")
        if axe is not None:
            axe.check(page, "anonymous")
            fit.check(page, "anonymous")
    finally:
        visitor.close()
        staff.close()
    assert problems == []
    return ComplaintCase(reference, complaint_id_of(server, reference), status_url, subject)


def test_a_complaint_ends_in_suspension(server, browser, axe, fit):
    checks, fits = axe.mark(), fit.mark()
    case = complaint_ending_in_suspension(server, browser, axe, fit)
    axe.assert_clean(since=checks)
    fit.assert_fits(since=fits)

    from educational.accreditation.models import Accreditation, StatusChange
    from educational.complaints.models import Complaint
    from educational.core.db import db
    from educational.core.mail import OutboxMessage

    with server.app.app_context():
        complaint = db.session.get(Complaint, case.complaint_id)
        assert complaint.outcome == "suspension"
        assert db.session.get(Accreditation, case.subject.accreditation_id).status == "suspended"
        change = db.session.get(StatusChange, complaint.status_change_id)
        assert case.reference in change.reason
        bodies = db.session.scalars(
            select(OutboxMessage.body).where(OutboxMessage.recipient == case.subject.email)
        ).all()
    assert bodies and all("Walter" not in body for body in bodies)

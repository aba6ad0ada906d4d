"""The four journeys of issue 7, in a real browser, one person after another:

1. a learner registers, confirms, enrols, reads every module, takes the final exam (reloading
   the page mid-exam), passes, downloads the certificate PDF and verifies it;
2. the learner logs an audit with a PDF and applies; staff verify and approve; the learner is
   in the public registry;
3. a member checks the auditor's eligibility and finds them in the shortlist;
4. staff suspend the accreditation; the registry, the API and the credential status list say so.

Then every page the journeys visited is visited again in French, switched with the switch in
the page header. axe-core runs on every page; no serious or critical violation is allowed.
Every page is also resized to 375, 1280 and 1920 px (tests/browser/overflow.py): nothing may
scroll sideways or stick out of the window, in English or in French.

Each journey continues from the one before: a test runs the journeys it depends on first
when they have not run yet (``Story.run``), so any one test can run alone."""

from __future__ import annotations

import base64
import json
import re
from datetime import timedelta
from urllib.parse import urlsplit

import jwt
import pytest
from playwright.sync_api import Page, expect

from educational.core.db import utcnow
from educational.registry import statuslist
from tests.browser.conftest import PASSWORD, TIMEOUT_MS
from tests.browser.helpers import (
    complete_the_record,
    confirmation_link,
    expect_given,
    give,
    log_in,
    right_answers,
    submit,
    switch_language,
    watch,
)
from tests.certificates.helpers import pdf_streams

pytestmark = pytest.mark.browser

LEARNER_NAME = "Ingrid Berg"
LEARNER_EMAIL = "ingrid.berg@example.org"
LEARNER_PASSWORD = "aluminium stewardship 2026"
COURSE = "ASI Auditor Course"
AUDITOR = "ASI Accredited Auditor"
#: A small valid PDF: the evidence of the audit the learner logs.
EVIDENCE_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
#: Who looks at pages, and how they log in (None: not logged in).
PEOPLE = ("anonymous", "learner", "staff", "member")


class Story:
    """The browser pages of the people in the journeys, and what each journey leaves for the
    next: the certificate code, the registry id, the member's API token, ..."""

    def __init__(self, server, browser, axe, fit) -> None:
        self.server, self.browser, self.axe, self.fit = server, browser, axe, fit
        self.pages: dict[str, Page] = {}
        #: Server errors (5xx) and Content-Security-Policy violations seen by any page.
        self.problems: list[str] = []
        self.done: set[int] = set()
        #: Journey -> the ranges of axe checks, problems and fit checks it produced: a
        #: journey may run as another's prerequisite (tests run in random order) and be
        #: judged later.
        self.ranges: dict[int, tuple[range, range, range]] = {}
        self.failed: dict[int, str] = {}
        self.today = utcnow().date()
        self.certificate_code = ""
        self.registry_id = ""
        self.accreditation_credential: dict = {}
        self.api_token = ""

    # People and pages

    def login_of(self, who: str) -> tuple[str, str] | None:
        if who == "learner":
            return LEARNER_EMAIL, LEARNER_PASSWORD
        if who in ("staff", "member"):
            return self.server.users[who]["email"], PASSWORD
        return None

    def new_page(self, locale: str = "en-GB") -> Page:
        context = self.browser.new_context(
            base_url=self.server.url, locale=locale, accept_downloads=True
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        page = context.new_page()
        watch(page, self.problems)
        return page

    def page(self, who: str, *, logged_in: bool = True) -> Page:
        """The page ``who`` works in, the same one journey after journey."""
        if who not in self.pages:
            self.pages[who] = self.new_page()
            login = self.login_of(who)
            if logged_in and login:
                log_in(self.pages[who], *login)
        return self.pages[who]

    def look(self, page: Page, who: str) -> None:
        """A person looks at the page: axe checks it; every page has a language and an h1,
        and fits a phone, a laptop and a large screen."""
        expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^[a-z]{2}"))
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        self.axe.check(page, who)
        self.fit.check(page, who)

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()

    # Journeys

    def run(self, number: int) -> None:
        """Run journey ``number`` after those it continues from, each once."""
        if number in self.done:
            return
        if number in self.failed:
            pytest.fail(f"journey {number} failed earlier: {self.failed[number]}")
        for before in range(1, number):
            self.run(before)
        checks, problems, fits = self.axe.mark(), len(self.problems), self.fit.mark()
        try:
            JOURNEYS[number](self)
        except BaseException as error:
            self.failed[number] = f"{type(error).__name__}: {str(error)[:300]}"
            raise
        self.done.add(number)
        self.ranges[number] = (
            range(checks, self.axe.mark()),
            range(problems, len(self.problems)),
            range(fits, self.fit.mark()),
        )


def nav(page: Page, name: str):
    """A link of the main or the personal navigation."""
    return page.get_by_role("navigation").get_by_role("link", name=name, exact=True)


def flash(page: Page, text: str):
    return page.locator(".flashes").get_by_text(text)


# Journey 1: from registration to a verified certificate


def learner_gets_certified(story: Story) -> None:
    app = story.server.app
    page = story.page("learner", logged_in=False)
    page.goto("/")
    story.look(page, "anonymous")

    submit(page, page.get_by_role("main").get_by_role("link", name="Create an account"))
    story.look(page, "anonymous")
    page.get_by_label("Full name").fill(LEARNER_NAME)
    page.get_by_label("E-mail address").fill(LEARNER_EMAIL)
    page.get_by_label("Password", exact=True).fill(LEARNER_PASSWORD)
    page.get_by_label("Repeat the password").fill(LEARNER_PASSWORD)
    submit(page, page.get_by_role("button", name="Create account"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    story.look(page, "anonymous")

    # The link of the e-mail, as the outbox holds it: a page whose button confirms.
    page.goto(confirmation_link(app, LEARNER_EMAIL))
    story.look(page, "anonymous")
    submit(page, page.get_by_role("button", name="Confirm my address"))
    expect(flash(page, "your e-mail address is confirmed")).to_be_visible()
    story.look(page, "anonymous")
    page.get_by_label("E-mail address").fill(LEARNER_EMAIL)
    page.get_by_label("Password", exact=True).fill(LEARNER_PASSWORD)
    submit(page, page.get_by_role("button", name="Log in"))
    expect(page.get_by_text(f"Welcome, {LEARNER_NAME}.")).to_be_visible()
    expect(page.get_by_text("Your e-mail address is not confirmed yet.")).to_have_count(0)
    story.look(page, "learner")

    # Enrol, and read every module.
    submit(page, nav(page, "Courses"))
    story.look(page, "learner")
    submit(page, page.get_by_role("link", name=COURSE))
    story.look(page, "learner")
    submit(page, page.get_by_role("button", name="Enrol in this course"))
    expect(flash(page, "You are enrolled.")).to_be_visible()
    while True:
        position = page.get_by_text(re.compile(r"Module \d+ of \d+")).inner_text()
        number, total = map(int, re.search(r"Module (\d+) of (\d+)", position).groups())
        story.look(page, "learner")
        if number == total:
            submit(page, page.get_by_role("button", name="Mark as read and finish"))
            break
        submit(page, page.get_by_role("button", name="Mark as read and continue"))
        expect(page.get_by_text(f"Module {number + 1} of {total}")).to_be_visible()
    assert total == 9
    expect(flash(page, "You have read every module of this course.")).to_be_visible()
    expect(page.get_by_text(f"{total} of {total} modules read")).to_be_visible()
    story.look(page, "learner")

    # The final exam: half the answers, a reload, the other half, submit.
    submit(page, page.get_by_role("link", name="Go to the final exam"))
    story.look(page, "learner")
    submit(page, page.get_by_role("button", name="Start attempt 1"))
    attempt_id = int(re.search(r"/attempts/(\d+)$", page.url).group(1))
    answers = right_answers(app, attempt_id)
    assert len(answers) == 20
    expect(page.get_by_role("group", name=re.compile(r"^Question \d+"))).to_have_count(20)
    story.look(page, "learner")
    half = len(answers) // 2
    for answer in answers[:half]:
        give(page, answer)
    page.reload(wait_until="load")
    for answer in answers[:half]:
        expect_given(page, answer)
    story.look(page, "learner")
    for answer in answers[half:]:
        give(page, answer)
    # Finishing shows the summary first (tests/browser/test_quiz_summary.py); submit there.
    submit(page, page.get_by_role("button", name="Finish attempt"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Summary of attempt 1")
    submit(page, page.get_by_role("button", name="Submit all and finish"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Review of attempt 1")
    expect(page.locator(".facts").get_by_text("passed", exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile(r"\(100(\.0)?%\)"))).to_be_visible()
    story.look(page, "learner")

    # The certificate: download the PDF, then verify its code on the public page.
    submit(page, nav(page, "My certificates"))
    story.look(page, "learner")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=COURSE))
    code = row.locator("code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){4}", code), code
    story.certificate_code = code
    with page.expect_download() as download:
        row.get_by_role("link", name=f"PDF of {COURSE}, {code}").click()
    assert download.value.suggested_filename == f"certificate-{code}.pdf"
    data = download.value.path().read_bytes()
    assert data.startswith(b"%PDF-")
    assert f"({code}) Tj".encode() in b"\n".join(pdf_streams(data))

    submit(page, nav(page, "Verify a certificate"))
    story.look(page, "learner")
    page.get_by_label("Certificate code").fill(code.lower().replace("-", " "))
    submit(page, page.get_by_role("button", name="Check"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Certificate {code}")
    expect(page.get_by_text("This certificate is genuine and valid today.")).to_be_visible()
    expect(page.get_by_role("main").get_by_text(LEARNER_NAME)).to_be_visible()
    story.look(page, "learner")


# Journey 2: experience, application, verification, approval, the public registry


def learner_gets_accredited(story: Story) -> None:
    server = story.server
    page = story.page("learner")
    end = story.today - timedelta(days=30)

    submit(page, nav(page, "My experience"))
    story.look(page, "learner")
    submit(page, page.get_by_role("link", name="Add an audit"))
    story.look(page, "learner")
    page.get_by_label("First day of the audit").fill((end - timedelta(days=4)).isoformat())
    page.get_by_label("Last day of the audit").fill(end.isoformat())
    page.get_by_label("On-site days").fill("4")
    page.get_by_label("Off-site days").fill("1")
    page.get_by_label("Your role").select_option(label="Lead auditor")
    page.get_by_label("Team size").fill("3")
    page.get_by_label("Standard", exact=True).select_option(label="PS: Performance Standard")
    page.get_by_label("Version of the standard").select_option(label="Version 3")
    page.get_by_role("group", name="Sectors").get_by_label("Aluminium smelting").check()
    page.get_by_label("Country", exact=True).select_option(label="Norway")
    page.get_by_label("Audited organisation or site").fill("Sunndal Smelter AS")
    page.get_by_label("Type of audit").select_option(label="Certification")
    page.get_by_label("Reference: name").fill("Ola Nordmann")
    page.get_by_label("Reference: e-mail or telephone").fill("ola@cb.example.org")
    page.get_by_label("Evidence files").set_input_files(
        {"name": "audit-report.pdf", "mimeType": "application/pdf", "buffer": EVIDENCE_PDF}
    )
    submit(page, page.get_by_role("button", name="Save and submit for verification"))
    expect(flash(page, "Saved and sent to the secretariat for verification.")).to_be_visible()
    expect(page.get_by_role("link", name="audit-report.pdf")).to_be_visible()
    story.look(page, "learner")

    # The rest of an auditor's record (three more audits, the lead-auditor qualification,
    # the Performance Standard course) is set up directly: the journey logs one audit.
    staff = server.users["staff"]
    complete_the_record(server.app, server.url, server.user_id(LEARNER_EMAIL), staff["id"])

    submit(page, nav(page, "My accreditation"))
    story.look(page, "learner")
    submit(page, page.get_by_role("link", name="Start an application"))
    story.look(page, "learner")
    page.get_by_label("Role", exact=True).select_option(label=AUDITOR)
    page.get_by_role("group", name="Scopes").get_by_label("PS: Aluminium smelting").check()
    page.get_by_role("group", name="Countries", exact=True).get_by_label("Norway").check()
    page.get_by_label(re.compile("^I agree that my name")).check()
    page.get_by_label("Note to the secretariat").fill("My last audit is waiting for you.")
    submit(page, page.get_by_role("button", name="Save and submit"))
    expect(flash(page, "Your application is submitted.")).to_be_visible()
    story.look(page, "learner")

    # Staff verify the audit, then review and approve the application.
    desk = story.page("staff")
    submit(desk, nav(desk, "Staff"))
    story.look(desk, "staff")
    submit(desk, desk.get_by_role("link", name="Verify experience", exact=True))
    story.look(desk, "staff")
    submit(desk, desk.get_by_role("link", name="Sunndal Smelter AS (PS v3)"))
    story.look(desk, "staff")
    expect(desk.get_by_text(f"by {LEARNER_NAME}")).to_be_visible()
    with desk.expect_download() as download:
        desk.get_by_role("link", name="audit-report.pdf").click()
    assert download.value.path().read_bytes() == EVIDENCE_PDF
    submit(desk, desk.get_by_role("button", name="Verify", exact=True))
    expect(flash(desk, f"The entry is verified; {LEARNER_NAME} is told by e-mail.")).to_be_visible()
    story.look(desk, "staff")

    submit(desk, nav(desk, "Staff"))
    submit(desk, desk.get_by_role("link", name="Accreditation", exact=True))
    story.look(desk, "staff")
    submit(desk, desk.get_by_role("link", name="Review queue", exact=True))
    story.look(desk, "staff")
    submit(desk, desk.get_by_role("link", name=LEARNER_NAME))
    expect(desk.get_by_role("heading", level=1)).to_have_text(f"Application of {LEARNER_NAME}")
    expect(desk.get_by_text("Every requirement is met today.")).to_be_visible()
    story.look(desk, "staff")
    desk.get_by_label("Reason, or what the applicant should provide").fill(
        "Training, qualification and four verified audits in Norway."
    )
    submit(desk, desk.get_by_role("button", name="Approve"))
    approved = desk.locator(".flashes").get_by_text(re.compile(r"registry id ASI-\d{6}"))
    expect(approved).to_be_visible()
    story.registry_id = re.search(r"ASI-\d{6}", approved.inner_text()).group(0)
    story.look(desk, "staff")

    # Anyone finds the new auditor in the public registry.
    public = story.page("anonymous")
    public.goto("/")
    submit(public, nav(public, "Registry"))
    story.look(public, "anonymous")
    public.get_by_label("Name or registry id").fill("Berg")
    submit(public, public.get_by_role("button", name="Search"))
    expect(public.get_by_role("status")).to_contain_text("1 person found.")
    row = public.get_by_role("row").filter(has=public.get_by_role("link", name=LEARNER_NAME))
    expect(row).to_contain_text(story.registry_id)
    expect(row).to_contain_text("Active")
    story.look(public, "anonymous")
    submit(public, row.get_by_role("link", name=LEARNER_NAME))
    expect(public.get_by_role("heading", level=2, name=re.compile(AUDITOR))).to_contain_text(
        "Active"
    )
    story.look(public, "anonymous")


# Journey 3: a member checks the auditor and shortlists auditors


def member_checks_eligibility(story: Story) -> None:
    page = story.page("member")
    audit_day = (story.today + timedelta(days=14)).isoformat()

    submit(page, nav(page, "Check eligibility"))
    story.look(page, "member")
    page.get_by_label("Registry id of the auditor").fill(story.registry_id)
    page.get_by_label("Role").select_option(label=AUDITOR)
    page.get_by_label("Standard").select_option(label="Performance Standard")
    page.get_by_label("Sector").select_option(label="Aluminium smelting")
    page.get_by_label("Country of the audit").select_option(label="Norway")
    page.get_by_label("Date of the audit").fill(audit_day)
    page.get_by_label("Your entity (optional)").fill("Sunndal Smelter AS")
    submit(page, page.get_by_role("button", name="Check eligibility"))
    expect(page.get_by_role("heading", level=2)).to_contain_text(
        f"{LEARNER_NAME} ({story.registry_id}) is eligible"
    )
    checks = page.get_by_role("table", name="Every check and its result")
    for label in (
        "Accreditation active",
        "Standard in scope",
        "Standard version current",
        "Sector in scope",
        "Country covered",
        "Training current",
        "No conflict of interest",
    ):
        row = checks.get_by_role("row").filter(has=page.get_by_role("rowheader", name=label))
        expect(row).to_contain_text("Passed")
    story.look(page, "member")

    submit(page, nav(page, "Find eligible auditors"))
    story.look(page, "member")
    page.get_by_label("Role").select_option(label=AUDITOR)
    page.get_by_label("Standard").select_option(label="Performance Standard")
    page.get_by_label("Sector").select_option(label="Aluminium smelting")
    page.get_by_label("Country of the audit").select_option(label="Norway")
    page.get_by_label("Date of the audit").fill(audit_day)
    submit(page, page.get_by_role("button", name="Find eligible auditors"))
    expect(page.get_by_role("status")).to_contain_text("1 eligible person.")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=LEARNER_NAME))
    expect(row).to_contain_text(story.registry_id)
    story.look(page, "member")

    # A token for the member's systems (journey 4 asks the API with it).
    submit(page, nav(page, "API tokens"))
    story.look(page, "member")
    page.get_by_label("Name of the new token").fill("Procurement system")
    submit(page, page.get_by_role("button", name="Create the token"))
    story.api_token = page.get_by_role("textbox", name="Token", exact=True).input_value()
    assert story.api_token.startswith("edu_")
    story.look(page, "member")


# Journey 4: staff suspend; the registry, the API and the status list say so


def staff_suspend_the_accreditation(story: Story) -> None:
    server = story.server

    # While active, the holder downloads the accreditation as a signed credential.
    holder = story.page("learner")
    submit(holder, nav(holder, "My accreditation"))
    story.look(holder, "learner")
    holder.goto(f"/registry/{story.registry_id}")
    story.look(holder, "learner")
    submit(holder, holder.get_by_role("link", name="Download your accreditations"))
    story.look(holder, "learner")
    with holder.expect_download() as download:
        holder.get_by_role("link", name="Download the credential").click()
    credential = verified_jwt(holder, download.value.path().read_text())
    story.accreditation_credential = credential
    assert not status_bit_set(holder, credential)

    desk = story.page("staff")
    submit(desk, nav(desk, "Staff"))
    submit(desk, desk.get_by_role("link", name="Accreditation", exact=True))
    submit(desk, desk.get_by_role("link", name="All accreditations", exact=True))
    story.look(desk, "staff")
    submit(desk, desk.get_by_role("link", name=story.registry_id))
    story.look(desk, "staff")
    suspend = desk.locator("form").filter(has=desk.get_by_role("heading", name="Suspend"))
    suspend.get_by_label("Reason").fill("Complaint from a certified entity under review.")
    submit(desk, suspend.get_by_role("button", name="Suspend"))
    expect(flash(desk, "The accreditation is now Suspended")).to_be_visible()
    story.look(desk, "staff")

    # The public registry: the person page, and the search (only with "Any status").
    public = story.page("anonymous")
    public.goto(f"/registry/{story.registry_id}")
    expect(public.get_by_role("heading", level=2, name=re.compile(AUDITOR))).to_contain_text(
        "Suspended"
    )
    expect(public.get_by_role("table", name="Status history")).to_contain_text("Suspended")
    story.look(public, "anonymous")
    submit(public, public.get_by_role("link", name="Back to the registry"))
    public.get_by_label("Name or registry id").fill(story.registry_id)
    submit(public, public.get_by_role("button", name="Search"))
    expect(public.get_by_role("status")).to_contain_text("0 people found.")
    story.look(public, "anonymous")
    public.get_by_label("Status").select_option(label="Any status")
    submit(public, public.get_by_role("button", name="Search"))
    expect(public.get_by_role("status")).to_contain_text("1 person found.")
    expect(public.get_by_role("row").filter(has_text=LEARNER_NAME)).to_contain_text("Suspended")
    story.look(public, "anonymous")

    # The API: the registry entry (public), and the eligibility check (the member's token).
    api = public.context.request
    entry = api.get(f"/api/v1/registry/{story.registry_id}")
    assert entry.ok, entry.text()
    statuses = [a["status"] for a in entry.json()["accreditations"]]
    assert statuses == ["suspended"], entry.json()
    answer = api.get(
        "/api/v1/eligibility",
        params={
            "registry_id": story.registry_id,
            "role": "auditor",
            "standard": "PS",
            "sector": "aluminium-smelting",
            "country": "NO",
            "date": story.today.isoformat(),
        },
        headers={"Authorization": f"Bearer {story.api_token}"},
    )
    assert answer.ok, answer.text()
    verdict = answer.json()
    assert verdict["eligible"] is False
    checks = {check["code"]: check["passed"] for check in verdict["checks"]}
    assert checks["accreditation_active"] is False
    unauthorised = api.get("/api/v1/eligibility", params={"registry_id": story.registry_id})
    assert unauthorised.status == 401

    # The status list: the credential's bit is now set.
    assert status_bit_set(public, story.accreditation_credential)
    server.process.poll()
    assert server.process.returncode is None, "gunicorn stopped during the journeys"


def verified_jwt(page: Page, token: str) -> dict:
    """A VC-JWT checked as a verifier does: with the issuer's key from its JWKS."""
    keys = page.context.request.get("/.well-known/jwks.json").json()["keys"]
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    (key,) = [k for k in keys if k["kid"] == header["kid"]]
    return jwt.decode(token, jwt.PyJWK(key), algorithms=["EdDSA"], options={"verify_exp": False})


def status_bit_set(page: Page, credential: dict) -> bool:
    entry = credential["credentialStatus"]
    response = page.context.request.get(urlsplit(entry["statusListCredential"]).path)
    assert response.ok and response.headers["content-type"] == "application/vc+jwt"
    status_list = verified_jwt(page, response.text())
    subject = status_list["credentialSubject"]
    assert subject["statusPurpose"] == entry["statusPurpose"] == "suspension"
    return statuslist.is_set(subject["encodedList"], int(entry["statusListIndex"]))


JOURNEYS = {
    1: learner_gets_certified,
    2: learner_gets_accredited,
    3: member_checks_eligibility,
    4: staff_suspend_the_accreditation,
}


@pytest.fixture(scope="session")
def story(server, browser, axe, fit):
    story = Story(server, browser, axe, fit)
    yield story
    story.close()


def run_journey(story: Story, axe, number: int) -> None:
    """Run a journey; then no page it visited may have a serious or critical accessibility
    violation, a server error or a Content-Security-Policy violation, or not fit a window
    375, 1280 or 1920 px wide."""
    story.run(number)
    checks, problems, fits = story.ranges[number]
    axe.assert_clean(checks.start, checks.stop)
    story.fit.assert_fits(fits.start, fits.stop)
    found = story.problems[problems.start : problems.stop]
    assert not found, "\n".join(found)


def test_learner_registers_learns_passes_and_verifies_the_certificate(story, axe):
    run_journey(story, axe, 1)


def test_learner_applies_staff_verify_and_approve_registry_lists_them(story, axe):
    run_journey(story, axe, 2)


def test_member_checks_eligibility_and_shortlists(story, axe):
    run_journey(story, axe, 3)


def test_suspension_shows_in_registry_api_and_status_list(story, axe):
    run_journey(story, axe, 4)


def test_every_page_of_the_journeys_in_french(story, axe):
    """Every page the journeys visited, again in French, chosen with the switch on the page:
    the same checks (language, one h1, axe, the fit at every width)."""
    story.run(4)
    problems, fits = len(story.problems), story.fit.mark()
    visited = [(who, path) for who, path in axe.visited("en") if who in PEOPLE]
    assert len(visited) >= 30, visited
    since = axe.mark()
    for who in PEOPLE:
        paths = [path for person, path in visited if person == who]
        if not paths:
            continue
        page = story.new_page()
        try:
            login = story.login_of(who)
            if login:
                log_in(page, *login)
            else:
                page.goto("/")
            switch_language(page, "Change language", "Français")
            expect(page.locator("html")).to_have_attribute("lang", "fr")
            for path in paths:
                response = page.goto(path)
                assert response is not None and response.ok, f"{who} {path}: {response}"
                expect(page.locator("html")).to_have_attribute("lang", "fr")
                story.look(page, who)
            # A logged-in person's choice is kept in their profile: back to English, as the
            # other browser tests expect to find them.
            switch_language(page, "Changer de langue", "English")
            expect(page.locator("html")).to_have_attribute("lang", "en")
        finally:
            page.context.close()
    french = axe.checks[since:]
    assert {check.language for check in french} == {"fr"}
    assert len(french) >= len(visited) - len({p for _w, p in visited if "/confirm/" in p})
    axe.assert_clean(since)
    story.fit.assert_fits(fits)
    assert {check.language for check in story.fit.checks[fits:]} == {"fr"}
    assert not story.problems[problems:], "\n".join(story.problems[problems:])

"""The country picker in a real browser: with JavaScript a learner filters the list by typing
(without accents), ticks countries with the keyboard, removes one by its tag and submits; the
same form, with JavaScript off, is a list of check boxes that posts the same. At 375 px the
picker fits, and axe finds nothing serious on its page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.conftest import PASSWORD, TIMEOUT_MS
from tests.browser.helpers import log_in, submit, watch

pytestmark = pytest.mark.browser

NEW = "/accreditation/applications/new"
AUDITOR = "ASI Accredited Auditor"

#: Where the picker reaches, and whether its list is wider than its box.
PICKER_BOX = """() => {
  const picker = document.querySelector("[data-country-picker]");
  const list = picker.querySelector("[data-picker-list]");
  const box = picker.getBoundingClientRect();
  return {left: box.left, right: box.right, window: window.innerWidth,
          listScrollsSideways: list.scrollWidth > list.clientWidth + 1,
          pageScrollsSideways: document.documentElement.scrollWidth > window.innerWidth};
}"""


@pytest.fixture
def picker_learner(server, request) -> str:
    """A learner of the test's own (one open application each), so the applications made
    here meet no other test's."""
    from educational.accounts import services
    from educational.core.db import db
    from educational.core.permissions import Role

    email = f"{request.node.name.removeprefix('test_')[:40]}@example.org"
    with server.app.app_context():
        services.create_user(email, PASSWORD, "Pia Picker", role=Role.LEARNER, confirmed=True)
        db.session.commit()
    return email


def new_page(server, browser, problems: list[str], *, javascript: bool = True):
    context = browser.new_context(
        base_url=server.url,
        locale="en-GB",
        java_script_enabled=javascript,
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    watch(page, problems)
    return page


def saved_countries(server, email: str) -> list[str]:
    """The countries of the person's latest application."""
    from educational.accounts.models import User
    from educational.accreditation.models import Application
    from educational.core.db import db

    with server.app.app_context():
        return db.session.scalar(
            select(Application.countries)
            .join(User, User.id == Application.user_id)
            .where(User.email == email)
            .order_by(Application.id.desc())
        )


def focused_label(page: Page) -> str:
    return page.evaluate(
        """() => { const el = document.activeElement;
                   return el.labels && el.labels.length ? el.labels[0].innerText.trim()
                        : (el.innerText || el.getAttribute("aria-label") || "").trim(); }"""
    )


def test_filter_tick_by_keyboard_remove_a_tag_and_submit(server, browser, axe, picker_learner):
    problems: list[str] = []
    page = new_page(server, browser, problems)
    log_in(page, picker_learner, PASSWORD)
    page.goto(NEW)
    picker = page.get_by_role("group", name="Countries", exact=True)
    search = picker.get_by_label("Find a country")
    expect(search).to_be_visible()
    expect(picker.get_by_text("None yet: tick the countries in the list.")).to_be_visible()

    # Typing without the accent finds Côte d'Ivoire and hides the rest.
    search.click()
    page.keyboard.type("cote")
    ivory = picker.get_by_label("Côte d'Ivoire")
    expect(ivory).to_be_visible()
    expect(picker.get_by_label("France", exact=True)).to_be_hidden()
    expect(picker.get_by_text(re.compile(r"^1 of \d+ countries shown\.$"))).to_be_visible()

    # Enter in the filter does not submit the form; Tab reaches the box, Space ticks it.
    page.keyboard.press("Enter")
    assert page.url.endswith(NEW)
    page.keyboard.press("Tab")
    assert focused_label(page) == "Côte d'Ivoire"
    page.keyboard.press("Space")
    expect(ivory).to_be_checked()
    expect(picker.get_by_role("button", name="Remove Côte d'Ivoire")).to_be_visible()

    # Two more the same way, then one tag is removed by the keyboard.
    for typed, name in (("norw", "Norway"), ("aland", "Åland Islands")):
        search.fill("")
        search.click()
        page.keyboard.type(typed)
        page.keyboard.press("Tab")
        assert focused_label(page) == name
        page.keyboard.press("Space")
        expect(picker.get_by_label(name, exact=True)).to_be_checked()
    search.fill("")
    tags = picker.get_by_role("list", name="Chosen countries:")
    expect(tags.get_by_role("listitem")).to_have_count(3)

    # The tags are in the list's order; Shift+Tab from the filter goes back through them.
    expect(tags.get_by_role("listitem")).to_have_text(
        [re.compile("^Åland Islands"), re.compile("^Côte d'Ivoire"), re.compile("^Norway")]
    )
    search.focus()
    page.keyboard.press("Shift+Tab")
    expect(picker.get_by_role("button", name="Remove Norway")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(picker.get_by_role("button", name="Remove Côte d'Ivoire")).to_be_focused()
    page.keyboard.press("Enter")
    expect(ivory).not_to_be_checked()
    expect(tags.get_by_role("listitem")).to_have_count(2)
    # The focus stays in the tags, on the one that took the removed one's place.
    expect(picker.get_by_role("button", name="Remove Norway")).to_be_focused()

    # A mouse (or a finger) removes another.
    picker.get_by_role("button", name="Remove Åland Islands").click()
    expect(picker.get_by_label("Åland Islands", exact=True)).not_to_be_checked()
    expect(tags.get_by_role("listitem")).to_have_count(1)

    # Nothing matches: the list goes, the count says so, the chosen stay chosen.
    search.fill("xyzzy")
    expect(page.locator("[data-picker-list]")).to_be_hidden()
    expect(picker.get_by_text(re.compile(r"^0 of \d+ countries shown\.$"))).to_be_visible()
    search.fill("")
    expect(picker.get_by_label("Norway", exact=True)).to_be_checked()

    axe_since = axe.mark()
    axe.check(page, "picker learner")
    axe.assert_clean(axe_since)

    page.get_by_label("Role", exact=True).select_option(label=AUDITOR)
    submit(page, page.get_by_role("button", name="Save as draft"))
    expect(page.get_by_text("Saved as a draft.")).to_be_visible()
    assert saved_countries(server, picker_learner) == ["NO"]
    assert problems == []
    page.context.close()


def test_the_picker_fits_a_phone_and_keeps_a_failing_forms_choices(
    server, browser, axe, picker_learner
):
    problems: list[str] = []
    page = new_page(server, browser, problems)
    log_in(page, picker_learner, PASSWORD)
    # On a phone: the header folds its links into a menu, so the log-in is done wider.
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(NEW)
    picker = page.get_by_role("group", name="Countries", exact=True)
    picker.get_by_label("Norway", exact=True).check()
    picker.get_by_label("Saint Vincent and the Grenadines", exact=True).check()
    fit = page.evaluate(PICKER_BOX)
    assert fit["left"] >= 0 and fit["right"] <= fit["window"], fit
    assert not fit["listScrollsSideways"], fit

    # No role chosen: the page comes back with the countries still ticked, first in the list.
    submit(page, page.get_by_role("button", name="Save as draft"))
    expect(page.get_by_text("Choose the role you apply for.").first).to_be_visible()
    picker = page.get_by_role("group", name="Countries", exact=True)
    expect(picker.get_by_label("Norway", exact=True)).to_be_checked()
    expect(picker.get_by_label("Saint Vincent and the Grenadines", exact=True)).to_be_checked()
    tags = picker.get_by_role("list", name="Chosen countries:")
    expect(tags.get_by_role("listitem")).to_have_count(2)
    first = page.locator("[data-picker-list] input").first
    expect(first).to_have_value("NO")

    axe_since = axe.mark()
    axe.check(page, "picker learner")
    axe.assert_clean(axe_since)
    assert problems == []
    page.context.close()


def test_the_picker_works_without_javascript(server, browser, picker_learner):
    problems: list[str] = []
    page = new_page(server, browser, problems, javascript=False)
    log_in(page, picker_learner, PASSWORD)
    page.goto(NEW)
    picker = page.get_by_role("group", name="Countries", exact=True)
    # No filter and no tags without the script: only the list, which is enough.
    expect(picker.get_by_label("Find a country")).to_be_hidden()
    picker.get_by_label("Egypt", exact=True).check()
    picker.get_by_label("Norway", exact=True).check()
    page.get_by_label("Role", exact=True).select_option(label=AUDITOR)
    submit(page, page.get_by_role("button", name="Save as draft"))
    expect(page.get_by_text("Saved as a draft.")).to_be_visible()
    assert saved_countries(server, picker_learner) == ["EG", "NO"]
    assert problems == []
    page.context.close()

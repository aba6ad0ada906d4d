"""The keyboard alone: a learner logs in, opens a module's quiz, answers every question and
submits it with Tab, Space, the arrow keys, typing and Enter (no mouse click anywhere); and
every control of a page shows where the focus is."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD, TIMEOUT_MS
from tests.browser.helpers import Answer, enrol_in, quiz_title, right_answers, watch

pytestmark = pytest.mark.browser

#: What the focused element is, read from the page (reading is not clicking).
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const fieldset = el.closest("fieldset.question");
  let text = el.tagName === "SELECT" || el.tagName === "INPUT" ? "" : el.innerText.trim();
  return {
    tag: el.tagName.toLowerCase(),
    type: el.type || "",
    name: el.name || "",
    label: el.labels && el.labels.length ? el.labels[0].innerText.trim() : "",
    text: text,
    question: fieldset ? Number(fieldset.dataset.position) : null,
    outline: style.outlineStyle + " " + style.outlineWidth + " " + style.outlineColor,
    outlined: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow,
    inView: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0,
  };
}"""


def focused(page: Page) -> dict | None:
    return page.evaluate(FOCUSED)


def tab_to(page: Page, wanted: Callable[[dict], bool], what: str, limit: int = 120) -> dict:
    """Press Tab until the focused element is ``wanted``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if element and wanted(element):
            return element
    raise AssertionError(f"Tab never reached {what}")


def assert_focus_visible(element: dict) -> None:
    """A visible focus indicator: an outline or a box shadow, on an element in view."""
    shown = f"{element['tag']} {element['text'] or element['label'] or element['name']!r}"
    assert element["outlined"] or element["shadow"] not in ("", "none"), (
        f"no visible focus on {shown}: outline {element['outline']}, shadow {element['shadow']}"
    )
    assert element["inView"], f"the focused {shown} is not in view"


def press(page: Page, key: str) -> None:
    """A key that loads a new page (Enter on a link or a button)."""
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press(key)


def answer_by_keyboard(page: Page, answer: Answer) -> None:
    n = answer.position
    if answer.kind == "radio":
        (part,) = answer.parts
        tab_to(page, lambda e: e["question"] == n and e["type"] == "radio", f"question {n}")
        assert_focus_visible(focused(page))
        labels = page.evaluate(
            """(name) => [...document.querySelectorAll(`input[name="${name}"]`)]
                 .map(el => el.labels[0].innerText.trim())""",
            part.field,
        )
        target = labels.index(part.name)
        if target == 0:
            page.keyboard.press("Space")
        for _ in range(target):
            page.keyboard.press("ArrowDown")
    elif answer.kind == "checkbox":
        for part in answer.parts:
            box = tab_to(
                page,
                lambda e, name=part.name: e["question"] == n and e["label"] == name,
                f"{part.name!r} in question {n}",
            )
            assert_focus_visible(box)
            page.keyboard.press("Space")
    elif answer.kind == "text":
        (part,) = answer.parts
        tab_to(page, lambda e: e["question"] == n and e["type"] == "text", f"question {n}")
        assert_focus_visible(focused(page))
        page.keyboard.type(part.value)
    else:
        for part in answer.parts:
            select = tab_to(
                page,
                lambda e, name=part.name: e["question"] == n and e["label"] == name,
                f"{part.name!r} in question {n}",
            )
            assert_focus_visible(select)
            # A closed select changes its choice with the arrow keys.
            values, current = page.evaluate(
                """() => [[...document.activeElement.options].map(o => o.value),
                          document.activeElement.selectedIndex]"""
            )
            steps = values.index(part.value) - current
            for _ in range(abs(steps)):
                page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")


def test_a_quiz_by_keyboard_alone(server, browser, axe):
    learner = server.users["learner"]
    enrol_in(server.app, learner["id"], "asi-auditor")
    title = quiz_title(server.app, "asi-auditor", "05-harmonisation-scope")
    context = browser.new_context(base_url=server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    watch(page, problems)
    since = axe.mark()
    try:
        page.goto("/login")
        skip = tab_to(page, lambda e: e["tag"] == "a", "the first link")
        assert skip["text"] == "Skip to main content"
        assert_focus_visible(skip)
        email = tab_to(page, lambda e: e["label"] == "E-mail address", "the e-mail field")
        assert_focus_visible(email)
        page.keyboard.type(learner["email"])
        page.keyboard.press("Tab")
        assert focused(page)["label"] == "Password"
        page.keyboard.type(PASSWORD)
        press(page, "Enter")
        expect(page.get_by_role("button", name="Log out")).to_be_visible()

        page.goto("/courses/asi-auditor/modules/05-harmonisation-scope")
        axe.check(page, "keyboard learner")
        link = tab_to(page, lambda e: e["text"] == "Test your knowledge", "Test your knowledge")
        assert_focus_visible(link)
        press(page, "Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        axe.check(page, "keyboard learner")
        start = tab_to(page, lambda e: e["text"] == "Start attempt 1", "Start attempt 1")
        assert_focus_visible(start)
        press(page, "Enter")
        attempt_id = int(re.search(r"/attempts/(\d+)$", page.url).group(1))
        axe.check(page, "keyboard learner")

        answers = right_answers(server.app, attempt_id)
        kinds = {answer.kind for answer in answers}
        assert {"radio", "checkbox", "select"} <= kinds, kinds
        for answer in answers:
            answer_by_keyboard(page, answer)
        finish = tab_to(page, lambda e: e["text"] == "Finish attempt", "Finish attempt")
        assert_focus_visible(finish)
        press(page, "Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Summary of attempt 1")
        axe.check(page, "keyboard learner")
        submit = tab_to(
            page, lambda e: e["text"] == "Submit all and finish", "Submit all and finish"
        )
        assert_focus_visible(submit)
        press(page, "Enter")

        expect(page.get_by_role("heading", level=1)).to_have_text("Review of attempt 1")
        expect(page.locator(".facts").get_by_text("passed", exact=True)).to_be_visible()
        expect(page.get_by_text(re.compile(r"\(100(\.0)?%\)"))).to_be_visible()
        axe.check(page, "keyboard learner")
    finally:
        context.close()
    axe.assert_clean(since)
    assert not problems, "\n".join(problems)


def test_every_control_shows_its_focus(server, browser):
    """Tab through the whole registry search page (links, a search field, selects, buttons):
    each one focused shows an outline or a shadow, and is in view."""
    context = browser.new_context(base_url=server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto("/registry")
        seen = []
        for _ in range(200):
            page.keyboard.press("Tab")
            element = focused(page)
            if element is None or (seen and element == seen[0]):
                break
            assert_focus_visible(element)
            seen.append(element)
        assert len(seen) >= 20, [e["text"] or e["label"] for e in seen]
        kinds = {(e["tag"], e["type"]) for e in seen}
        assert {("a", ""), ("select", "select-one"), ("button", "submit")} <= kinds, kinds
        assert ("input", "search") in kinds, kinds
    finally:
        context.close()

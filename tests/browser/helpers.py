"""What the journeys need from the database (the outbox, the right answers of an attempt,
the records a journey does not make itself) and a few steps a person repeats (log in,
switch the language, submit a form)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qs

from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from educational.accounts.models import User
from educational.catalog.content.questiontypes import QUESTION_TYPES
from educational.catalog.models import Course, Quiz
from educational.catalog.services import course_by_slug, enrol
from educational.core.db import db, today
from educational.core.mail import OutboxMessage
from educational.quizzes.models import Attempt
from tests.builders.accreditation import qualify

CONFIRM_LINK = re.compile(r"https?://\S+/confirm/\S+")


# The database


def confirmation_link(app, email: str) -> str:
    """The link of the latest confirmation e-mail queued for ``email``."""
    with app.app_context():
        body = db.session.scalar(
            select(OutboxMessage.body)
            .where(OutboxMessage.recipient == email, OutboxMessage.kind == "confirm_email")
            .order_by(OutboxMessage.id.desc())
        )
    assert body, f"no confirmation e-mail for {email} in the outbox"
    match = CONFIRM_LINK.search(body)
    assert match, f"no confirmation link in the e-mail:\n{body}"
    return match.group(0)


@dataclass(frozen=True)
class Part:
    """One thing to do on the page: choose the option called ``name`` (``value`` None), or
    type or choose ``value`` in the field called ``name``. ``field`` and ``posted`` are
    what the form then sends (to recognise the autosave of this answer)."""

    name: str
    value: str | None
    field: str
    posted: str


@dataclass(frozen=True)
class Answer:
    """The right answer to one question of an attempt, as a person gives it: ``kind`` is
    radio, checkbox, text or select."""

    position: int
    kind: str
    parts: tuple[Part, ...]


def right_answers(app, attempt_id: int) -> list[Answer]:
    """Every question of the attempt answered right, in the attempt's language."""
    answers = []
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        for slot in attempt.slots:
            question = slot.question
            translation = question.translations.get(attempt.language)
            definition = translation["definition"] if translation else question.definition
            right = QUESTION_TYPES[question.type].correct_answer(definition)
            kind, parts = _page_answer(question.type, definition, right, f"q{slot.position}")
            answers.append(Answer(slot.position, kind, parts))
    return answers


def _page_answer(question_type: str, definition: dict, right, name: str) -> tuple[str, tuple]:
    if question_type in ("single", "multiple"):
        texts = {o["id"]: o["text"] for o in definition["options"]}
        chosen = [right] if question_type == "single" else right
        kind = "radio" if question_type == "single" else "checkbox"
        return kind, tuple(Part(texts[i], None, name, i) for i in chosen)
    if question_type == "true_false":
        text, posted = ("True", "true") if right else ("False", "false")
        return "radio", (Part(text, None, name, posted),)
    if question_type in ("numeric", "short"):
        return "text", (Part("Your answer", str(right), name, str(right)),)
    if question_type == "matching":
        prompts = {p["id"]: p["prompt"] for p in definition["pairs"]}
        return "select", tuple(
            Part(prompts[pid], match, f"{name}.{pid}", match) for pid, match in right.items()
        )
    if question_type == "ordering":
        texts = {item["id"]: item["text"] for item in definition["items"]}
        return "select", tuple(
            Part(texts[i], str(rank), f"{name}.{i}", str(rank))
            for rank, i in enumerate(right, start=1)
        )
    raise AssertionError(f"no page answer for question type {question_type}")


def complete_the_record(app, base_url: str, user_id: int, staff_id: int) -> None:
    """What an auditor brings besides the audit the journey logs: three more verified audits,
    a verified lead-auditor qualification and the Performance Standard course certificate."""
    ends = [today() - timedelta(days=120 * (n + 1)) for n in range(3)]
    qualify(app, user_id, staff_id, audit_ends=ends, courses=("ps-v3-auditors",), base_url=base_url)


def enrol_in(app, user_id: int, slug: str) -> None:
    with app.test_request_context():
        enrol(db.session.get(User, user_id), course_by_slug(slug))
        db.session.commit()


def quiz_title(app, slug: str, name: str) -> str:
    with app.app_context():
        return db.session.scalar(
            select(Quiz.title).join(Course).where(Course.slug == slug, Quiz.name == name)
        )


# The page


def watch(page: Page, problems: list[str]) -> None:
    """Note in ``problems`` every server error (5xx) and Content-Security-Policy violation
    the page meets."""

    def response(response) -> None:
        if response.status >= 500:
            problems.append(f"{response.status} from {response.url}")

    def console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(f"CSP on {page.url}: {message.text}")

    page.on("response", response)
    page.on("console", console)


def submit(page: Page, control: Locator) -> None:
    """Press a button (or follow a link) that loads a new page, and wait for it."""
    with page.expect_navigation(wait_until="load"):
        control.click()


def log_in(page: Page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    submit(page, page.get_by_role("button", name="Log in"))
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def switch_language(page: Page, label: str, language_name: str) -> None:
    """Choose ``language_name`` with the switch in the page header (``label``: the switch's
    button in the page's current language)."""
    header = page.get_by_role("banner")
    header.get_by_role("combobox", name=re.compile("language|langue", re.I)).select_option(
        label=language_name
    )
    submit(page, header.get_by_role("button", name=label))


def question(page: Page, position: int) -> Locator:
    """The fieldset of a question, by its legend."""
    return page.get_by_role("group", name=re.compile(rf"^Question {position}\b"))


def _autosaved(position: int, parts: list[Part]):
    """Recognises the autosave response that holds every part in ``parts``."""

    def matches(response) -> bool:
        request = response.request
        if request.method != "POST" or not request.url.endswith("/answer"):
            return False
        posted = parse_qs(request.post_data or "")
        return posted.get("position") == [str(position)] and all(
            part.posted in posted.get(part.field, []) for part in parts
        )

    return matches


def give(page: Page, answer: Answer) -> None:
    """Answer one question, as a person would, and wait until the page's script has saved
    each part of it."""
    group = question(page, answer.position)
    for n, part in enumerate(answer.parts, start=1):
        with page.expect_response(_autosaved(answer.position, list(answer.parts[:n]))) as saved:
            if answer.kind in ("radio", "checkbox"):
                group.get_by_role(answer.kind, name=part.name, exact=True).check()
            elif answer.kind == "text":
                group.get_by_label(part.name, exact=True).fill(part.value)
            else:
                group.get_by_label(part.name, exact=True).select_option(part.value)
        assert saved.value.ok, f"autosave of question {answer.position}: {saved.value.status}"
    expect(group.get_by_text("Saved", exact=True)).to_be_visible()


def expect_given(page: Page, answer: Answer) -> None:
    """The page shows ``answer`` as given (after a reload, say)."""
    group = question(page, answer.position)
    for part in answer.parts:
        if answer.kind in ("radio", "checkbox"):
            expect(group.get_by_role(answer.kind, name=part.name, exact=True)).to_be_checked()
        else:
            expect(group.get_by_label(part.name, exact=True)).to_have_value(part.value)

"""Helpers for quiz tests: the form fields a learner would post, and the questions a page
shows."""

from html.parser import HTMLParser

from sqlalchemy import select

from educational.catalog.content.questiontypes import QUESTION_TYPES
from educational.catalog.models import Course, Quiz
from educational.core.db import db
from educational.quizzes.models import Attempt

#: The course whose final exam the quiz and completion tests take.
COURSE = "asi-auditor"
EXAM = f"/courses/{COURSE}/quizzes/final-exam"


def form_fields(question_type: str, name: str, answer) -> dict[str, object]:
    """Form fields that post ``answer`` (in the grading shape) for slot field ``name``."""
    if answer is None:
        return {}
    if question_type == "true_false":
        return {name: "true" if answer else "false"}
    if question_type == "matching":
        return {f"{name}.{pair}": match for pair, match in answer.items()}
    if question_type == "ordering":
        return {f"{name}.{item}": str(rank) for rank, item in enumerate(answer, start=1)}
    return {name: answer if question_type == "multiple" else str(answer)}


def correct_form(app, attempt_id: int, wrong: set[int] = frozenset()) -> dict[str, object]:
    """Fields answering every question of the attempt right, except positions in ``wrong``
    (left unanswered)."""
    data: dict[str, object] = {}
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        for slot in attempt.slots:
            if slot.position in wrong:
                continue
            qtype = QUESTION_TYPES[slot.question.type]
            answer = qtype.correct_answer(slot.question.definition)
            data.update(form_fields(slot.question.type, f"q{slot.position}", answer))
    return data


def quiz_id(app, slug: str, name: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(Quiz.id).join(Course).where(Course.slug == slug, Quiz.name == name)
        )


def set_quiz_settings(app, qid: int, **settings) -> None:
    with app.app_context():
        quiz = db.session.get(Quiz, qid)
        quiz.settings = {**quiz.settings, **settings}
        db.session.commit()


def latest_attempt(app, user_id: int) -> Attempt:
    with app.app_context():
        attempt = db.session.scalar(
            select(Attempt).where(Attempt.user_id == user_id).order_by(Attempt.id.desc())
        )
        db.session.expunge(attempt)
        return attempt


class _Questions(HTMLParser):
    """Reads the question fieldsets of an attempt or review page."""

    FIELDS = ("input", "select", "textarea", "option")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.questions: list[dict] = []
        self._depth = 0  # fieldsets open inside the current question

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "fieldset" and "question" in (attrs.get("class") or "").split():
            self.questions.append({"id": attrs.get("id"), "text": [], "fields": []})
            self._depth = 1
        elif self._depth:
            if tag == "fieldset":
                self._depth += 1
            if tag in self.FIELDS:
                state = next((k for k in ("checked", "selected", "disabled") if k in attrs), "")
                field = (tag, attrs.get("name"), attrs.get("value"), attrs.get("type"), state)
                self.questions[-1]["fields"].append(field)

    def handle_endtag(self, tag):
        if self._depth and tag == "fieldset":
            self._depth -= 1

    def handle_data(self, data):
        if self._depth and data.strip():
            self.questions[-1]["text"].append(" ".join(data.split()))


def questions_shown(page: str) -> list[tuple]:
    """What a page shows of each question, in order: its id, its text (options included, in
    their order), and its fields (name, value, type, checked or selected), in order. Nothing
    that changes between two requests for the same state (the CSRF token, the clock)."""
    parser = _Questions()
    parser.feed(page)
    parser.close()
    return [(q["id"], tuple(q["text"]), tuple(q["fields"])) for q in parser.questions]

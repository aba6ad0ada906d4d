"""Helpers for quiz tests: the form fields a learner would post, the questions a page
shows, and the rows of a quiz with attempts made directly in the database (report tests)."""

from html.parser import HTMLParser

from sqlalchemy import select

from educational.catalog.content.questiontypes import QUESTION_TYPES
from educational.catalog.models import Course, Question, Quiz
from educational.core.db import db
from educational.quizzes.models import Attempt, AttemptSlot

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


# Rows made directly in the database, for the report tests (no content folder, no sync)


def add_course_row(slug: str, title: str, languages: tuple[str, ...] = ("en",)) -> Course:
    """A course in English (and ``languages``), flushed for its id."""
    course = Course(
        slug=slug,
        title=title,
        version="2026.1",
        language="en",
        languages=list(languages),
        required_for=[],
        translations={},
        content_hash="c",
    )
    db.session.add(course)
    db.session.flush()
    return course


def add_quiz_row(course: Course, name: str, title: str, settings: dict, pools: list) -> Quiz:
    """A quiz of ``course``, added to the session (flushed with its questions)."""
    quiz = Quiz(
        course_id=course.id,
        name=name,
        title=title,
        title_translations={},
        settings=settings,
        pools=pools,
        content_hash="q",
    )
    db.session.add(quiz)
    return quiz


def add_attempt_row(
    quiz: Quiz,
    user_id: int,
    *,
    number: int = 1,
    language: str = "en",
    submitted_at=None,
    max_score: float,
    score: float | None = None,
    passed: bool | None = None,
) -> Attempt:
    """An attempt submitted at ``submitted_at`` with ``score`` points (None: in progress),
    its percent worked out; flushed for its id. Its slots: ``add_slot_row``."""
    attempt = Attempt(
        user_id=user_id,
        quiz_id=quiz.id,
        number=number,
        state="submitted" if submitted_at is not None else "in_progress",
        language=language,
        submitted_at=submitted_at,
        max_score=max_score,
        score=score,
        percent=100 * score / max_score if score is not None else None,
        passed=passed,
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt


def add_slot_row(attempt: Attempt, position: int, question: Question, answer, score) -> None:
    """The attempt's ``question`` at ``position`` with ``answer`` and ``score`` points
    (None: not graded yet)."""
    db.session.add(
        AttemptSlot(
            attempt_id=attempt.id,
            position=position,
            question_id=question.id,
            layout={},
            answer=answer,
            fraction=score / question.points if score is not None else None,
            score=float(score) if score is not None else None,
        )
    )


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

"""What the attempt and review pages show, built from the stored layout and the question
types' public views. Nothing secret goes into an unsubmitted attempt's view: it is made
from ``public_view`` alone, never from the definition."""

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from educational.catalog.content.questiontypes import QUESTION_TYPES
from educational.catalog.rendering import render_markdown

from .models import Attempt, AttemptSlot
from .results import SlotGrade


@lru_cache(maxsize=4096)
def question_html(text: str) -> str:
    return render_markdown(text)


@dataclass
class QuestionView:
    position: int
    name: str
    type: str
    #: The template with the type's inputs.
    template: str
    points: float
    text_html: str
    #: Parts in the attempt's order: options, prompts, choices, items (public data only).
    parts: dict[str, Any]
    answer: Any
    #: Review only.
    fraction: float | None = None
    score: float | None = None
    feedback: list[str] = field(default_factory=list)
    general_feedback: str = ""
    correct: Any = None


def _texts(slot: AttemptSlot, language: str) -> tuple[str, dict, str]:
    question = slot.question
    translation = question.translations.get(language)
    if translation:
        return translation["text"], translation["definition"], translation.get("feedback", "")
    return question.text, question.definition, question.feedback


def _ordered(items: list[dict], order: list[str], key: str = "id") -> list[dict]:
    by_id = {item[key]: item for item in items}
    return [by_id[i] for i in order if i in by_id]


def _parts(slot: AttemptSlot, definition: dict) -> dict[str, Any]:
    public = QUESTION_TYPES[slot.question.type].public_view(definition)
    layout = slot.layout
    if "options" in public:
        public["options"] = _ordered(public["options"], layout.get("options", []))
    if "prompts" in public:
        public["prompts"] = _ordered(public["prompts"], layout.get("prompts", []))
        public["choices"] = [c for c in layout.get("choices", []) if c in set(public["choices"])]
    if "items" in public:
        public["items"] = _ordered(public["items"], layout.get("items", []))
    return public


def _view(slot: AttemptSlot, language: str) -> tuple[QuestionView, dict, str]:
    text, definition, feedback = _texts(slot, language)
    view = QuestionView(
        position=slot.position,
        name=f"q{slot.position}",
        type=slot.question.type,
        template=QUESTION_TYPES[slot.question.type].template,
        points=slot.question.points,
        text_html=question_html(text),
        parts=_parts(slot, definition),
        answer=slot.answer,
    )
    return view, definition, feedback


def attempt_view(attempt: Attempt) -> list[QuestionView]:
    return [_view(slot, attempt.language)[0] for slot in attempt.slots]


def review_view(
    attempt: Attempt, grades: dict[int, SlotGrade], *, full: bool = False
) -> list[QuestionView]:
    """The finished attempt with its grades (by slot position: ``Result.slots``), feedback
    and the correct answers; the template shows what the quiz's review settings allow
    (``full`` for staff)."""
    views = []
    for slot in attempt.slots:
        view, definition, feedback = _view(slot, attempt.language)
        grade = grades.get(slot.position, SlotGrade(None, None))
        view.fraction, view.score = grade.fraction, grade.score
        view.feedback = grade.feedback or []
        view.general_feedback = feedback
        question_type = QUESTION_TYPES[slot.question.type]
        view.correct = question_type.describe(definition, question_type.correct_answer(definition))
        views.append(view)
    return views

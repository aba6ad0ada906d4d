"""What every question type shares: the base class, the grade, and the helpers that read
YAML and compare numbers."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from educational.catalog.content.fields import Fields, check_unique, peek_text
from educational.catalog.content.yamlsource import Node, quote

MAX_ANSWER_LENGTH = 300

TEXT_KEYS = frozenset(
    {
        "text",
        "feedback",
        "feedback_true",
        "feedback_false",
        "prompt",
        "match",
        "pattern",
        "distractors",
    }
)

#: Reads the posted values of a form field by name (``request.form.getlist``).
GetList = Callable[[str], list[str]]


def shuffled(ids: list, shuffle: bool, rng: random.Random) -> list:
    if not shuffle:
        return list(ids)
    ids = list(ids)
    rng.shuffle(ids)
    return ids


@dataclass(frozen=True)
class Grade:
    #: 0 to 1: the share of the question's points earned.
    fraction: float
    #: The feedback of the chosen options or the matching answer, in definition order.
    feedback: list[str] = field(default_factory=list)


class QuestionType:
    #: The template with the question's inputs, under templates/quizzes/types/.
    template: ClassVar[str]
    name: ClassVar[str]
    #: The keys a question of this type may have besides id, type, points, text, feedback.
    keys: ClassVar[frozenset[str]]
    required: ClassVar[tuple[str, ...]]

    @classmethod
    def validate(cls, question: Fields, label: str) -> dict[str, Any]:
        """Read the type's keys of ``question``; report problems; return the definition."""
        raise NotImplementedError

    @classmethod
    def grade(cls, definition: Mapping[str, Any], answer: object) -> Grade:
        raise NotImplementedError

    @classmethod
    def public_view(cls, definition: Mapping[str, Any]) -> dict[str, Any]:
        """What a learner may see before review: no correctness, weights or answers."""
        raise NotImplementedError

    @classmethod
    def correct_answer(cls, definition: Mapping[str, Any]) -> Any:
        """A fully correct answer, in the shape ``grade`` takes."""
        raise NotImplementedError

    @classmethod
    def skeleton(cls, definition: Mapping[str, Any]) -> Any:
        """The definition without its texts: what a translation must repeat exactly."""
        return _without_text(definition)

    @classmethod
    def layout(cls, definition: Mapping[str, Any], shuffle: bool, rng: random.Random) -> dict:
        """The order an attempt shows the question's parts in, decided once at its start."""
        return {}

    @classmethod
    def parse_form(cls, layout: Mapping[str, list], name: str, values: GetList) -> Any:
        """The answer posted in form field ``name`` (and ``name.<part>`` fields), in the
        shape ``grade`` takes; None when nothing was given."""
        given = [value for value in values(name) if value.strip()]
        return given[0][:MAX_ANSWER_LENGTH] if given else None

    @classmethod
    def describe(cls, definition: Mapping[str, Any], answer: Any) -> str:
        """An answer as text, for review pages and reports."""
        return "" if answer is None else str(answer)

    @classmethod
    def guess_score(cls, definition: Mapping[str, Any]) -> float | None:
        """The mean fraction a uniformly random answer earns (Moodle's "random guess
        score"); None where guessing has no one meaning."""
        return None


def _item_fields(
    question: Fields,
    node: Node,
    noun: str,
    index: int,
    label: str,
    allowed: set[str] | tuple[str, ...],
    required: tuple[str, ...],
) -> Fields:
    name = peek_text(node, "id")
    what = f"{noun} {quote(name)} of {label}" if name else f"{noun} {index} of {label}"
    return Fields(node, question.report, what, allowed=allowed, required=required)


def _read_items(
    question: Fields, key: str, noun: str, label: str, keys: tuple[str, ...]
) -> list[dict[str, Any]]:
    found = []
    for index, node in enumerate(question.items(key, min_items=2), start=1):
        item = _item_fields(question, node, noun, index, label, keys, keys)
        values = {name: item.ident(name) if name == "id" else item.text(name) for name in keys}
        found.append((values, item.line_of("id")))
    ids = [(values["id"], line) for values, line in found if values["id"]]
    check_unique(ids, question.report, f"{noun} id", f"{noun} ids must be unique within {label}")
    return [values for values, _line in found]


def _decimal(number: Any) -> Decimal:
    """A stored int or float as the Decimal the author wrote (floats via their shortest repr)."""
    if isinstance(number, float):
        return Decimal(repr(number))
    return Decimal(number)


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def _feedback(chosen: list[Mapping[str, Any]]) -> list[str]:
    return [item["feedback"] for item in chosen if item.get("feedback")]


def _without_text(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _without_text(v) for k, v in value.items() if k not in TEXT_KEYS}
    if isinstance(value, list | tuple):
        return [_without_text(item) for item in value]
    return value

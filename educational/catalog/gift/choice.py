"""Multiple-choice GIFT questions: our single and multiple types."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from educational.catalog.gift.markup import render_text, split_format
from educational.catalog.gift.parts import (
    Fields,
    Unconvertible,
    check_weight,
    render_feedback,
    split_answers,
    take_feedback,
    take_weight,
    yaml_number,
)


@dataclass(frozen=True)
class _Choice:
    marker: str  # "=" or "~"
    weight: Decimal
    text: str
    feedback: str | None


def choice_question(answers: str, text_format: str, label: str) -> tuple[str, Fields]:
    """{=right ~wrong}: single; {~%50%a ~%50%b ~c} (no "="): multiple, weighted."""
    lead, items = split_answers(answers, "~=")
    if lead.strip():
        raise Unconvertible(
            f"multiple-choice question {label} has text before its first answer: "
            "start every answer with = (right) or ~ (wrong)"
        )
    choices = []
    for marker, body in items:
        weight, rest = take_weight(body, Decimal(100 if marker == "=" else 0))
        check_weight(weight, -100, label)
        answer, feedback = take_feedback(rest)
        answer_format, answer = split_format(answer, text_format)
        option_text = render_text(answer, answer_format)
        if not option_text:
            raise Unconvertible(f"multiple-choice question {label} has an answer with no text")
        choices.append(_Choice(marker, weight, option_text, render_feedback(feedback, text_format)))
    if len(choices) < 2:
        raise Unconvertible(f"multiple-choice question {label} needs at least two answers")
    # Moodle's rule: an "=" answer makes the question single-choice.
    if any(choice.marker == "=" for choice in choices):
        return "single", {"options": _single_options(choices, label)}
    return "multiple", {"options": _multiple_options(choices, label)}


def _single_options(choices: list[_Choice], label: str) -> list[Fields]:
    right = [choice for choice in choices if choice.weight == 100]
    if len(right) != 1:
        raise Unconvertible(
            f"single-choice question {label} has {len(right)} answers worth 100%; "
            "it needs exactly one: keep one = answer"
        )
    if any(0 < choice.weight < 100 for choice in choices):
        raise Unconvertible(
            f"single-choice question {label} gives partial credit (~%n%) next to its = answer, "
            "which our all-or-nothing single-choice questions cannot: remove the ~%n% weights"
        )
    # Negative weights only deepen a wrong answer's penalty in Moodle; here a wrong answer
    # already scores nothing, so they are dropped.
    return [
        _option(index, choice, correct=choice is right[0]) for index, choice in enumerate(choices)
    ]


def _multiple_options(choices: list[_Choice], label: str) -> list[Fields]:
    if not any(choice.weight > 0 for choice in choices):
        raise Unconvertible(
            f"multiple-choice question {label} has no right answer: mark it with =, "
            "or give the right answers a positive ~%n% weight"
        )
    return [
        _option(index, choice, correct=choice.weight > 0, weight=yaml_number(choice.weight, label))
        for index, choice in enumerate(choices)
    ]


def _option(
    index: int, choice: _Choice, *, correct: bool, weight: int | float | None = None
) -> Fields:
    option: Fields = {"id": option_id(index), "text": choice.text}
    if correct:
        option["correct"] = True
    if weight is not None:
        option["weight"] = weight
    if choice.feedback:
        option["feedback"] = choice.feedback
    return option


def option_id(index: int) -> str:
    """a, b, ... z, aa, ab, ... for the option at this 0-based index."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters

"""Typed answers: numbers within a tolerance, and short texts or patterns."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from decimal import Context, Decimal, localcontext
from typing import Any

from educational.catalog.content.fields import Fields

from .base import MAX_ANSWER_LENGTH, Grade, QuestionType, _clamp, _decimal, _feedback

_NESTED_REPEAT = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]")

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]{1,4})?")


class _TypedAnswer(QuestionType):
    """A typed answer: nothing to show before review, and a random guess earns nothing."""

    template = "quizzes/types/text.html"

    @classmethod
    def public_view(cls, definition: Mapping[str, Any]) -> dict[str, Any]:
        return {}

    @classmethod
    def guess_score(cls, definition: Mapping[str, Any]) -> float | None:
        return 0.0


class Numeric(_TypedAnswer):
    name = "numeric"
    keys = frozenset({"answers"})
    required = ("answers",)

    @classmethod
    def validate(cls, question: Fields, label: str) -> dict[str, Any]:
        answers = []
        for index, node in enumerate(question.items("answers", min_items=1), start=1):
            item = Fields(
                node,
                question.report,
                f"answer {index} of {label}",
                allowed={"value", "tolerance", "weight", "feedback"},
                required=("value",),
            )
            answers.append(
                {
                    "value": item.number("value"),
                    "tolerance": item.number("tolerance", 0, minimum=0),
                    "weight": item.number("weight", 100, minimum=0, maximum=100),
                    "feedback": item.text("feedback"),
                }
            )
        _check_full_marks(answers, question, label)
        return {"answers": answers}

    @classmethod
    def grade(cls, definition: Mapping[str, Any], answer: object) -> Grade:
        given = parse_number(answer)
        if given is None:
            return Grade(0.0)
        # Exponents are capped at four digits, so sixty digits of precision and the default
        # exponent range hold every difference without overflow.
        with localcontext(Context(prec=60)):
            matching = [
                candidate
                for candidate in definition["answers"]
                if abs(given - _decimal(candidate["value"])) <= _decimal(candidate["tolerance"])
            ]
        return _best_grade(matching)

    @classmethod
    def correct_answer(cls, definition: Mapping[str, Any]) -> Any:
        best = max(definition["answers"], key=lambda candidate: candidate["weight"])
        return str(_decimal(best["value"]))


class ShortAnswer(_TypedAnswer):
    name = "short"
    keys = frozenset({"answers", "case_sensitive"})
    required = ("answers",)

    @classmethod
    def validate(cls, question: Fields, label: str) -> dict[str, Any]:
        case_sensitive = question.boolean("case_sensitive")
        answers = []
        for index, node in enumerate(question.items("answers", min_items=1), start=1):
            what = f"answer {index} of {label}"
            item = Fields(
                node,
                question.report,
                what,
                allowed={"text", "pattern", "weight", "feedback"},
            )
            answer: dict[str, Any] = {
                "text": item.text("text") if item.has("text") else None,
                "pattern": item.text("pattern") if item.has("pattern") else None,
                "weight": item.number("weight", 100, minimum=0, maximum=100),
                "feedback": item.text("feedback"),
            }
            if item.has("text") and item.has("pattern"):
                item.report.add(item.line, f'{what} has both "text" and "pattern"; keep one')
            elif not item.has("text") and not item.has("pattern"):
                item.report.add(item.line, f'{what} needs either "text" or "pattern"')
            if answer["pattern"]:
                _check_pattern(answer["pattern"], case_sensitive, item, what)
            answers.append(answer)
        _check_full_marks(answers, question, label)
        return {"case_sensitive": case_sensitive, "answers": answers}

    @classmethod
    def grade(cls, definition: Mapping[str, Any], answer: object) -> Grade:
        if not isinstance(answer, str) or len(answer) > MAX_ANSWER_LENGTH:
            return Grade(0.0)
        given = answer.strip()
        case_sensitive = definition["case_sensitive"]
        return _best_grade(
            candidate
            for candidate in definition["answers"]
            if _short_matches(candidate, given, case_sensitive)
        )

    @classmethod
    def correct_answer(cls, definition: Mapping[str, Any]) -> Any:
        full = [a for a in definition["answers"] if a["weight"] == 100]
        texts = [a["text"] for a in full if a["text"]]
        return texts[0] if texts else (full[0]["pattern"] if full else None)


def parse_number(answer: object) -> Decimal | None:
    """A learner's number: "3.5", " 3,5 " (decimal comma), "-2", "1e3"; None if not one."""
    if isinstance(answer, bool):
        return None
    if isinstance(answer, int):
        return Decimal(answer) if abs(answer) < 10**50 else None
    if isinstance(answer, float):
        return Decimal(repr(answer)) if math.isfinite(answer) else None
    if not isinstance(answer, str) or len(answer) > MAX_ANSWER_LENGTH:
        return None
    text = answer.strip()
    if _NUMBER.fullmatch(text) is None:
        return None
    return Decimal(text.replace(",", "."))


def _best_grade(matching: Iterable[Mapping[str, Any]]) -> Grade:
    """The grade of the matching answer with the highest weight (the first of equals);
    0 when none matches."""
    best = max(matching, key=lambda candidate: candidate["weight"], default=None)
    if best is None:
        return Grade(0.0)
    return Grade(_clamp(float(_decimal(best["weight"]) / 100)), _feedback([best]))


def _check_full_marks(answers: list[dict[str, Any]], question: Fields, label: str) -> None:
    if answers and not any(answer["weight"] == 100 for answer in answers):
        question.report.add(
            question.line_of("answers"),
            f"{label} needs an answer with weight 100 (a fully correct answer); "
            f"the highest weight is {max(answer['weight'] for answer in answers)}",
        )


def _check_pattern(pattern: str, case_sensitive: bool, item: Fields, what: str) -> None:
    line = item.line_of("pattern")
    try:
        re.compile(pattern, 0 if case_sensitive else re.IGNORECASE)
    except re.error as error:
        item.report.add(
            line, f"the pattern of {what} is not a valid regular expression: {error.msg}"
        )
        return
    if _NESTED_REPEAT.search(pattern):
        item.report.add(
            line,
            f"the pattern of {what} repeats a group that itself repeats, like (a+)+; "
            "such patterns can take very long to match, so simplify it",
        )


def _short_matches(candidate: Mapping[str, Any], given: str, case_sensitive: bool) -> bool:
    if candidate["text"] is not None:
        if case_sensitive:
            return given == candidate["text"]
        return given.casefold() == candidate["text"].casefold()
    if not isinstance(candidate["pattern"], str):
        return False
    try:
        flags = 0 if case_sensitive else re.IGNORECASE
        return re.fullmatch(candidate["pattern"], given, flags) is not None
    except re.error:
        # Validation refuses such patterns; a stored one from elsewhere just matches nothing.
        return False

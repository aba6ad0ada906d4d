"""Choosing among options: single choice, multiple choice, true/false."""

from __future__ import annotations

import random
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from educational.catalog.content.fields import Fields, check_unique

from .base import (
    GetList,
    Grade,
    QuestionType,
    _clamp,
    _decimal,
    _feedback,
    _item_fields,
    shuffled,
)


class SingleChoice(QuestionType):
    name = "single"
    template = "quizzes/types/single.html"
    keys = frozenset({"options"})
    required = ("options",)

    @classmethod
    def validate(cls, question: Fields, label: str) -> dict[str, Any]:
        options = _read_options(question, label, weights=False)
        correct = sum(1 for option in options if option["correct"])
        if options and correct != 1:
            question.report.add(
                question.line_of("options"),
                f"{label} of type single needs exactly one correct option; it has {correct}",
            )
        return {"options": options}

    @classmethod
    def grade(cls, definition: Mapping[str, Any], answer: object) -> Grade:
        for option in definition["options"]:
            if isinstance(answer, str) and option["id"] == answer:
                return Grade(1.0 if option["correct"] else 0.0, _feedback([option]))
        return Grade(0.0)

    @classmethod
    def public_view(cls, definition: Mapping[str, Any]) -> dict[str, Any]:
        return {"options": [{"id": o["id"], "text": o["text"]} for o in definition["options"]]}

    @classmethod
    def correct_answer(cls, definition: Mapping[str, Any]) -> Any:
        return next((o["id"] for o in definition["options"] if o["correct"]), None)

    @classmethod
    def layout(cls, definition: Mapping[str, Any], shuffle: bool, rng: random.Random) -> dict:
        return {"options": shuffled([o["id"] for o in definition["options"]], shuffle, rng)}

    @classmethod
    def parse_form(cls, layout: Mapping[str, list], name: str, values: GetList) -> Any:
        given = [value for value in values(name) if value in layout.get("options", [])]
        return given[0] if given else None

    @classmethod
    def describe(cls, definition: Mapping[str, Any], answer: Any) -> str:
        chosen = [answer] if isinstance(answer, str) else list(answer or [])
        texts = {option["id"]: option["text"] for option in definition["options"]}
        return "; ".join(texts[i] for i in chosen if i in texts)

    @classmethod
    def guess_score(cls, definition: Mapping[str, Any]) -> float | None:
        options = definition.get("options") or []
        return sum(1 for o in options if o.get("correct")) / len(options) if options else None


class MultipleChoice(QuestionType):
    name = "multiple"
    template = "quizzes/types/multiple.html"
    keys = frozenset({"options"})
    required = ("options",)

    @classmethod
    def validate(cls, question: Fields, label: str) -> dict[str, Any]:
        report = question.report
        options = _read_options(question, label, weights=True)
        if options and not any(option["correct"] for option in options):
            report.add(
                question.line_of("options"),
                f"{label} of type multiple needs at least one correct option; it has none",
            )
        weighted = [option for option in options if option["weight"] is not None]
        if weighted and len(weighted) < len(options):
            first = next(option for option in options if option["weight"] is None)
            report.add(
                first["_line"],
                f'option "{first["id"]}" of {label} has no weight; '
                "give every option a weight, or none",
            )
        elif weighted:
            _check_weights(options, report, label, question.line_of("options"))
        for option in options:
            del option["_line"]
        return {"options": options, "weighted": bool(weighted)}

    @classmethod
    def grade(cls, definition: Mapping[str, Any], answer: object) -> Grade:
        options = definition["options"]
        chosen = _chosen_ids(answer, {option["id"] for option in options})
        if chosen is None:
            return Grade(0.0)
        picked = [option for option in options if option["id"] in chosen]
        if definition["weighted"]:
            total = sum((_decimal(option["weight"]) for option in picked), Decimal(0)) / 100
            return Grade(_clamp(float(total)), _feedback(picked))
        right = sum(1 for option in options if option["correct"])
        wrong = len(options) - right
        if not right:
            return Grade(0.0)
        score = Fraction(sum(1 for o in picked if o["correct"]), right)
        if wrong:
            score -= Fraction(sum(1 for o in picked if not o["correct"]), wrong)
        return Grade(_clamp(float(score)), _feedback(picked))

    @classmethod
    def public_view(cls, definition: Mapping[str, Any]) -> dict[str, Any]:
        return SingleChoice.public_view(definition)

    @classmethod
    def correct_answer(cls, definition: Mapping[str, Any]) -> Any:
        return [option["id"] for option in definition["options"] if option["correct"]]

    @classmethod
    def layout(cls, definition: Mapping[str, Any], shuffle: bool, rng: random.Random) -> dict:
        return SingleChoice.layout(definition, shuffle, rng)

    @classmethod
    def parse_form(cls, layout: Mapping[str, list], name: str, values: GetList) -> Any:
        options = layout.get("options", [])
        chosen = [value for value in dict.fromkeys(values(name)) if value in options]
        return chosen or None

    @classmethod
    def describe(cls, definition: Mapping[str, Any], answer: Any) -> str:
        return SingleChoice.describe(definition, answer)


class TrueFalse(QuestionType):
    name = "true_false"
    template = "quizzes/types/true_false.html"
    keys = frozenset({"answer", "feedback_true", "feedback_false"})
    required = ("answer",)

    @classmethod
    def validate(cls, question: Fields, label: str) -> dict[str, Any]:
        return {
            "answer": question.boolean("answer"),
            "feedback_true": question.text("feedback_true"),
            "feedback_false": question.text("feedback_false"),
        }

    @classmethod
    def grade(cls, definition: Mapping[str, Any], answer: object) -> Grade:
        if not isinstance(answer, bool):
            return Grade(0.0)
        feedback = definition["feedback_true" if answer else "feedback_false"]
        return Grade(1.0 if answer == definition["answer"] else 0.0, [feedback] if feedback else [])

    @classmethod
    def public_view(cls, definition: Mapping[str, Any]) -> dict[str, Any]:
        return {}

    @classmethod
    def correct_answer(cls, definition: Mapping[str, Any]) -> Any:
        return definition["answer"]

    @classmethod
    def parse_form(cls, layout: Mapping[str, list], name: str, values: GetList) -> Any:
        given = values(name)
        return {"true": True, "false": False}.get(given[0]) if given else None

    @classmethod
    def describe(cls, definition: Mapping[str, Any], answer: Any) -> str:
        return {True: "true", False: "false"}.get(answer, "")

    @classmethod
    def guess_score(cls, definition: Mapping[str, Any]) -> float | None:
        return 0.5


def _read_options(question: Fields, label: str, *, weights: bool) -> list[dict[str, Any]]:
    allowed = {"id", "text", "correct", "feedback"} | ({"weight"} if weights else set())
    options = []
    for index, node in enumerate(question.items("options", min_items=2), start=1):
        item = _item_fields(question, node, "option", index, label, allowed, ("id", "text"))
        option: dict[str, Any] = {
            "id": item.ident("id"),
            "text": item.text("text"),
            "correct": item.boolean("correct"),
            "feedback": item.text("feedback"),
        }
        if weights:
            option["weight"] = (
                item.number("weight", minimum=-100, maximum=100) if item.has("weight") else None
            )
            option["_line"] = item.line
        options.append((option, item.line_of("id")))
    ids = [(option["id"], line) for option, line in options if option["id"]]
    check_unique(ids, question.report, "option id", f"option ids must be unique within {label}")
    return [option for option, _line in options]


def _check_weights(options: list[dict[str, Any]], report: Any, label: str, line: int) -> None:
    for option in options:
        weight, name = option["weight"], f'option "{option["id"]}" of {label}'
        if option["correct"] and weight <= 0:
            report.add(
                option["_line"],
                f"{name} is correct but has the weight {weight}; give it a positive weight",
            )
        elif not option["correct"] and weight > 0:
            report.add(
                option["_line"],
                f"{name} is not correct but has the weight {weight}; "
                "give it a weight of 0 or less, or mark it correct",
            )
    positive = sum((_decimal(o["weight"]) for o in options if o["weight"] > 0), Decimal(0))
    if positive != 100:
        report.add(
            line,
            f"the positive weights of {label} add up to {positive}; they must add up to 100 "
            "so that a complete answer scores 100 %",
        )


def _chosen_ids(answer: object, known: set[str]) -> set[str] | None:
    """The chosen option ids, or None when the answer is malformed."""
    if not isinstance(answer, list | tuple | set | frozenset):
        return None
    items = list(answer)
    if not all(isinstance(item, str) and item in known for item in items):
        return None
    chosen = set(items)
    return chosen if len(chosen) == len(items) else None

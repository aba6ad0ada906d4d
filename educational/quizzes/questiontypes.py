"""The question types: one class per type, each able to validate, show and grade itself.

``QUESTION_TYPES["single"]`` and friends work on a question's ``definition``: the normalised
dict that ``validate`` builds from the YAML (see courses/README.md for the fields). Every
method is a classmethod; the classes hold no state. Adding a question type is adding a class
here and an entry in ``QUESTION_TYPES``.

Grading never raises on what a learner sends: an answer of the wrong shape (None, a wrong
type, unknown or repeated ids, NaN, a huge string) scores 0. Stored numbers are ints or
floats; they are compared as Decimals made from their shortest repr, so a tolerance of 0.1
around 3.5 accepts "3.6" exactly, as the author meant.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Context, Decimal, localcontext
from fractions import Fraction
from typing import Any, ClassVar

from educational.catalog.content.fields import Fields, check_unique, node_text, peek_text
from educational.catalog.content.yamlsource import Node, quote

#: Longer text answers score 0 without being matched: no short answer is this long, and the
#: cap bounds the time a pattern can spend backtracking.
MAX_ANSWER_LENGTH = 300

#: Keys holding text a translation replaces; everything else must equal the original.
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

# A group holding a repetition, itself repeated, like (a+)+ or (\w*\s)*: the classic shape of
# patterns that backtrack exponentially. Python's re has no timeout, so refuse the shape.
_NESTED_REPEAT = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]")

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]{1,4})?")


@dataclass(frozen=True)
class Grade:
    #: 0 to 1: the share of the question's points earned.
    fraction: float
    #: The feedback of the chosen options or the matching answer, in definition order.
    feedback: list[str] = field(default_factory=list)


class QuestionType:
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


class SingleChoice(QuestionType):
    name = "single"
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


class MultipleChoice(QuestionType):
    name = "multiple"
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


class TrueFalse(QuestionType):
    name = "true_false"
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


class Numeric(QuestionType):
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
        best: Mapping[str, Any] | None = None
        # Exponents are capped at four digits, so sixty digits of precision and the default
        # exponent range hold every difference without overflow.
        with localcontext(Context(prec=60)):
            for candidate in definition["answers"]:
                distance = abs(given - _decimal(candidate["value"]))
                if distance <= _decimal(candidate["tolerance"]) and (
                    best is None or candidate["weight"] > best["weight"]
                ):
                    best = candidate
        if best is None:
            return Grade(0.0)
        return Grade(_clamp(float(_decimal(best["weight"]) / 100)), _feedback([best]))

    @classmethod
    def public_view(cls, definition: Mapping[str, Any]) -> dict[str, Any]:
        return {}

    @classmethod
    def correct_answer(cls, definition: Mapping[str, Any]) -> Any:
        best = max(definition["answers"], key=lambda candidate: candidate["weight"])
        return str(_decimal(best["value"]))


class ShortAnswer(QuestionType):
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
        best: Mapping[str, Any] | None = None
        for candidate in definition["answers"]:
            if _short_matches(candidate, given, case_sensitive) and (
                best is None or candidate["weight"] > best["weight"]
            ):
                best = candidate
        if best is None:
            return Grade(0.0)
        return Grade(_clamp(float(_decimal(best["weight"]) / 100)), _feedback([best]))

    @classmethod
    def public_view(cls, definition: Mapping[str, Any]) -> dict[str, Any]:
        return {}

    @classmethod
    def correct_answer(cls, definition: Mapping[str, Any]) -> Any:
        full = [a for a in definition["answers"] if a["weight"] == 100]
        texts = [a["text"] for a in full if a["text"]]
        return texts[0] if texts else (full[0]["pattern"] if full else None)


class Matching(QuestionType):
    name = "matching"
    keys = frozenset({"pairs", "distractors"})
    required = ("pairs",)

    @classmethod
    def validate(cls, question: Fields, label: str) -> dict[str, Any]:
        pairs = _read_items(question, "pairs", "pair", label, ("id", "prompt", "match"))
        matches = {pair["match"]: pair["id"] for pair in pairs}
        distractors = []
        for index, node in enumerate(question.items("distractors"), start=1):
            text = node_text(node, question.report, f'"distractors" item {index} of {label}')
            if text in matches:
                question.report.add(
                    node.line,
                    f"distractor {quote(text)} of {label} is also the match of pair "
                    f'"{matches[text]}"; a distractor must be a wrong choice',
                )
            distractors.append(text)
        return {"pairs": pairs, "distractors": distractors}

    @classmethod
    def grade(cls, definition: Mapping[str, Any], answer: object) -> Grade:
        pairs = definition["pairs"]
        if not isinstance(answer, Mapping) or not pairs:
            return Grade(0.0)
        ids = {pair["id"] for pair in pairs}
        if not all(isinstance(key, str) and key in ids for key in answer):
            return Grade(0.0)
        right = sum(1 for pair in pairs if answer.get(pair["id"]) == pair["match"])
        return Grade(right / len(pairs))

    @classmethod
    def public_view(cls, definition: Mapping[str, Any]) -> dict[str, Any]:
        # Choices sorted, not in pair order, so their order tells nothing.
        choices = {pair["match"] for pair in definition["pairs"]} | set(definition["distractors"])
        return {
            "prompts": [{"id": p["id"], "prompt": p["prompt"]} for p in definition["pairs"]],
            "choices": sorted(choices),
        }

    @classmethod
    def correct_answer(cls, definition: Mapping[str, Any]) -> Any:
        return {pair["id"]: pair["match"] for pair in definition["pairs"]}


class Ordering(QuestionType):
    name = "ordering"
    keys = frozenset({"items"})
    required = ("items",)

    @classmethod
    def validate(cls, question: Fields, label: str) -> dict[str, Any]:
        return {"items": _read_items(question, "items", "item", label, ("id", "text"))}

    @classmethod
    def grade(cls, definition: Mapping[str, Any], answer: object) -> Grade:
        expected = [item["id"] for item in definition["items"]]
        if not isinstance(answer, list | tuple) or not expected:
            return Grade(0.0)
        # Only a permutation of the items is an answer; anything else is malformed.
        if not all(isinstance(i, str) for i in answer) or sorted(answer) != sorted(expected):
            return Grade(0.0)
        right = sum(1 for given, wanted in zip(answer, expected, strict=True) if given == wanted)
        return Grade(right / len(expected))

    @classmethod
    def public_view(cls, definition: Mapping[str, Any]) -> dict[str, Any]:
        # Sorted by text, not in the correct order (which is the answer).
        items = sorted(definition["items"], key=lambda item: (item["text"], item["id"]))
        return {"items": [{"id": item["id"], "text": item["text"]} for item in items]}

    @classmethod
    def correct_answer(cls, definition: Mapping[str, Any]) -> Any:
        return [item["id"] for item in definition["items"]]


QUESTION_TYPES: dict[str, type[QuestionType]] = {
    cls.name: cls
    for cls in (SingleChoice, MultipleChoice, TrueFalse, Numeric, ShortAnswer, Matching, Ordering)
}


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


# Reading the YAML


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


# Grading helpers


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


def _chosen_ids(answer: object, known: set[str]) -> set[str] | None:
    """The chosen option ids, or None when the answer is malformed."""
    if not isinstance(answer, list | tuple | set | frozenset):
        return None
    items = list(answer)
    if not all(isinstance(item, str) and item in known for item in items):
        return None
    chosen = set(items)
    return chosen if len(chosen) == len(items) else None


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

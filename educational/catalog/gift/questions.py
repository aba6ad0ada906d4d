"""Turns one raw GIFT question into a question of our quiz format, or says why it cannot.

The question type follows Moodle's own reading of the answer block, in this order: nothing
(essay), a leading `#` (numeric), any `~` (multiple choice), `=` with `->` (matching), exactly
`T`, `TRUE`, `F` or `FALSE` (true/false), anything else (short answer).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from educational.catalog.gift.blocks import RawQuestion
from educational.catalog.gift.choice import choice_question
from educational.catalog.gift.markup import render_text, restore_escapes, split_format
from educational.catalog.gift.parts import (
    Fields,
    Unconvertible,
    answer_pieces,
    check_weight,
    describe,
    parse_number,
    render_feedback,
    require_full_marks,
    split_answers,
    split_general_feedback,
    take_feedback,
    take_weight,
    yaml_number,
)

_Builder = Callable[[str, str, str], tuple[str, Fields]]  # (answers, text format, label)

_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


def convert_question(raw: RawQuestion) -> Fields:
    """The question's fields from `type` on (the caller gives it an id)."""
    text_format, text = split_format(raw.text)
    question_text = render_text(text, text_format)
    label = describe(raw.title, question_text)
    if raw.answers is None:
        raise Unconvertible(
            f"description {label} cannot be converted: it has no answers to grade; "
            "put its text in a module instead"
        )
    answers, general_feedback = split_general_feedback(raw.answers)
    if not answers.strip():
        raise Unconvertible(
            f"essay question {label} cannot be converted: essays are not graded automatically"
        )
    if not question_text:
        raise Unconvertible(f"question {label} has no text: write the question before its {{")

    build = _builder(answers)
    question_type, fields = build(answers, text_format, label)
    question: Fields = {"type": question_type, "points": 1, "text": question_text, **fields}
    feedback = render_feedback(general_feedback, text_format)
    if feedback:
        question["feedback"] = feedback
    return question


def _builder(answers: str) -> _Builder:
    stripped = answers.strip()
    if stripped.startswith("#"):
        return _numeric
    if "~" in answers:
        return choice_question
    if "=" in answers and "->" in answers:
        return _matching
    if stripped.split("#", 1)[0].strip() in _TRUE_FALSE:
        return _true_false
    return _short


def _true_false(answers: str, text_format: str, label: str) -> tuple[str, Fields]:
    # {T#fb1#fb2}: fb1 is shown for the wrong answer, fb2 for the right one.
    answer, *feedbacks = answers.split("#", 2)
    is_true = _TRUE_FALSE[answer.strip()]
    wrong, right = [render_feedback(text, text_format) for text in (*feedbacks, None, None)[:2]]
    fields: Fields = {"answer": is_true}
    feedback_true, feedback_false = (right, wrong) if is_true else (wrong, right)
    if feedback_true:
        fields["feedback_true"] = feedback_true
    if feedback_false:
        fields["feedback_false"] = feedback_false
    return "true_false", fields


def _numeric(answers: str, text_format: str, label: str) -> tuple[str, Fields]:
    body = answers.strip()[1:]
    if "~" in body:
        raise Unconvertible(
            f"numeric question {label} has feedback for any other answer (~), which our numeric "
            "questions cannot hold: remove the ~ part, or move it to the general feedback (####)"
        )
    converted = []
    for piece in answer_pieces(body, f"numeric question {label}"):
        weight, rest = take_weight(piece, Decimal(100))
        check_weight(weight, 0, label)
        value_text, feedback = take_feedback(rest)
        value, tolerance = _value_and_tolerance(restore_escapes(value_text).strip(), label)
        answer: Fields = {
            "value": value,
            "tolerance": tolerance,
            "weight": yaml_number(weight, label),
        }
        if feedback_text := render_feedback(feedback, text_format):
            answer["feedback"] = feedback_text
        converted.append(answer)
    require_full_marks(converted, f"numeric question {label}")
    return "numeric", {"answers": converted}


def _value_and_tolerance(text: str, label: str) -> tuple[int | float, int | float]:
    if text.find("..") > 0:  # {#1..5}: any value from 1 to 5
        low_text, high_text = text.split("..", 1)
        low, high = parse_number(low_text, label), parse_number(high_text, label)
        if low > high:
            raise Unconvertible(
                f"numeric question {label} has the range {text}, which ends too low"
            )
        middle = (low + high) / 2
        return yaml_number(middle, label), yaml_number(high - middle, label)
    if text.find(":") > 0:  # {#2.5:0.1}: 2.5, give or take 0.1
        value_text, tolerance_text = text.split(":", 1)
        tolerance = parse_number(tolerance_text, label)
        if tolerance < 0:
            raise Unconvertible(f"numeric question {label} has a negative tolerance in {text}")
        return yaml_number(parse_number(value_text, label), label), yaml_number(tolerance, label)
    return yaml_number(parse_number(text, label), label), 0


def _short(answers: str, text_format: str, label: str) -> tuple[str, Fields]:
    converted = []
    for piece in answer_pieces(answers, f"short-answer question {label}"):
        weight, rest = take_weight(piece, Decimal(100))
        check_weight(weight, 0, label)
        answer_text, feedback = take_feedback(rest)
        answer_text = restore_escapes(split_format(answer_text)[1]).strip()
        if not answer_text:
            raise Unconvertible(f"short-answer question {label} has an empty answer")
        answer = {**_short_match(answer_text), "weight": yaml_number(weight, label)}
        if feedback_text := render_feedback(feedback, text_format):
            answer["feedback"] = feedback_text
        converted.append(answer)
    require_full_marks(converted, f"short-answer question {label}")
    return "short", {"answers": converted}


def _short_match(answer: str) -> Fields:
    """{text} or, for Moodle's `*` wildcard (any characters), the equivalent {pattern}."""
    if "*" not in answer.replace("\\*", ""):
        return {"text": answer.replace("\\*", "*")}
    parts = re.split(r"(\\\*|\*)", answer)
    pattern = "".join(
        ".*" if part == "*" else _literal(part[-1] if part == "\\*" else part) for part in parts
    )
    return {"pattern": pattern}


def _literal(text: str) -> str:
    # re.escape also escapes spaces, which only matters in verbose patterns; ours are not.
    return re.escape(text).replace("\\ ", " ")


def _matching(answers: str, text_format: str, label: str) -> tuple[str, Fields]:
    lead, items = split_answers(answers, "=")
    if lead.strip():
        raise Unconvertible(
            f"matching question {label} has text before its first pair: "
            "start every pair with =, as in =prompt -> match"
        )
    pairs: list[Fields] = []
    distractors: list[str] = []
    for _, body in items:
        prompt, arrow, match = body.partition("->")
        match_text = " ".join(restore_escapes(match).split())
        if not arrow or not match_text:
            raise Unconvertible(
                f"matching question {label} has a pair without a match: write =prompt -> match"
            )
        prompt_format, prompt = split_format(prompt, text_format)
        prompt_text = render_text(prompt, prompt_format)
        if prompt_text:
            pairs.append({"id": f"p{len(pairs) + 1}", "prompt": prompt_text, "match": match_text})
        else:  # "= -> match": a match that belongs to no prompt
            distractors.append(match_text)
    if len(pairs) < 2:
        raise Unconvertible(f"matching question {label} needs at least two pairs")
    fields: Fields = {"pairs": pairs}
    if distractors:
        fields["distractors"] = distractors
    return "matching", fields

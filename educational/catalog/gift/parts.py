"""Pieces every GIFT question type is cut into: answers, weights, feedback, numbers."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

from educational.catalog.gift.markup import render_text, split_format

Fields = dict[str, Any]

_WEIGHT = re.compile(r"\s*%(-?\d+(?:\.\d+)?)%")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


class Unconvertible(Exception):
    """Our quiz format cannot hold the question; the message is the reason shown to the author."""


def split_answers(answers: str, markers: str) -> tuple[str, list[tuple[str, str]]]:
    """The text before the first marker, and each (marker, text up to the next marker)."""
    pieces = re.split(f"([{re.escape(markers)}])", answers)
    return pieces[0], list(zip(pieces[1::2], pieces[2::2], strict=True))


def answer_pieces(answers: str, what: str) -> list[str]:
    # As in Moodle, the text before the first "=" is an answer too: {#2.5:0.1}, {Paris}.
    lead, items = split_answers(answers, "=")
    pieces = ([lead] if lead.strip() else []) + [body for _, body in items]
    if not pieces:
        raise Unconvertible(f"{what} has no answer")
    return pieces


def split_general_feedback(answers: str) -> tuple[str, str | None]:
    separator = answers.rfind("####")
    if separator < 0:
        return answers, None
    return answers[:separator], answers[separator + 4 :]


def take_weight(text: str, default: Decimal) -> tuple[Decimal, str]:
    match = _WEIGHT.match(text)
    if match is None:
        return default, text
    return Decimal(match.group(1)), text[match.end() :]


def take_feedback(text: str) -> tuple[str, str | None]:
    answer, hash_sign, feedback = text.partition("#")
    return answer, feedback if hash_sign else None


def render_feedback(text: str | None, text_format: str) -> str | None:
    if text is None:
        return None
    piece_format, text = split_format(text, text_format)
    return render_text(text, piece_format) or None


def check_weight(weight: Decimal, lowest: int, label: str) -> None:
    if not lowest <= weight <= 100:
        raise Unconvertible(
            f"question {label} has a weight of {weight}%; weights go from {lowest} to 100"
        )


def require_full_marks(answers: list[Fields], what: str) -> None:
    if not any(answer["weight"] == 100 for answer in answers):
        raise Unconvertible(f"{what} has no answer worth 100%: drop the %n% weight of the best one")


def parse_number(text: str, label: str) -> Decimal:
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        raise Unconvertible(f'numeric question {label} has "{text}" where a number should be')
    value = Decimal(text)
    # Checked before any arithmetic, which would overflow on such numbers.
    if not math.isfinite(float(value)):
        raise Unconvertible(f"numeric question {label} has a number too large: {text}")
    return value


def yaml_number(value: Decimal, label: str) -> int | float:
    """An int when the value is whole (YAML reads better: 3, not 3.0), else a float."""
    as_float = float(value)
    if not math.isfinite(as_float):
        raise Unconvertible(f"question {label} has a number too large: {value}")
    if as_float.is_integer() and abs(as_float) < 1e15:
        return int(value)
    return as_float


def describe(title: str | None, text: str) -> str:
    """How messages name a question: its title, else the start of its text."""
    name = title or " ".join(text.split())
    if not name:
        return "(untitled)"
    return f'"{name[:40]}..."' if len(name) > 40 else f'"{name}"'

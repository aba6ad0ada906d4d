"""Response analysis for the quiz report: how often each option, text, match or position
was chosen. Pure: answers in, counts out."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from educational.catalog.content.questiontypes import QUESTION_TYPES, parse_number


@dataclass(frozen=True)
class ResponseRow:
    #: "response" (label: an option's text, a learner's text, a match), "true", "false",
    #: "position" (label: "1", "2"...), "no_answer" or "other" (answers beyond the top N).
    kind: str
    label: str
    count: int
    #: Share of the attempts that drew the question, 0 to 100.
    percent: float
    #: The fraction this response earns (an option: 1 if correct); None for no answer/other.
    fraction: float | None


@dataclass(frozen=True)
class ResponseGroup:
    #: A matching prompt or an ordering item; None for the other types' single group.
    label: str | None
    rows: tuple[ResponseRow, ...]


@dataclass(frozen=True)
class ResponseAnalysis:
    attempts: int
    groups: tuple[ResponseGroup, ...]


def analyse_responses(
    type_name: str, definition: Mapping[str, Any], answers: Sequence[Any], *, top: int = 10
) -> ResponseAnalysis:
    """Counts and percentages of the responses in ``answers`` (one saved answer a drawn
    question, None when unanswered). Multiple-choice percentages may add up to more than
    100: each option counts the answers that chose it."""
    counter = _RowMaker(len(answers))
    if type_name in ("single", "multiple"):
        groups = [_choice_rows(type_name, definition, answers, counter)]
    elif type_name == "true_false":
        groups = [_true_false_rows(definition, answers, counter)]
    elif type_name in ("short", "numeric"):
        groups = [_text_rows(type_name, definition, answers, counter, top)]
    elif type_name == "matching":
        groups = _matching_rows(definition, answers, counter)
    elif type_name == "ordering":
        groups = _ordering_rows(definition, answers, counter)
    else:
        groups = []
    return ResponseAnalysis(len(answers), tuple(groups))


@dataclass(frozen=True)
class _RowMaker:
    attempts: int

    def __call__(
        self, kind: str, label: str, count: int, fraction: float | None = None
    ) -> ResponseRow:
        percent = 100.0 * count / self.attempts if self.attempts else 0.0
        return ResponseRow(kind, label, count, percent, fraction)


def _choice_rows(
    type_name: str, definition: Mapping[str, Any], answers: Sequence[Any], row: _RowMaker
) -> ResponseGroup:
    options = definition.get("options") or []
    ids = {option["id"] for option in options}
    if type_name == "single":
        chosen = Counter(a for a in answers if isinstance(a, str) and a in ids)
        unanswered = len(answers) - sum(chosen.values())
    else:
        picks = [set(a) & ids for a in answers if isinstance(a, list)]
        chosen = Counter(option for pick in picks for option in pick)
        unanswered = len(answers) - sum(1 for pick in picks if pick)
    rows = [
        row("response", option["text"], chosen[option["id"]], 1.0 if option["correct"] else 0.0)
        for option in options
    ]
    rows.append(row("no_answer", "", unanswered))
    return ResponseGroup(None, tuple(rows))


def _true_false_rows(
    definition: Mapping[str, Any], answers: Sequence[Any], row: _RowMaker
) -> ResponseGroup:
    right = definition.get("answer")
    trues = sum(1 for a in answers if a is True)
    falses = sum(1 for a in answers if a is False)
    rows = (
        row("true", "true", trues, 1.0 if right is True else 0.0),
        row("false", "false", falses, 1.0 if right is False else 0.0),
        row("no_answer", "", len(answers) - trues - falses),
    )
    return ResponseGroup(None, rows)


def _text_rows(
    type_name: str,
    definition: Mapping[str, Any],
    answers: Sequence[Any],
    row: _RowMaker,
    top: int,
) -> ResponseGroup:
    """The ``top`` most frequent answers, normalised as grading reads them: whitespace
    collapsed, case folded unless the question is case-sensitive, numbers by value
    ("3,50" and "3.5" are one answer)."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for answer in answers:
        key, label = _normalised_text(type_name, definition, answer)
        if key is not None:
            counts[key] += 1
            shown.setdefault(key, label)
    qtype = QUESTION_TYPES[type_name]
    ranked = sorted(counts.items(), key=lambda item: (-item[1], shown[item[0]]))
    rows = [
        row("response", shown[key], count, qtype.grade(definition, shown[key]).fraction)
        for key, count in ranked[:top]
    ]
    others = sum(count for _key, count in ranked[top:])
    if others:
        rows.append(row("other", "", others))
    rows.append(row("no_answer", "", len(answers) - sum(counts.values())))
    return ResponseGroup(None, tuple(rows))


_SPACES = re.compile(r"\s+")


def _normalised_text(
    type_name: str, definition: Mapping[str, Any], answer: Any
) -> tuple[str | None, str]:
    if type_name == "numeric" and not isinstance(answer, bool):
        number = parse_number(answer)
        if number is not None:
            text = format(number.normalize(), "f")
            return "n:" + text, text
    if not isinstance(answer, str):
        return None, ""
    text = _SPACES.sub(" ", answer).strip()
    if not text:
        return None, ""
    case_sensitive = type_name == "short" and definition.get("case_sensitive")
    return "t:" + (text if case_sensitive else text.casefold()), text


def _matching_rows(
    definition: Mapping[str, Any], answers: Sequence[Any], row: _RowMaker
) -> list[ResponseGroup]:
    pairs = definition.get("pairs") or []
    choices = sorted({pair["match"] for pair in pairs} | set(definition.get("distractors") or []))
    maps = [a if isinstance(a, Mapping) else {} for a in answers]
    groups = []
    for pair in pairs:
        given = Counter(m.get(pair["id"]) for m in maps)
        ordered = [pair["match"], *(c for c in choices if c != pair["match"])]
        rows = [row("response", c, given[c], 1.0 if c == pair["match"] else 0.0) for c in ordered]
        known = sum(given[c] for c in choices)
        if len(answers) - given[None] - known:
            rows.append(row("other", "", len(answers) - given[None] - known))
        rows.append(row("no_answer", "", given[None]))
        groups.append(ResponseGroup(pair["prompt"], tuple(rows)))
    return groups


def _ordering_rows(
    definition: Mapping[str, Any], answers: Sequence[Any], row: _RowMaker
) -> list[ResponseGroup]:
    items = [item["id"] for item in definition.get("items") or []]
    expected = sorted(items)
    orders = [a for a in answers if isinstance(a, list) and sorted(map(str, a)) == expected]
    position_counts = {item: Counter() for item in items}
    for order in orders:
        for position, item in enumerate(order, start=1):
            position_counts[item][position] += 1
    groups = []
    for index, item in enumerate(definition.get("items") or [], start=1):
        counts = position_counts[item["id"]]
        rows = [
            row("position", str(p), counts[p], 1.0 if p == index else 0.0)
            for p in range(1, len(items) + 1)
        ]
        rows.append(row("no_answer", "", len(answers) - len(orders)))
        groups.append(ResponseGroup(item["text"], tuple(rows)))
    return groups

"""Putting parts together: matching prompts to answers, and putting items in order."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from educational.catalog.content.fields import Fields, node_text
from educational.catalog.content.yamlsource import quote
from educational.core.params import MAX_ID, parse_int

from .base import MAX_ANSWER_LENGTH, GetList, Grade, QuestionType, _read_items, shuffled


class Matching(QuestionType):
    name = "matching"
    template = "quizzes/types/matching.html"
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

    @classmethod
    def layout(cls, definition: Mapping[str, Any], shuffle: bool, rng: random.Random) -> dict:
        choices = sorted({p["match"] for p in definition["pairs"]} | set(definition["distractors"]))
        return {
            "prompts": [pair["id"] for pair in definition["pairs"]],
            "choices": shuffled(choices, shuffle, rng),
        }

    @classmethod
    def parse_form(cls, layout: Mapping[str, list], name: str, values: GetList) -> Any:
        answer = {}
        for pair_id in layout.get("prompts", []):
            given = values(f"{name}.{pair_id}")
            if given and given[0]:
                answer[pair_id] = given[0][:MAX_ANSWER_LENGTH]
        return answer or None

    @classmethod
    def describe(cls, definition: Mapping[str, Any], answer: Any) -> str:
        prompts = {pair["id"]: pair["prompt"] for pair in definition["pairs"]}
        pairs = answer.items() if isinstance(answer, Mapping) else []
        return "; ".join(f"{prompts[k]} → {v}" for k, v in pairs if k in prompts)

    @classmethod
    def guess_score(cls, definition: Mapping[str, Any]) -> float | None:
        pairs = definition.get("pairs") or []
        choices = {pair["match"] for pair in pairs} | set(definition.get("distractors") or [])
        return 1.0 / len(choices) if choices else None


class Ordering(QuestionType):
    name = "ordering"
    template = "quizzes/types/ordering.html"
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

    @classmethod
    def layout(cls, definition: Mapping[str, Any], shuffle: bool, rng: random.Random) -> dict:
        ids = [item["id"] for item in definition["items"]]
        # Items always start shuffled, and never in the right order: that would be the answer.
        start = ids[:]
        for _ in range(20):
            rng.shuffle(start)
            if start != ids:
                break
        return {"items": start}

    @classmethod
    def parse_form(cls, layout: Mapping[str, list], name: str, values: GetList) -> Any:
        """Items sorted by the position chosen for each; ties keep the shown order."""
        items = layout.get("items", [])
        ranks = {}
        for item_id in items:
            given = values(f"{name}.{item_id}")
            rank = parse_int(given[0], minimum=0, maximum=MAX_ID) if given else None
            if rank is not None:
                ranks[item_id] = rank
        if not ranks:
            return None
        last = len(items) + 1
        return sorted(items, key=lambda item_id: (ranks.get(item_id, last), items.index(item_id)))

    @classmethod
    def describe(cls, definition: Mapping[str, Any], answer: Any) -> str:
        texts = {item["id"]: item["text"] for item in definition["items"]}
        return " → ".join(texts[i] for i in answer or [] if i in texts)

    @classmethod
    def guess_score(cls, definition: Mapping[str, Any]) -> float | None:
        # A random permutation puts on average one item in its place.
        items = definition.get("items") or []
        return 1.0 / len(items) if items else None

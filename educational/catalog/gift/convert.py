"""convert_gift: a GIFT file's text to a quiz in our quiz YAML structure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from educational.catalog.gift.blocks import Category, Problem, RawQuestion, read_items
from educational.catalog.gift.markup import slugify
from educational.catalog.gift.questions import Unconvertible, convert_question

DEFAULT_TITLE = "Imported GIFT questions"

# Questions before the first $CATEGORY: go to this pool.
_DEFAULT_POOL_ID = "default"
_DEFAULT_POOL_TITLE = "Default"


@dataclass
class GiftConversion:
    """What convert_gift made of a GIFT file."""

    #: title, and pools with their questions, as a <quiz>.quiz.yml holds them (no settings).
    quiz: dict[str, Any]
    #: (line, reason) for each question our format cannot hold: essays, descriptions, ...
    skipped: list[tuple[int, str]] = field(default_factory=list)
    #: (line, message) for each syntax error; a file with any should not be imported.
    problems: list[tuple[int, str]] = field(default_factory=list)

    @property
    def question_count(self) -> int:
        return sum(len(pool["questions"]) for pool in self.quiz["pools"])


@dataclass
class _Pool:
    id: str
    title: str
    questions: list[dict[str, Any]] = field(default_factory=list)
    #: Questions met so far, converted or skipped: numbers the ids of untitled questions, so
    #: that fixing a skipped question later does not renumber the others.
    seen: int = 0


def convert_gift(text: str, title: str = DEFAULT_TITLE) -> GiftConversion:
    """Convert a GIFT file's text; never raises.

    Each `$CATEGORY: a/b/c` opens the pool `c` (a slug of the path's last part, made unique);
    naming a category again goes back to its pool. A question's id is a slug of its title, else
    `q-<pool>-<n>` where n counts the pool's questions; both are made unique in the quiz.
    """
    result = GiftConversion(quiz={})
    pools: dict[str | None, _Pool] = {}  # by category path; None for the default pool
    pool_ids: set[str] = set()
    question_ids: set[str] = set()

    def pool_for(path: str | None) -> _Pool:
        if path not in pools:
            if path is None:
                base, pool_title = _DEFAULT_POOL_ID, _DEFAULT_POOL_TITLE
            else:
                pool_title = _last_component(path)
                base = slugify(pool_title) or f"pool-{len(pools) + 1}"
            pools[path] = _Pool(_unique(base, pool_ids), pool_title)
        return pools[path]

    current: _Pool | None = None
    for item in read_items(text):
        if isinstance(item, Problem):
            result.problems.append((item.line, item.message))
        elif isinstance(item, Category):
            current = pool_for(item.path)
        elif isinstance(item, RawQuestion):
            current = current or pool_for(None)
            current.seen += 1
            try:
                fields = convert_question(item)
            except Unconvertible as reason:
                result.skipped.append((item.line, str(reason)))
                continue
            base = slugify(item.title or "") or f"q-{current.id}-{current.seen}"
            current.questions.append({"id": _unique(base, question_ids), **fields})

    result.quiz = {
        "title": title,
        "pools": [
            {"id": pool.id, "title": pool.title, "questions": pool.questions}
            for pool in pools.values()
            if pool.questions
        ],
    }
    return result


def _last_component(path: str) -> str:
    # Moodle writes a "/" inside a category name as "//".
    parts = [part.replace("//", "/").strip() for part in _split_path(path)]
    return next((part for part in reversed(parts) if part), path.strip())


def _split_path(path: str) -> list[str]:
    parts, current, index = [], "", 0
    while index < len(path):
        if path.startswith("//", index):
            current += "//"
            index += 2
        elif path[index] == "/":
            parts.append(current)
            current = ""
            index += 1
        else:
            current += path[index]
            index += 1
    return [*parts, current]


def _unique(base: str, taken: set[str]) -> str:
    """base, or base-2, base-3, ... : the first not yet taken, which it then takes."""
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    taken.add(candidate)
    return candidate

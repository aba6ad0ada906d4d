"""Cuts a GIFT file into categories and raw questions, and finds its syntax problems.

A question is a run of non-blank lines; whole-line `//` comments are dropped (a `//` inside a
line, as in a URL, is text). A block whose first line is `$CATEGORY: path` opens a category.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from educational.catalog.gift.markup import protect_escapes, restore_escapes

#: What a missing-word question shows where its answers were.
BLANK = "____"

_CATEGORY = "$CATEGORY:"


@dataclass(frozen=True)
class Category:
    line: int
    path: str  # as written, e.g. "$course$/top/Principles"


@dataclass(frozen=True)
class RawQuestion:
    line: int  # where the question starts
    title: str | None
    text: str  # with escape placeholders, and BLANK where a missing word's answers were
    answers: str | None  # between the braces, with escape placeholders; None: no braces


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


Item = Category | RawQuestion | Problem

_Line = tuple[int, str]  # line number, text with escape placeholders


def read_items(source: str) -> Iterator[Item]:
    """The categories, questions and syntax problems of a GIFT file, in file order."""
    for block in _blocks(source):
        yield from _read_block(block)


def _blocks(source: str) -> Iterator[list[_Line]]:
    source = source.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    block: list[_Line] = []
    for number, line in enumerate(source.split("\n"), start=1):
        if not line.strip():
            if block:
                yield block
            block = []
        elif not line.lstrip().startswith("//"):
            block.append((number, protect_escapes(line)))
    if block:
        yield block


def _read_block(lines: list[_Line]) -> Iterator[Item]:
    number, first = lines[0]
    if first.lstrip().startswith(_CATEGORY):
        path = restore_escapes(first.lstrip()[len(_CATEGORY) :]).strip()
        if path:
            yield Category(number, path)
        else:
            yield Problem(number, "$CATEGORY: needs a category name, e.g. $CATEGORY: audit/scope")
        # Moodle wants a blank line after the category; a question written straight below it is
        # clearly meant as a question, so it is read as one.
        lines = lines[1:]
        if not lines:
            return
    yield _read_question(lines)


def _read_question(lines: list[_Line]) -> RawQuestion | Problem:
    text = "\n".join(line for _, line in lines)
    starts = [0]
    for _, line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)

    def line_at(offset: int) -> int:
        return lines[bisect_right(starts, offset) - 1][0]

    first_line = lines[0][0]
    title = None
    body_start = 0
    opening_colons = re.match(r"\s*::", text)
    if opening_colons:
        title_end = text.find("::", opening_colons.end())
        if title_end < 0:
            return Problem(first_line, "the question title is not closed: write it as ::Title::")
        title = " ".join(restore_escapes(text[opening_colons.end() : title_end]).split()) or None
        body_start = title_end + 2
    body = text[body_start:]

    opening, closing = body.find("{"), body.find("}")
    if opening < 0 and closing < 0:
        return RawQuestion(first_line, title, body, None)
    if opening < 0 or 0 <= closing < opening:
        return Problem(
            line_at(body_start + closing),
            "} has no matching {: write \\} for a literal brace",
        )
    if closing < 0:
        return Problem(
            line_at(body_start + opening),
            "{ is not closed: end the answers with } before the blank line that ends the question",
        )
    nested = body.find("{", opening + 1)
    if 0 <= nested < closing:
        return Problem(
            line_at(body_start + nested),
            "{ inside the answers: close them with } first, or write \\{ for a literal brace",
        )
    later_braces = [found for found in (body.find(c, closing + 1) for c in "{}") if found >= 0]
    if later_braces:
        return Problem(
            line_at(body_start + min(later_braces)),
            "a question has only one {…} answer block: write \\{ and \\} for literal braces",
        )

    after = body[closing + 1 :]
    # Moodle's missing-word rule: text after the answers means they stood in for a word.
    question_text = body[:opening] + (BLANK + after if after.strip() else "")
    return RawQuestion(first_line, title, question_text, body[opening + 1 : closing])

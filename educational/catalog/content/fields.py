"""Typed, reporting access to one YAML mapping.

Every getter returns a usable value (the default when the key is missing or wrong) and
reports what is wrong instead of raising, so a validator reads as a list of fields and still
finds every problem in one pass. The results of a file with problems are thrown away, so the
placeholder values never reach the database.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Collection
from datetime import date, datetime
from pathlib import Path

from educational.catalog.content.names import LANGUAGE, LANGUAGE_HINT, SLUG, SLUG_HINT
from educational.catalog.content.problems import Report
from educational.catalog.content.yamlsource import (
    Map,
    Node,
    Scalar,
    Seq,
    describe,
    parse_mapping,
    quote,
    read_text,
)
from educational.core.names import is_language

#: Identifiers become database keys and URL parts; a hundred characters is plenty.
MAX_ID_LENGTH = 100

_NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


class Fields:
    """One mapping of a content file, read key by key."""

    def __init__(
        self,
        node: Node,
        report: Report,
        what: str,
        *,
        allowed: Collection[str] | None,
        required: Collection[str] = (),
    ) -> None:
        self.report = report
        self.what = what
        self.line = node.line
        self.entries = node.entries if isinstance(node, Map) else {}
        if not isinstance(node, Map):
            report.add(node.line, f"{what} must be a mapping (key: value); it is {describe(node)}")
            return
        if allowed is not None:
            for key, entry in self.entries.items():
                if key not in allowed:
                    report.add(entry.key_line, unknown_key_message(key, what, allowed))
        for key in required:
            if key not in self.entries:
                report.add(self.line, f'{what} is missing the required key "{key}"')

    # Presence and position

    def has(self, key: str) -> bool:
        return key in self.entries

    def line_of(self, key: str) -> int:
        entry = self.entries.get(key)
        return entry.key_line if entry is not None else self.line

    def node(self, key: str) -> Node | None:
        entry = self.entries.get(key)
        return entry.node if entry is not None else None

    # Typed getters: the default when missing or wrong (and then a problem is reported)

    def text(self, key: str, default: str = "") -> str:
        node = self.node(key)
        return default if node is None else node_text(node, self.report, f'"{key}"', default)

    def ident(
        self, key: str, default: str = "", pattern: re.Pattern[str] = SLUG, hint: str = SLUG_HINT
    ) -> str:
        node = self.node(key)
        if node is None:
            return default
        return node_ident(node, self.report, f'"{key}"', default, pattern, hint)

    def integer(
        self, key: str, default: int = 0, minimum: int | None = None, maximum: int | None = None
    ) -> int:
        node = self.node(key)
        if node is None:
            return default
        value = node.value if isinstance(node, Scalar) else None
        is_integer = isinstance(value, int) and not isinstance(value, bool)
        if is_integer and _in_range(value, minimum, maximum):
            return value
        self.report.add(
            node.line,
            f'"{key}" must be a whole number{_range(minimum, maximum)}; it is {describe(node)}',
        )
        return default

    def number(
        self,
        key: str,
        default: float = 0,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> int | float:
        node = self.node(key)
        if node is None:
            return default
        value = node_number(node)
        if value is not None and _in_range(value, minimum, maximum):
            return value
        self.report.add(
            node.line, f'"{key}" must be a number{_range(minimum, maximum)}; it is {describe(node)}'
        )
        return default

    def boolean(self, key: str, default: bool = False) -> bool:
        node = self.node(key)
        if node is None:
            return default
        if isinstance(node, Scalar) and isinstance(node.value, bool):
            return node.value
        self.report.add(node.line, f'"{key}" must be true or false; it is {describe(node)}')
        return default

    def date(self, key: str) -> date | None:
        node = self.node(key)
        if node is None:
            return None
        if isinstance(node, Scalar):
            if isinstance(node.value, date) and not isinstance(node.value, datetime):
                return node.value
            try:
                return date.fromisoformat(node.text) if len(node.text) == 10 else None
            except ValueError:
                pass
        self.report.add(
            node.line, f'"{key}" must be a date like 2024-05-31; it is {describe(node)}'
        )
        return None

    def items(self, key: str, min_items: int = 0) -> list[Node]:
        """The items of a list value; [] (and a problem) when it is not a list."""
        node = self.node(key)
        if node is None:
            return []
        if not isinstance(node, Seq):
            hint = " (write [] for none)" if min_items == 0 else ""
            self.report.add(node.line, f'"{key}" must be a list{hint}; it is {describe(node)}')
            return []
        if len(node.items) < min_items:
            self.report.add(
                node.line,
                f'"{key}" of {self.what} needs at least {min_items} '
                f"item{'s' if min_items > 1 else ''}; it has {len(node.items)}",
            )
        return list(node.items)

    def idents(
        self, key: str, pattern: re.Pattern[str] = SLUG, hint: str = SLUG_HINT, min_items: int = 0
    ) -> list[tuple[str, int]]:
        """A list of identifiers, each with its line; invalid items are reported and left out."""
        found: list[tuple[str, int]] = []
        for index, item in enumerate(self.items(key, min_items), start=1):
            value = node_ident(item, self.report, f'"{key}" item {index}', "", pattern, hint)
            if value:
                found.append((value, item.line))
        return found

    def language(self, key: str, default: str = "") -> str:
        node = self.node(key)
        return default if node is None else node_language(node, self.report, f'"{key}"', default)

    def languages(self, key: str) -> list[tuple[str, int]]:
        """A list of language codes, each with its line; invalid ones reported and left out."""
        found = []
        for index, item in enumerate(self.items(key), start=1):
            code = node_language(item, self.report, f'"{key}" item {index}')
            if code:
                found.append((code, item.line))
        check_unique(found, self.report, "language", f'the languages of "{key}" must differ')
        return found

    def mapping(
        self,
        key: str,
        what: str,
        *,
        allowed: Collection[str] | None,
        required: Collection[str] = (),
    ) -> Fields | None:
        node = self.node(key)
        if node is None:
            return None
        return Fields(node, self.report, what, allowed=allowed, required=required)


# The same checks for values that are not under a key (list items).


def read_fields(
    path: Path,
    report: Report,
    what: str,
    *,
    allowed: Collection[str] | None,
    required: Collection[str] = (),
) -> Fields | None:
    """The top mapping of the YAML file at ``path``; None (reported) when the file cannot
    be read or does not hold a mapping."""
    text = read_text(path, report)
    node = parse_mapping(text, report) if text is not None else None
    if node is None:
        return None
    return Fields(node, report, what, allowed=allowed, required=required)


def node_text(node: Node, report: Report, label: str, default: str = "") -> str:
    if isinstance(node, Scalar) and node.value is not None:
        text = node.text.strip()
        if text:
            return text
    report.add(node.line, f"{label} must be text; it is {describe(node)}")
    return default


def node_ident(
    node: Node,
    report: Report,
    label: str,
    default: str = "",
    pattern: re.Pattern[str] = SLUG,
    hint: str = SLUG_HINT,
) -> str:
    if not isinstance(node, Scalar) or node.value is None:
        report.add(node.line, f"{label} must be a name made of {hint}; it is {describe(node)}")
        return default
    text = node.text
    if pattern.fullmatch(text) is None:
        report.add(node.line, f"{label} is {quote(text)}, which is not valid: use {hint}")
        return default
    if len(text) > MAX_ID_LENGTH:
        report.add(node.line, f"{label} is longer than {MAX_ID_LENGTH} characters; shorten it")
        return default
    return text


def node_language(node: Node, report: Report, label: str, default: str = "") -> str:
    code = node_ident(node, report, label, "", LANGUAGE, LANGUAGE_HINT)
    if code and not is_language(code):
        report.add(node.line, f"{label} {quote(code)} is not an ISO 639-1 language code")
        return default
    return code or default


def node_number(node: Node) -> int | float | None:
    """A finite int or float; a plain ``1e3`` counts too (YAML 1.1 reads it as text)."""
    if not isinstance(node, Scalar) or isinstance(node.value, bool):
        return None
    value = node.value
    if isinstance(value, str) and _NUMBER_TEXT.fullmatch(node.text):
        value = float(node.text)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    return None


def peek_text(node: Node, key: str) -> str | None:
    """The text under ``key`` of a mapping node, for naming it in messages before reading it."""
    if isinstance(node, Map):
        entry = node.entries.get(key)
        if entry is not None and isinstance(entry.node, Scalar) and entry.node.value is not None:
            return entry.node.text
    return None


def unknown_key_message(key: str, what: str, allowed: Collection[str]) -> str:
    close = difflib.get_close_matches(key, list(allowed), n=1)
    if close:
        return f'unknown key {quote(key)} in {what}; did you mean "{close[0]}"?'
    return f"unknown key {quote(key)} in {what}; allowed keys: {', '.join(sorted(allowed))}"


def check_unique(values: list[tuple[str, int]], report: Report, noun: str, rule: str) -> None:
    """Report every repeat of a value, pointing at the line of its first use.

    ``noun`` names one value (``option id``); ``rule`` is the sentence that says why
    (``option ids must be unique within their question``).
    """
    first: dict[str, int] = {}
    for value, line in values:
        if value in first:
            report.add(
                line, f"{noun} {quote(value)} is already used on line {first[value]}; {rule}"
            )
        else:
            first[value] = line


def _in_range(value: float, minimum: float | None, maximum: float | None) -> bool:
    return (minimum is None or value >= minimum) and (maximum is None or value <= maximum)


def _range(minimum: float | None, maximum: float | None) -> str:
    if minimum is not None and maximum is not None:
        return f" from {minimum} to {maximum}"
    if minimum is not None:
        return f" of at least {minimum}"
    if maximum is not None:
        return f" of at most {maximum}"
    return ""

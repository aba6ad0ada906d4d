"""Reading content files: bytes to text, text to YAML values that remember their line.

PyYAML's composed nodes carry a start mark; we keep it on every value so that each problem
can point at the line to fix. Anchors, aliases and deep nesting are refused while composing:
content files never need them, and refusing them keeps "billion laughs" style input and
self-referencing data away from the validators.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

import yaml
from yaml.composer import ComposerError
from yaml.constructor import SafeConstructor

from educational.catalog.content.problems import Problem, Report

#: Content nests four or five levels deep; anything far deeper is a mistake or an attack.
MAX_DEPTH = 40

# The characters YAML forbids (and that no Markdown text needs): C0/C1 controls other than
# tab, line feed and carriage return, and the non-characters U+FFFE, U+FFFF.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")

# Only these scalar tags are turned into Python values; any other tag keeps its text.
_SCALAR_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "str", "timestamp")
}


@dataclass(frozen=True)
class Scalar:
    line: int
    #: The scalar as written (without quotes): string fields use it, so that ``no`` or ``3``
    #: stay the text the author typed instead of YAML 1.1's ``False`` or ``3``.
    text: str
    #: The value as YAML resolves it: str, int, float, bool, None, date or datetime.
    value: object


@dataclass(frozen=True)
class Seq:
    line: int
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Entry:
    key_line: int
    node: Node


@dataclass(frozen=True)
class Map:
    line: int
    entries: dict[str, Entry]


Node: TypeAlias = Scalar | Seq | Map


def describe(node: Node) -> str:
    """The value as a message shows it: ``"twenty"``, ``42``, ``empty``, ``a list``."""
    if isinstance(node, Map):
        return "a mapping"
    if isinstance(node, Seq):
        return "a list"
    if node.value is None:
        return "empty"
    if isinstance(node.value, str):
        return quote(node.text)
    return node.text


def quote(text: str, limit: int = 60) -> str:
    """Quote a value for a message, shortened so that a pasted essay cannot flood the output."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return json.dumps(text, ensure_ascii=False)


def read_text(path: Path, report: Report) -> str | None:
    """The file as text, or None after reporting why it cannot be used as text."""
    try:
        data = path.read_bytes()
    except OSError as error:
        report.add(1, f"cannot read the file ({error.strerror or error}); check its permissions")
        return None
    return decode(data, report)


def decode(data: bytes, report: Report) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        report.add(line, f"the file is not UTF-8 text (byte 0x{byte:02x}); save it as UTF-8")
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    control = _CONTROL.search(text)
    if control is not None:
        line = text.count("\n", 0, control.start()) + 1
        report.add(
            line,
            f"the file contains the control character U+{ord(control.group()):04X}, "
            "which text files must not hold; is it a binary file?",
        )
        return None
    return text


def parse_mapping(text: str, report: Report, *, first_line: int = 1) -> Map | None:
    """The YAML document in ``text`` if it is a mapping; otherwise report and return None."""
    node = parse_yaml(text, report, first_line=first_line)
    if node is None:
        return None
    if isinstance(node, Map):
        return node
    if isinstance(node, Scalar) and node.value is None:
        report.add(node.line, "there is no YAML here; write the keys this file needs")
    else:
        report.add(
            node.line,
            f"the YAML must be a mapping (key: value lines) at the top; it is {describe(node)}",
        )
    return None


def parse_yaml(text: str, report: Report, *, first_line: int = 1) -> Node | None:
    """Compose ``text`` into Nodes; line numbers start at ``first_line``.

    libyaml (C) scans, parses and composes when PyYAML has it: most of the time a sync
    spends. A document it composes is used when it has no alias and does not nest too deep
    (libyaml itself stops at 1000 levels) and every key is a scalar; otherwise, and when
    libyaml refuses the text, the document is read again by the pure Python loader below,
    whose checks and messages are the ones documented and tested."""
    fast = _compose_in_c(text, report, first_line)
    if fast is not None:
        return fast
    loader = _Loader(text)
    try:
        composed = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + first_line if mark is not None else first_line
        context = f" ({error.context})" if error.context else ""
        report.add(line, f"invalid YAML{context}: {error.problem}")
        return None
    except yaml.YAMLError as error:
        # ReaderError and friends carry no mark; decode() already refused what triggers them.
        report.add(first_line, f"invalid YAML: {error}")
        return None
    finally:
        loader.dispose()
    if composed is None:
        return Scalar(first_line, "", None)
    return _convert(composed, report, first_line - 1)


class _Refused(Exception):
    """An alias, too deep a nesting or a non-scalar key in a document libyaml composed."""


_PLAIN_TAGS: dict[str, str] = {}


if hasattr(yaml, "CSafeLoader"):

    class _CLoader(yaml.CSafeLoader):
        """libyaml composing; the tag of a plain scalar, which depends on its text only, is
        remembered (keys and short values repeat: resolving them was a tenth of a sync)."""

        def resolve(self, kind, value, implicit):
            if kind is not yaml.ScalarNode or not implicit[0]:
                return super().resolve(kind, value, implicit)
            tag = _PLAIN_TAGS.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(value) <= 100 and len(_PLAIN_TAGS) < 50_000:
                    _PLAIN_TAGS[value] = tag
            return tag


def _compose_in_c(text: str, report: Report, first_line: int) -> Node | None:
    """The document composed by libyaml, or None to read it with the checking Python loader."""
    if not hasattr(yaml, "CSafeLoader"):
        return None
    try:
        composed = _compose(_CLoader, text)
    except yaml.YAMLError:
        return None
    if composed is None:
        return Scalar(first_line, "", None)
    problems: list[Problem] = []
    buffer = Report(report.path, problems)
    try:
        node = _convert(composed, buffer, first_line - 1, seen=set(), depth=1)
    except (_Refused, RecursionError):
        return None
    for problem in problems:
        report.add(problem.line, problem.message)
    return node


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and deep nesting while composing."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise ComposerError(
                None, None, "aliases (*name) are not supported; write the value out in full", mark
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise ComposerError(
                    None, None, f"the data nests more than {MAX_DEPTH} levels deep", mark
                )
            return yaml.composer.Composer.compose_node(self, parent, index)
        finally:
            self._depth -= 1


def _compose(loader_class: type, text: str) -> yaml.Node | None:
    loader = loader_class(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


_CONSTRUCTOR = SafeConstructor()


def _convert(
    node: yaml.Node,
    report: Report,
    offset: int,
    seen: set[int] | None = None,
    depth: int = 0,
) -> Node:
    """Nodes to values with lines. With ``seen`` (the ids of the nodes met so far) and
    ``depth``, raise _Refused on a node met twice (libyaml composes an alias as the anchored
    node itself) or deeper than MAX_DEPTH, as the Python loader refuses them."""
    if seen is not None:
        if id(node) in seen or depth > MAX_DEPTH:
            raise _Refused
        seen.add(id(node))
        depth += 1
    line = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        entries: dict[str, Entry] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1 + offset
            if seen is not None:
                # A list or mapping as a key is wrong anyway: the Python loader says so.
                if id(key_node) in seen or not isinstance(key_node, yaml.ScalarNode):
                    raise _Refused
                seen.add(id(key_node))
            if not isinstance(key_node, yaml.ScalarNode):
                report.add(key_line, "a key must be a plain word, not a list or a mapping")
                continue
            key = key_node.value
            if key in entries:
                report.add(key_line, f"the key {quote(key)} appears twice; keep one of them")
                continue
            entries[key] = Entry(key_line, _convert(value_node, report, offset, seen, depth))
        return Map(line, entries)
    if isinstance(node, yaml.SequenceNode):
        return Seq(line, tuple(_convert(item, report, offset, seen, depth) for item in node.value))
    return Scalar(line, node.value, _scalar_value(node))


_STR_TAG = "tag:yaml.org,2002:str"


def _scalar_value(node: yaml.ScalarNode) -> object:
    if node.tag == _STR_TAG or node.tag not in _SCALAR_TAGS:
        return node.value  # what SafeConstructor makes of a str too
    construct = SafeConstructor.yaml_constructors[node.tag]
    try:
        return construct(_CONSTRUCTOR, node)
    except Exception:  # e.g. "2024-13-45" looks like a date but is none
        # Keep the text: the typed getters then say what the value should have been.
        return node.value

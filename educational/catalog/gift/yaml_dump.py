"""dump_quiz_yaml: a quiz as the readable YAML an author would write by hand."""

from __future__ import annotations

from typing import Any

import yaml

# The order of keys wherever they occur; other keys follow, in their own order.
_KEY_ORDER = [
    "id",
    "title",
    "settings",
    "pools",
    "type",
    "points",
    "text",
    "prompt",
    "match",
    "pattern",
    "value",
    "tolerance",
    "correct",
    "weight",
    "answer",
    "case_sensitive",
    "options",
    "answers",
    "pairs",
    "distractors",
    "items",
    "feedback_true",
    "feedback_false",
    "feedback",
    "questions",
]
_RANK = {key: rank for rank, key in enumerate(_KEY_ORDER)}

# Line breaks other than "\n" survive only in double quotes, where they are escaped: PyYAML
# writes them raw in other styles and reads them back as "\n" or a space.
_ODD_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


class _QuizDumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as people write them.
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = None
    if any(mark in text for mark in _ODD_BREAKS):
        style = '"'
    elif "\n" in text:
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_QuizDumper.add_representer(str, _represent_str)


def dump_quiz_yaml(quiz: dict[str, Any]) -> str:
    """Block-style YAML with keys in reading order, Unicode kept and multi-line text as `|`."""
    return yaml.dump(
        _ordered(quiz),
        Dumper=_QuizDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


def _ordered(value: Any) -> Any:
    if isinstance(value, dict):
        keys = sorted(value, key=lambda key: _RANK.get(key, len(_RANK)))
        return {key: _ordered(value[key]) for key in keys}
    if isinstance(value, list):
        return [_ordered(item) for item in value]
    return value

"""main: the command line, `python -m educational.catalog.gift FILE OUT.yml`.

A Flask CLI command (`flask courses import-gift`) wraps it.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from educational.catalog.gift.convert import convert_gift
from educational.catalog.gift.yaml_dump import dump_quiz_yaml


def main(argv: Sequence[str] | None = None) -> int:
    """Convert FILE into OUT.yml and print a summary; the exit status (0 or 1) is returned.

    Nothing is written when the file has syntax problems, or when no question converts.
    """
    parser = argparse.ArgumentParser(
        prog="python -m educational.catalog.gift",
        description="Convert a Moodle GIFT question file into a quiz file (<quiz>.quiz.yml).",
    )
    parser.add_argument("gift_file", metavar="FILE", type=Path, help="the GIFT file to read")
    parser.add_argument("out_file", metavar="OUT.yml", type=Path, help="the quiz file to write")
    args = parser.parse_args(argv)
    source: Path = args.gift_file
    target: Path = args.out_file

    try:
        text = source.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeError) as error:
        _error(f"{source}: cannot be read ({_reason(error)}); check the path and that it is UTF-8")
        return 1

    conversion = convert_gift(text, title=_title_from(source))
    if conversion.problems:
        for line, message in conversion.problems:
            _error(f"{source}:{line}: {message}")
        _error(f"{source}: nothing written; fix the problems above and run again")
        return 1

    skipped = conversion.skipped
    print(
        f"converted {conversion.question_count} questions in {len(conversion.quiz['pools'])} "
        f"pools; skipped {len(skipped)}{':' if skipped else ''}"
    )
    for line, reason in skipped:
        print(f"{source}:{line}: {reason}")
    if not conversion.question_count:
        _error(f"{source}: nothing written; no question could be converted")
        return 1

    try:
        target.write_text(dump_quiz_yaml(conversion.quiz), encoding="utf-8")
    except OSError as error:
        _error(f"{target}: cannot be written ({_reason(error)}); check the folder exists")
        return 1
    return 0


def _title_from(path: Path) -> str:
    """The quiz title for a file: "final-exam.gift" gives "Final exam"."""
    words = re.sub(r"[-_\s]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:] if words else "Imported GIFT questions"


def _reason(error: Exception) -> str:
    return getattr(error, "strerror", None) or str(error)


def _error(message: str) -> None:
    print(message, file=sys.stderr)

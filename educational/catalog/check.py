"""``python -m educational.catalog.check [PATH]``: check a content folder, write nothing.

Prints every problem as ``path:line: message`` (sorted) and ``N problems``, exit status 1;
or ``ok: C courses, M modules, Q questions``, exit status 0.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from educational.catalog.content import LoadResult, load_tree


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m educational.catalog.check",
        description="Check the course content folder and print every problem.",
    )
    parser.add_argument("path", nargs="?", default="courses", help="content folder (courses)")
    arguments = parser.parse_args(argv)
    return check(Path(arguments.path), sys.stdout)


def check(path: Path, out: TextIO) -> int:
    """Check ``path``, print the report to ``out``; the exit status (0 ok, 1 problems)."""
    try:
        result = load_tree(path)
    except Exception as error:
        # load_tree reports per file and should never get here; still, no traceback for users.
        print(
            f"{path}:1: the checker failed ({type(error).__name__}: {error}); please report it",
            file=out,
        )
        print("1 problem", file=out)
        return 1
    for line in report_lines(result):
        print(line, file=out)
    return 0 if result.ok else 1


def report_lines(result: LoadResult) -> list[str]:
    """The lines ``check`` prints: one per problem and a summary."""
    if result.tree is None or result.problems:
        count = len(result.problems)
        summary = f"{count} problem{'' if count == 1 else 's'}"
        return [*(str(problem) for problem in result.problems), summary]
    tree = result.tree
    return [
        f"ok: {len(tree.courses)} courses, {tree.module_count} modules, "
        f"{tree.question_count} questions"
    ]


if __name__ == "__main__":
    sys.exit(main())

"""Problems found in course content, and the per-file collector that records them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing to fix, at ``path:line``.

    ``path`` is relative to the checked folder, with forward slashes; ``line`` is 1-based and
    is 1 for problems about a whole file (missing, unreadable, not text).
    """

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class Report:
    """Collects the problems of one file into a shared list.

    Validators take a Report instead of raising, so that one bad value never hides the next
    one: the author sees every problem of a file in a single run.
    """

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self._problems = problems
        #: How many problems this report has added; callers compare it before and after a
        #: step to learn whether that step found anything.
        self.count = 0

    def add(self, line: int, message: str) -> None:
        self._problems.append(Problem(self.path, max(1, line), message))
        self.count += 1


def guarded(report: Report, load: Callable[[], T]) -> T | None:
    """Run one file's loader; turn an unexpected exception into a problem of that file.

    The loaders are written never to raise; this is the safety net that keeps a bug in them
    from hiding every other file's problems behind a traceback.
    """
    try:
        return load()
    except Exception as error:
        report.add(
            1,
            f"the checker failed on this file ({type(error).__name__}: {error}); "
            "this is a bug in the checker, please report it",
        )
        return None

"""axe-core, vendored in vendor/axe.min.js, run in the page under test.

The script is evaluated through the DevTools protocol, which the app's
Content-Security-Policy (``script-src 'self'``) does not govern, so the pages are checked
exactly as they are served. Every check is recorded: which page, in which language, for whom,
and what axe found."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

#: The impacts that fail a test; the others are printed.
BLOCKING = ("serious", "critical")

RUN_AXE = """async () => {
  const results = await window.axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5),
  }));
}"""


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]


@dataclass(frozen=True)
class PageCheck:
    #: Who looked at the page: "anonymous", "learner", "staff", "member".
    who: str
    language: str
    #: Path and query, e.g. /courses/asi-auditor.
    path: str
    title: str
    violations: tuple[Violation, ...]

    @property
    def blocking(self) -> list[Violation]:
        return [v for v in self.violations if v.impact in BLOCKING]


class Axe:
    def __init__(self, script: Path) -> None:
        self.script = script
        self._source: str | None = None
        self.checks: list[PageCheck] = []

    @property
    def source(self) -> str:
        if self._source is None:
            self._source = self.script.read_text(encoding="utf-8")
        return self._source

    @property
    def version(self) -> str:
        found = re.search(r"axe v(\d+\.\d+\.\d+)", self.source[:200])
        return found.group(1) if found else "?"

    def check(self, page, who: str) -> PageCheck:
        """Run axe on the page as it is now; record and return what it found."""
        page.wait_for_load_state("load")
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(self.source)
        found = page.evaluate(RUN_AXE)
        parts = urlsplit(page.url)
        result = PageCheck(
            who=who,
            language=page.evaluate("() => document.documentElement.lang"),
            path=parts.path + (f"?{parts.query}" if parts.query else ""),
            title=page.title(),
            violations=tuple(
                Violation(v["id"], v["impact"] or "minor", v["help"], tuple(v["nodes"]))
                for v in found
            ),
        )
        self.checks.append(result)
        return result

    def mark(self) -> int:
        """A position in the record: ``assert_clean(since=mark)`` looks only after it."""
        return len(self.checks)

    def assert_clean(self, since: int = 0, until: int | None = None) -> None:
        """Fail on serious or critical violations among the checks from ``since`` (up to
        ``until``); print the others."""
        checks = self.checks[since:until]
        assert checks, "axe checked no page"
        for check in checks:
            for violation in check.violations:
                if violation.impact not in BLOCKING:
                    print(
                        f"axe ({violation.impact}) {violation.rule} on {check.language} "
                        f"{check.path}: {violation.help} {list(violation.targets)}"
                    )
        blocking = [
            f"{check.language} {check.path} ({check.who}): {v.impact} {v.rule}: {v.help} "
            f"{list(v.targets)}"
            for check in checks
            for v in check.blocking
        ]
        assert not blocking, "axe found serious or critical violations:\n" + "\n".join(blocking)

    def visited(self, language: str) -> list[tuple[str, str]]:
        """(who, path) of the pages checked in ``language``, in order, each once."""
        seen = dict.fromkeys((c.who, c.path) for c in self.checks if c.language == language)
        return list(seen)

    def summary_lines(self) -> list[str]:
        if not self.checks:
            return ["axe: no page checked"]
        by_language: dict[str, int] = defaultdict(int)
        for check in self.checks:
            by_language[check.language] += 1
        languages = ", ".join(f"{lang}: {n}" for lang, n in sorted(by_language.items()))
        distinct = len({(c.language, _route(c.path)) for c in self.checks})
        lines = [
            f"axe-core {self.version}: {len(self.checks)} page checks ({languages}); "
            f"{distinct} distinct pages by language and route"
        ]
        counts: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        for check in self.checks:
            for v in check.violations:
                counts[(v.impact, v.rule, v.help)].add(f"{check.language} {_route(check.path)}")
        blocking = sum(len(p) for (impact, _r, _h), p in counts.items() if impact in BLOCKING)
        lines.append(f"axe serious or critical: {blocking}")
        for (impact, rule, text), pages in sorted(counts.items()):
            lines.append(f"axe {impact} {rule} ({text}): {len(pages)} pages, e.g. {min(pages)}")
        return lines


def _route(path: str) -> str:
    """The page's route, without ids and query: /attempts/12 -> /attempts/<n>."""
    path = path.split("?")[0]
    path = re.sub(r"/\d+(?=/|$)", "/<n>", path)
    path = re.sub(r"/[0-9A-Z]{4}(-[0-9A-Z]{4}){4}(?=/|$)", "/<code>", path)
    return re.sub(r"/ASI-\d+", "/<registry-id>", path)

"""NN-<module>.md and its translations: front matter, Markdown body, the images it shows."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from educational.catalog.content.fields import Fields
from educational.catalog.content.problems import Report
from educational.catalog.content.yamlsource import parse_mapping, quote, read_text

FRONT_MATTER_KEYS = ("title", "estimated_minutes", "quiz")

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+).*?\1")
_INLINE_IMAGE = re.compile(
    r"!\[[^\]]*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
)
_REFERENCE_IMAGE = re.compile(r"!\[([^\]]*)\]\[([^\]]*)\]")
_REFERENCE_DEFINITION = re.compile(r" {0,3}\[([^\]^][^\]]*)\]:\s*(<[^>]*>|\S+)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", re.IGNORECASE)
_URL_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class ModuleSource:
    """A parsed module file (an original or a translation)."""

    title: str
    #: None when not given (allowed in a translation only).
    estimated_minutes: int | None
    quiz: str | None
    #: Lines of the front matter keys, for messages about them (1 when absent).
    quiz_line: int
    estimated_minutes_line: int
    #: The Markdown after the front matter.
    body: str


def load_module(
    path: Path, report: Report, images: set[str], *, translation: bool
) -> ModuleSource | None:
    text = read_text(path, report)
    if text is None:
        return None
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        report.add(
            1,
            "a module starts with front matter: a --- line, title: and estimated_minutes:, "
            "then another --- line",
        )
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        report.add(1, "the front matter that starts on line 1 has no closing --- line")
        return None
    node = parse_mapping("\n".join(lines[1:end]), report, first_line=2)
    body = "\n".join(lines[end + 1 :])
    check_images(body, end + 2, report, images)
    if node is None:
        return None
    front = Fields(
        node,
        report,
        "the front matter",
        allowed=FRONT_MATTER_KEYS,
        required=("title",) if translation else ("title", "estimated_minutes"),
    )
    return ModuleSource(
        title=front.text("title"),
        estimated_minutes=(
            front.integer("estimated_minutes", 0, minimum=1)
            if front.has("estimated_minutes")
            else None
        ),
        quiz=front.ident("quiz") or None,
        quiz_line=front.line_of("quiz") if front.has("quiz") else 1,
        estimated_minutes_line=front.line_of("estimated_minutes"),
        body=body,
    )


def check_images(body: str, first_line: int, report: Report, images: set[str]) -> None:
    """Report every image of ``body`` that is not a file of the course's images/ folder."""
    found: list[tuple[str, int]] = []
    references: list[tuple[str, int]] = []
    definitions: dict[str, str] = {}
    fence: str | None = None
    for number, line in enumerate(body.split("\n"), start=first_line):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        line = _CODE_SPAN.sub("", line)
        found += [(match.group(1), number) for match in _INLINE_IMAGE.finditer(line)]
        found += [(match.group(1).strip("\"'"), number) for match in _HTML_IMAGE.finditer(line)]
        for match in _REFERENCE_IMAGE.finditer(line):
            references.append(((match.group(2) or match.group(1)).lower(), number))
        definition = _REFERENCE_DEFINITION.match(line)
        if definition:
            definitions.setdefault(definition.group(1).lower(), definition.group(2))
    found += [(definitions[label], line) for label, line in references if label in definitions]
    for source, line in found:
        problem = image_problem(source, images)
        if problem:
            report.add(line, problem)


def image_problem(source: str, images: set[str]) -> str | None:
    """Why ``source`` (as written in Markdown) is not a usable image, or None."""
    target = unquote(source.removeprefix("<").removesuffix(">"))
    if _URL_SCHEME.match(target) or target.startswith("//"):
        return (
            f"the image {quote(source)} is not a file of this course; "
            "copy it into images/ and write images/<file>"
        )
    path = target.split("#", 1)[0].split("?", 1)[0]
    if path.startswith("/") or ".." in path.split("/"):
        return (
            f"the image {quote(source)} points outside the course's images/ folder; "
            "write a path like images/<file>"
        )
    path = posixpath.normpath(path)
    if not path.startswith("images/"):
        return f"the image {quote(source)} must be in the course's images/ folder (images/<file>)"
    if path not in images:
        return (
            f"the image {quote(source)} is not in the course's images/ folder; "
            "add the file or fix the name"
        )
    return None

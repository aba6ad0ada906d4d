"""Does the page fit its window? The same page is resized (not reloaded) to each width, and
two things are read: the document is no wider than the window (nothing scrolls sideways),
and no visible element reaches past either edge, unless a scrolling box holds it (a wide
table in a ``.table-scroll`` box may scroll inside itself; the page may not)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

#: The widths every page of the journeys is checked at: a phone, a laptop, a large screen.
WIDTHS = (375, 1280, 1920)

#: What sticks out, read in the page: the document's width and the first few offenders.
OVERFLOW = """() => {
  const root = document.documentElement;
  const width = window.innerWidth;
  const inScroller = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") { return true; }
    }
    return false;
  };
  const describe = (el, left, right) => {
    const id = el.id ? "#" + el.id : "";
    const cls = typeof el.className === "string" && el.className.trim()
      ? "." + el.className.trim().split(/\\s+/).join(".") : "";
    const text = (el.innerText || el.value || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    const span = `[${Math.round(left)}..${Math.round(right)}]`;
    return `${el.tagName.toLowerCase()}${id}${cls} ${span} ${text}`;
  };
  const elements = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) { continue; }
    // Not drawn: inside a closed <details> (the header's menu), or hidden.
    if (!el.checkVisibility({visibilityProperty: true})) { continue; }
    const left = box.left + window.scrollX;
    const right = box.right + window.scrollX;
    if (right <= width + 0.5 && left >= -0.5) { continue; }
    if (inScroller(el)) { continue; }
    elements.push(describe(el, left, right));
    if (elements.length >= 5) { break; }
  }
  return {
    width: width,
    wider: root.scrollWidth > width ? root.scrollWidth : 0,
    elements: elements,
  };
}"""


def overflows(page, widths=WIDTHS) -> list[str]:
    """What does not fit at each width, as sentences (none: the page fits everywhere). The
    page is resized, not reloaded, and left at the size it had."""
    before = page.viewport_size
    found = []
    try:
        for width in widths:
            page.set_viewport_size({"width": width, "height": before["height"]})
            result = page.evaluate(OVERFLOW)
            assert result["width"] == width, f"the window is {result['width']} px, not {width}"
            if result["wider"]:
                found.append(
                    f"at {width} px the page is {result['wider']} px wide (it scrolls sideways)"
                )
            if result["elements"]:
                found.append(f"at {width} px these stick out: {'; '.join(result['elements'])}")
    finally:
        page.set_viewport_size(before)
    return found


@dataclass(frozen=True)
class FitCheck:
    who: str
    language: str
    path: str
    #: What did not fit (empty: the page fits at every width).
    found: tuple[str, ...]


class Fit:
    """The record of every page checked, like ``Axe``: ``check`` after each page a journey
    looks at, ``assert_fits`` at the end of the journey."""

    def __init__(self, widths=WIDTHS) -> None:
        self.widths = widths
        self.checks: list[FitCheck] = []

    def check(self, page, who: str) -> FitCheck:
        parts = urlsplit(page.url)
        result = FitCheck(
            who=who,
            language=page.evaluate("() => document.documentElement.lang"),
            path=parts.path + (f"?{parts.query}" if parts.query else ""),
            found=tuple(overflows(page, self.widths)),
        )
        self.checks.append(result)
        return result

    def mark(self) -> int:
        return len(self.checks)

    def assert_fits(self, since: int = 0, until: int | None = None) -> None:
        checks = self.checks[since:until]
        assert checks, "no page was checked for its fit"
        bad = [
            f"{check.language} {check.path} ({check.who}): {line}"
            for check in checks
            for line in check.found
        ]
        assert not bad, "pages that do not fit their window:\n" + "\n".join(bad)

    def summary_line(self) -> str:
        languages = sorted({c.language for c in self.checks})
        bad = sum(1 for c in self.checks if c.found)
        widths = ", ".join(str(w) for w in self.widths)
        return (
            f"fit at {widths} px: {len(self.checks)} page checks ({', '.join(languages)}); "
            f"{bad} did not fit"
        )

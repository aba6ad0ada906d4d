"""Text helpers for the GIFT converter: escapes, text format markers, HTML, slugs."""

from __future__ import annotations

import re
import textwrap
import unicodedata
from html.parser import HTMLParser

# GIFT's escapes (\~ \= \# \{ \} \: \\ and \n) are swapped for private-use characters (plane 15,
# which real question files do not use) while a question is cut into parts, so that an escaped
# "=" is never taken for an answer marker. Each finished piece of text gets them swapped back.
_ESCAPED = {"~": "~", "=": "=", "#": "#", "{": "{", "}": "}", ":": ":", "\\": "\\", "n": "\n"}
_PLACEHOLDERS = {letter: chr(0xF0000 + ord(letter)) for letter in _ESCAPED}
_RESTORE = str.maketrans({_PLACEHOLDERS[letter]: char for letter, char in _ESCAPED.items()})
_ESCAPE = re.compile(r"\\([~=#{}:\\n])")

_FORMAT_MARKER = re.compile(r"\s*\[(moodle|html|plain|markdown)\]")


def protect_escapes(line: str) -> str:
    """The line with each GIFT escape replaced by its placeholder."""
    return _ESCAPE.sub(lambda match: _PLACEHOLDERS[match.group(1)], line)


def restore_escapes(text: str) -> str:
    """The text with each placeholder turned back into the character it stands for."""
    return text.translate(_RESTORE)


def split_format(text: str, default: str = "moodle") -> tuple[str, str]:
    """The text format named by a leading [html], [moodle], [markdown] or [plain], and the rest.

    Like Moodle, a piece without a marker has the format of its question.
    """
    match = _FORMAT_MARKER.match(text)
    if match is None:
        return default, text
    return match.group(1), text[match.end() :]


def render_text(text: str, text_format: str) -> str:
    """Learner-facing Markdown for a piece of GIFT text that still holds placeholders.

    Only [html] text is changed (see html_to_markdown); [moodle], [markdown] and [plain] text is
    kept as written, since Markdown shows plain sentences and Moodle's light markup as they are.
    """
    text = restore_escapes(text)
    if text_format == "html":
        return html_to_markdown(text)
    return tidy(text)


def tidy(text: str) -> str:
    """The text without common indentation, trailing spaces, or blank lines around it.

    Trailing spaces would keep the YAML writer from using a readable `|` block.
    """
    lines = [line.rstrip() for line in textwrap.dedent(text).split("\n")]
    return "\n".join(lines).strip()


def slugify(text: str, max_length: int = 60) -> str:
    """Lower-case letters, digits and hyphens from the text; "" when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def html_to_markdown(html: str) -> str:
    """Markdown for the simple HTML that question texts hold.

    Paragraphs, line breaks (made paragraph breaks: Markdown has no plain-text hard break),
    headings, bold, italics, code, links, images and lists become Markdown; other tags are
    dropped and their text kept; entities are decoded.
    """
    writer = _MarkdownWriter()
    try:
        writer.feed(html)
        writer.close()
    except AssertionError:
        # html.parser raises AssertionError on a malformed "<![...[" section; such text is not
        # simple HTML, so it is kept as written for the author to tidy by hand.
        return tidy(html)
    return writer.markdown()


class _MarkdownWriter(HTMLParser):
    _BLOCKS = frozenset({"p", "div", "br", "blockquote", "table", "tr", "section", "article"})
    _HEADINGS = {f"h{level}": "#" * level for level in range(1, 7)}
    _EMPHASIS = {"b": "**", "strong": "**", "i": "*", "em": "*"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._links: list[str | None] = []  # href of each open <a>
        self._lists: list[int | None] = []  # per open list: None for <ul>, last number for <ol>
        self._in_pre = 0
        self._hidden = 0  # inside <script> or <style>
        self._line_start = True  # white space here is dropped, as a browser would

    def markdown(self) -> str:
        text = "\n".join(line.rstrip() for line in "".join(self._parts).split("\n"))
        return re.sub(r"\n{3,}", "\n\n", text).strip()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("script", "style"):
            self._hidden += 1
        elif tag in self._BLOCKS or tag == "hr":
            self._break()
            if tag == "hr":
                self._markup("---")
                self._break()
        elif tag in self._HEADINGS:
            self._break()
            self._markup(self._HEADINGS[tag] + " ")
        elif tag in self._EMPHASIS:
            self._markup(self._EMPHASIS[tag])
        elif tag == "code" and not self._in_pre:
            self._markup("`")
        elif tag == "pre":
            self._break()
            self._markup("```\n")
            self._in_pre += 1
        elif tag == "a":
            href = attributes.get("href")
            self._links.append(href)
            if href:
                self._markup("[")
        elif tag == "img":
            alt = attributes.get("alt") or ""
            self._markup(f"![{alt}]({attributes.get('src') or ''})")
            self._line_start = False
        elif tag in ("ul", "ol"):
            if not self._lists:
                self._break()
            self._lists.append(None if tag == "ul" else 0)
        elif tag == "li":
            self._list_item()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)
        elif tag in self._BLOCKS or tag in self._HEADINGS:
            self._break()
        elif tag in self._EMPHASIS:
            self._close(self._EMPHASIS[tag])
        elif tag == "code" and not self._in_pre:
            self._close("`")
        elif tag == "pre" and self._in_pre:
            self._in_pre -= 1
            self._markup("\n```")
            self._break()
        elif tag == "a" and self._links:
            href = self._links.pop()
            if href:
                self._markup(f"]({href})")
        elif tag in ("ul", "ol") and self._lists:
            self._lists.pop()
            if not self._lists:
                self._break()

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        if self._in_pre:
            self._parts.append(data)
            return
        # Only ASCII white space collapses in HTML; &nbsp; stays.
        data = re.sub(r"[ \t\n\r\f]+", " ", data)
        if self._line_start:
            data = data.lstrip()
        if data:
            self._parts.append(data)
            self._line_start = False

    def _markup(self, text: str) -> None:
        # Markup does not end white-space dropping: "<b> x</b>" must give "**x**".
        self._parts.append(text)

    def _close(self, marker: str) -> None:
        # "<b>x </b>y" must give "**x** y": Markdown ignores "**x **".
        if self._parts and self._parts[-1].endswith(" "):
            self._parts[-1] = self._parts[-1].rstrip(" ")
            self._parts.append(marker + " ")
        else:
            self._parts.append(marker)

    def _break(self) -> None:
        self._parts.append("\n\n")
        self._line_start = True

    def _list_item(self) -> None:
        if not self._lists:
            self._lists.append(None)
        number = self._lists[-1]
        marker = "- " if number is None else f"{number + 1}. "
        if number is not None:
            self._lists[-1] = number + 1
        self._parts.append("\n" + "    " * (len(self._lists) - 1) + marker)
        self._line_start = True

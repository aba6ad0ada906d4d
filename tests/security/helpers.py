"""Shared by the security tests: a module-wide app, a client that checks every answer, the
hostile inputs, and the checks that a page renders them inert."""

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy import select, text
from werkzeug.routing import Rule

from educational import create_app
from educational.core.db import db
from tests.conftest import ON_POSTGRES, base_config

#: The stored-XSS payload of the brief: a script, an event handler, an attribute break-out.
XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>\"'><svg onload=alert(1)>"
#: For file names, which may not hold a slash.
XSS_NO_SLASH = "<img src=x onerror=alert(1)>\"'><svg onload=alert(1)>"
#: What must never appear as markup in a page (the payload's tags, unescaped).
C0_AND_SPACE = "".join(map(chr, range(0x21)))
RAW_MARKUP = ("<script>alert", "<img src=x", "<svg onload", "<svg/onload")


def payload(marker: str, prefix: str = "") -> str:
    """The XSS payload tagged with ``marker`` (which shows where it is displayed), behind an
    optional spreadsheet-formula ``prefix`` (which shows how a CSV export defuses it)."""
    return f"{prefix}{marker} {XSS}"


# The app


def make_app(tmp_path: Path, **overrides) -> Flask:
    """An app on its own database, as the ``app`` fixture builds one, but for a whole module.
    Rate limits are off: the tests log in and post far more often than a person."""
    config = {
        "RATELIMIT_ENABLED": False,
        "REGISTRY_STATISTICS_SECONDS": 0,
        "REGISTRY_SCHEME_SECONDS": 0,
        **overrides,
    }
    app = create_app(base_config(tmp_path, **config))
    if not ON_POSTGRES:
        with app.app_context():
            db.create_all()
    return app


def dispose_app(app: Flask) -> None:
    with app.app_context():
        if ON_POSTGRES:
            tables = ", ".join(t.name for t in db.metadata.sorted_tables)
            with db.engine.begin() as connection:
                connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


def table_counts(app: Flask) -> dict[str, int]:
    """Rows per table: a cheap fingerprint of the whole database."""
    with app.app_context():
        return {
            table.name: db.session.scalar(select(db.func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


# URLs


def rule_arguments(rule: Rule) -> dict[str, str]:
    """The rule's arguments and the kind of each (integer, default, path, ...)."""
    return {
        name: type(converter).__name__.removesuffix("Converter").lower()
        for name, converter in rule._converters.items()
    }


def url_for_rule(app: Flask, rule: Rule, values: dict) -> str:
    with app.test_request_context():
        return app.url_for(rule.endpoint, **values)


def methods_of(rule: Rule) -> set[str]:
    return set(rule.methods or ()) - {"HEAD", "OPTIONS"}


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# Checks on what the app answers


class _Inspector(HTMLParser):
    """Collects markup that would run script: event-handler attributes, inline scripts,
    javascript: URLs. The app has none of its own (its CSP forbids them), so any found is
    an injection."""

    URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "data", "xlink:href"})

    def __init__(self, sanitised_markup: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.sanitised_markup = sanitised_markup
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag}> has an event handler {name}={value!r}")
            if name in self.URL_ATTRIBUTES and value:
                scheme = re.sub(r"[\x00-\x20]", "", value).lower()
                if scheme.startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.problems.append(f"<{tag}> {name}={value!r}")
        if tag == "script" and not values.get("src"):
            self.problems.append("an inline <script>")
        injected = tag in ("img", "svg", "iframe", "object", "embed") and values.get("src") == "x"
        if injected and not (self.sanitised_markup and tag == "img"):
            self.problems.append(f"an injected <{tag} src=x>")

    handle_startendtag = handle_starttag


def markup_problems(html: str, *, sanitised_markup: bool = False) -> list[str]:
    """Why ``html`` could run an injected script; empty when it cannot. With
    ``sanitised_markup`` (course content, whose HTML is allowed but sanitised) an image
    that survived sanitising is not a problem; a handler or a script still is."""
    problems = [f"raw {snippet!r}" for snippet in RAW_MARKUP if snippet in html]
    inspector = _Inspector(sanitised_markup)
    inspector.feed(html)
    inspector.close()
    return problems + inspector.problems


#: What a spreadsheet reads as the start of a formula (OWASP, CSV injection). The tests'
#: own list: the app's could lose a character unnoticed.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_problems(body: str) -> list[str]:
    """Cells a spreadsheet would run as a formula."""
    return [
        f"row {n}: {cell!r}"
        for n, row in enumerate(csv.reader(io.StringIO(body)))
        for cell in row
        if cell.startswith(FORMULA_STARTS)
    ]


def is_html(response) -> bool:
    return response.mimetype == "text/html"


def off_site(location: str, host: str = "localhost") -> bool:
    """Whether a browser could leave ``host`` following ``location``. Browsers drop tabs and
    newlines anywhere in a URL, strip leading control characters and spaces, and read a
    backslash as a slash (WHATWG URL standard). Conservatively, any location with a scheme
    or an authority (``//``) is off-site unless it names ``host`` over http(s)."""
    cleaned = re.sub(r"[\t\n\r]", "", location).lstrip(C0_AND_SPACE).replace("\\", "/")
    parts = urlsplit(cleaned)
    if parts.scheme or cleaned.startswith("//"):
        return parts.scheme not in ("http", "https", "") or parts.netloc != host
    return False

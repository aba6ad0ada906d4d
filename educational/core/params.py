"""One parser for every whole number that arrives as text: query arguments, form fields,
URL segments and API parameters.

Python's own ``int()`` and ``str.isdigit()`` are too generous for that. ``"²".isdigit()`` is
true, yet ``int("²")`` fails; ``int("٣")`` (an Arabic-Indic three) is 3, and full-width
digits count too; ``int("1_000")`` is 1000; and ``int()`` of thousands of digits is slow,
refused past 4,300 digits, and its result overflows the database's integers. Each of these
was a 500 somewhere. Here a whole number is ASCII digits only, with a minus sign only where
negative numbers are allowed, of bounded length, within bounds the caller states. Pure: no
Flask, no database."""

import re

#: The largest id a URL or a query may name: the range of the database's INTEGER keys.
MAX_ID = 2**31 - 1
#: The range of the database's BIGINT (cursors of the change feed).
MAX_BIGINT = 2**63 - 1
#: Longer text is no number we accept; it is refused before ``int()`` spends time on it.
#: (Page numbers "however large" answer an empty page, so the bound is generous.)
MAX_LENGTH = 1000

_WHOLE = re.compile(r"-?[0-9]+")
#: Spaces around a typed number are forgiven, as browsers and ``int()`` do; only ASCII ones.
_SPACE = " \t\r\n"


def parse_int(
    text: str | None, *, minimum: int | None = 0, maximum: int | None = MAX_ID
) -> int | None:
    """``text`` as a whole number from ``minimum`` to ``maximum``, or None when it is missing,
    not a whole number written in ASCII digits, or out of bounds. ``None`` for a bound means
    unbounded on that side (the length stays bounded); a leading minus is accepted only when
    ``minimum`` allows negative numbers."""
    if not isinstance(text, str):
        return None
    text = text.strip(_SPACE)
    if len(text) > MAX_LENGTH or not _WHOLE.fullmatch(text):
        return None
    if text.startswith("-") and minimum is not None and minimum >= 0:
        return None
    number = int(text)
    if minimum is not None and number < minimum:
        return None
    if maximum is not None and number > maximum:
        return None
    return number


def clean_text(value: str | None, limit: int = 200) -> str:
    """Free text as searched: control characters (NUL among them, which PostgreSQL refuses
    in text: a 500) dropped, spaces trimmed, at most ``limit`` characters."""
    text = "".join(ch for ch in (value or "") if ch >= " " and ch != "\x7f")
    return text.strip()[:limit]

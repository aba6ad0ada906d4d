"""SQL pieces the registry's queries share (search, entries, exports, the shortlist):
portable across SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import String, cast

#: Ids per IN (...) list: below SQLite's oldest limit on bound parameters (999).
CHUNK = 900


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def countries_contain(column, country: str):
    """A JSON list column holds ``country`` (a validated two-letter code, stored in capitals
    as everywhere): a text match on the serialised list, portable across SQLite and
    PostgreSQL."""
    return cast(column, String).like(f'%"{country}"%')

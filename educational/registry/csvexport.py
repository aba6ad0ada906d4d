"""CSV exports of the registry and of a shortlist, streamed row by row.

Every cell that a spreadsheet would read as a formula (it starts with =, +, -, @, a tab or
a carriage return) gets a leading apostrophe, so opening the file never runs anything."""

import csv
import io
from collections.abc import Iterable, Iterator

from .entries import Entry, entry_url

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

REGISTRY_COLUMNS = (
    "registry_id",
    "name",
    "accreditations",
    "scopes",
    "countries",
    "languages",
    "firms",
    "url",
)


def defuse(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _line(cells: Iterable[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([defuse(cell) for cell in cells])
    return buffer.getvalue()


def _accreditations(entry: Entry) -> str:
    return "; ".join(
        f"{a.role} ({a.status}, {a.valid_from.isoformat()} to {a.valid_until.isoformat()})"
        for a in entry.accreditations
    )


def _scopes(entry: Entry) -> str:
    scopes = {
        f"{s.standard} v{s.version} {s.sector}" for a in entry.active for s in a.active_scopes
    }
    return "; ".join(sorted(scopes))


def registry_rows(batches: Iterable[list[Entry]]) -> Iterator[str]:
    """The header, then one line per entry."""
    yield _line(REGISTRY_COLUMNS)
    for entries in batches:
        for entry in entries:
            yield _line(
                [
                    entry.registry_id,
                    entry.name,
                    _accreditations(entry),
                    _scopes(entry),
                    " ".join(entry.countries),
                    " ".join(entry.languages),
                    "; ".join(firm.name for firm in entry.firms),
                    entry_url(entry.registry_id),
                ]
            )


SHORTLIST_COLUMNS = ("registry_id", "name", "role", "valid_until", "countries", "firms", "url")


def shortlist_rows(rows: Iterable[tuple[Entry, str, str]]) -> Iterator[str]:
    """``rows``: (entry, role held, last valid day) per eligible person."""
    yield _line(SHORTLIST_COLUMNS)
    for entry, role, valid_until in rows:
        yield _line(
            [
                entry.registry_id,
                entry.name,
                role,
                valid_until,
                " ".join(entry.countries),
                "; ".join(firm.name for firm in entry.firms),
                entry_url(entry.registry_id),
            ]
        )

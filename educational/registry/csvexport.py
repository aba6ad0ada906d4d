"""CSV exports of the registry and of a shortlist, streamed row by row (cells defused by
``educational.core.export``)."""

from collections.abc import Iterable, Iterator

from educational.core.export import csv_line

from .entries import Entry, entry_url

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
    yield csv_line(REGISTRY_COLUMNS)
    for entries in batches:
        for entry in entries:
            yield csv_line(
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
    yield csv_line(SHORTLIST_COLUMNS)
    for entry, role, valid_until in rows:
        yield csv_line(
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

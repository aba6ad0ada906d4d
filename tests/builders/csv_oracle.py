"""The registry CSV as it was built before it streamed (issue 10's code: the registry's
entries, then a line per person; ``git show 4d77971^:educational/registry/csvexport.py``):
the oracle the streamed bytes are compared with (tests/registry/test_export_stream.py) and
the "before" of benchmarks/exports.py. Call it inside a request context."""

from collections.abc import Iterator
from datetime import date

from educational.core.db import db
from educational.core.export import csv_line
from educational.registry import search
from educational.registry.csvexport import REGISTRY_COLUMNS
from educational.registry.entries import entry_url, load_entries
from educational.registry.sql import CHUNK


def registry_csv_before(query, scheme, day: date) -> Iterator[str]:
    """The lines of the whole-registry CSV for ``query`` (a loaded ``RegistrySearch``)."""
    yield csv_line(REGISTRY_COLUMNS)
    ids = [row[0] for row in db.session.execute(search.matching_people(query, scheme, day))]
    for start in range(0, len(ids), CHUNK):
        for entry in load_entries(ids[start : start + CHUNK], day):
            yield csv_line(entry_row(entry))


def entry_row(entry) -> list[str]:
    """One person's CSV row, built from the registry's own entry (what the pages and the
    API show)."""
    return [
        entry.registry_id,
        entry.name,
        "; ".join(
            f"{a.role} ({a.status}, {a.valid_from.isoformat()} to {a.valid_until.isoformat()})"
            for a in entry.accreditations
        ),
        "; ".join(
            sorted(
                {
                    f"{s.standard} v{s.version} {s.sector}"
                    for a in entry.active
                    for s in a.active_scopes
                }
            )
        ),
        " ".join(entry.countries),
        " ".join(entry.languages),
        "; ".join(firm.name for firm in entry.firms),
        entry_url(entry.registry_id),
    ]

"""CSV exports of the registry and of a shortlist, streamed from the database in constant
memory, one chunk of lines per batch of people. Cells are defused by
``educational.core.export``.

The registry CSV is the whole registry for anyone, so it is read the cheap way: one query
in the registry's order through a server-side cursor (``yield_per``), a row per
accreditation with the person's active scopes, verified languages and current firms
aggregated beside it in SQL. It shows what ``entries.Entry`` shows (the tests compare the
two); reading every person through ``load_entries`` took several times longer (100,000
people: benchmarks/registry_csv.py)."""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import groupby
from operator import itemgetter

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import aliased

from educational.accreditation.models import (
    Accreditation,
    AccreditationScope,
    AuditFirm,
    FirmAffiliation,
    RegistryProfile,
)
from educational.accreditation.rules.status import shown_status
from educational.catalog.content.model import Scheme
from educational.core.db import db
from educational.core.export import FORMULA_STARTS, csv_line, csv_stream
from educational.experience.models import EntryStatus, LanguageSkill

from . import search
from .entries import Entry, current_affiliation, entry_url_maker
from .sql import CHUNK

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
#: Between aggregated values: scheme codes, language codes and ids never hold it.
SEPARATOR = "\x1f"


def _rows(query: search.RegistryQuery, scheme: Scheme | None, today: date):
    """The matches in order, one row per accreditation (in id order), each with the
    person's active scopes ("PS v3 casthouse"), verified languages and current firms' ids
    aggregated beside it (unordered: Python sorts them). One query, so one snapshot of the
    registry, and no second round trip per batch."""
    held = aliased(Accreditation)
    scopes = (
        select(
            func.aggregate_strings(
                AccreditationScope.standard
                + " v"
                + AccreditationScope.version
                + " "
                + AccreditationScope.sector,
                SEPARATOR,
            )
        )
        .join(Accreditation, Accreditation.id == AccreditationScope.accreditation_id)
        .where(
            Accreditation.profile_id == RegistryProfile.id,
            AccreditationScope.status == "active",
            Accreditation.shows("active", today),
        )
        .correlate(RegistryProfile)
        .scalar_subquery()
    )
    languages = (
        select(func.aggregate_strings(LanguageSkill.language, SEPARATOR))
        .where(
            LanguageSkill.user_id == RegistryProfile.user_id,
            LanguageSkill.status == EntryStatus.VERIFIED,
            LanguageSkill.withdrawn_at.is_(None),
        )
        .correlate(RegistryProfile)
        .scalar_subquery()
    )
    firms = (
        select(func.aggregate_strings(cast(FirmAffiliation.firm_id, String), SEPARATOR))
        .where(FirmAffiliation.profile_id == RegistryProfile.id, *current_affiliation(today))
        .correlate(RegistryProfile)
        .scalar_subquery()
    )
    columns = (held.role, held.status, held.valid_from, held.valid_until, held.countries)
    aggregated = (scopes.label("scopes"), languages.label("languages"), firms.label("firms"))
    return (
        search.matching_people(query, scheme, today, *columns, *aggregated)
        .join(held, held.profile_id == RegistryProfile.id)
        .order_by(held.id)
    )


def _split(aggregated: str | None) -> list[str]:
    return aggregated.split(SEPARATOR) if aggregated else []


def registry_lines(
    query: search.RegistryQuery, scheme: Scheme | None, today: date
) -> Iterator[list[list[str]]]:
    """The CSV rows of the people matching ``query``, ``CHUNK`` people at a time."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        # The per-person subqueries make the plan look expensive, and PostgreSQL would spend
        # a third of a second compiling it (JIT) to save less. For this transaction only.
        connection.exec_driver_sql("SET LOCAL jit = off")
        # Every row is read: plan for the whole result, not for the first tenth that a
        # cursor's plan assumes by default.
        connection.exec_driver_sql("SET LOCAL cursor_tuple_fraction = 1.0")
    # Firms are few; their names are listed in the database's order of names, as the
    # registry's pages list them.
    firm_names = connection.execute(select(AuditFirm.id, AuditFirm.name).order_by(AuditFirm.name))
    firm_rank = {str(firm_id): (rank, name) for rank, (firm_id, name) in enumerate(firm_names)}
    url = entry_url_maker()
    rows = connection.execute(_rows(query, scheme, today).execution_options(yield_per=CHUNK))
    lines = []
    # A person's rows are adjacent: the order ends with the (unique) registry id.
    for _profile, held in groupby(rows, key=itemgetter(0)):
        accreditations = list(held)
        _p, _u, registry_id, name, *_a, scopes, languages, firms = accreditations[0]
        lines.append(
            [
                registry_id,
                name,
                "; ".join(
                    f"{role} ({shown_status(status, until, today)}, "
                    f"{since.isoformat()} to {until.isoformat()})"
                    for _p, _u, _r, _n, role, status, since, until, *_rest in accreditations
                ),
                "; ".join(sorted(set(_split(scopes)))),
                " ".join(sorted({c.upper() for row in accreditations for c in row[8] or ()})),
                " ".join(sorted(set(_split(languages)))),
                "; ".join(firm for _rank, firm in sorted(map(firm_rank.get, _split(firms)))),
                url(registry_id),
            ]
        )
        if len(lines) == CHUNK:
            yield lines
            lines = []
    if lines:
        yield lines


def registry_csv(query: search.RegistryQuery, scheme: Scheme | None, today: date) -> Iterator[str]:
    """The registry CSV, as chunks of text (streamed by ``csv_response``): the header, then
    one chunk per batch. The same bytes as ``csv_stream`` would write; every cell here is
    text already, so each is only defused (``csv_cell``'s rule for text), a tenth of the
    time of a 100,000-person file saved (benchmarks/exports.py)."""
    yield csv_line(REGISTRY_COLUMNS)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for lines in registry_lines(query, scheme, today):
        writer.writerows(
            [cell if not cell.startswith(FORMULA_STARTS) else "'" + cell for cell in line]
            for line in lines
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


SHORTLIST_COLUMNS = ("registry_id", "name", "role", "valid_until", "countries", "firms", "url")


def shortlist_csv(batches: Iterable[list[tuple[Entry, str, str]]]) -> Iterator[str]:
    """``batches`` of (entry, role held, last valid day), one per eligible person."""
    url = entry_url_maker()
    return csv_stream(
        SHORTLIST_COLUMNS,
        (
            (
                [
                    entry.registry_id,
                    entry.name,
                    role,
                    valid_until,
                    " ".join(entry.countries),
                    "; ".join(firm.name for firm in entry.firms),
                    url(entry.registry_id),
                ]
                for entry, role, valid_until in rows
            )
            for rows in batches
        ),
    )

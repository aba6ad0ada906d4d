"""CSV exports. Cells typed by users are defused: a spreadsheet reads a cell starting with
= + - @, a tab or a carriage return as a formula (CSV injection), so such a cell gets a
leading apostrophe."""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from flask import Response, stream_with_context

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A value as a safe CSV cell: dates in ISO form, booleans as yes/no, text defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_line(cells: Iterable[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([csv_cell(cell) for cell in cells])
    return buffer.getvalue()


def csv_lines(rows: Iterable[Iterable[object]]) -> str:
    """Many lines at once (one writer for the lot): a streamed export sends a batch of rows
    per chunk rather than a chunk, and a write to the socket, per line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()


def csv_text(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    return csv_line(header) + "".join(csv_line(row) for row in rows)


def csv_stream(
    header: Iterable[str], batches: Iterable[Iterable[Iterable[object]]]
) -> Iterator[str]:
    """The header, then one chunk per batch of rows: for a streamed ``csv_response``."""
    yield csv_line(header)
    for rows in batches:
        chunk = csv_lines(rows)
        if chunk:
            yield chunk


def csv_response(body: str | Iterable[str], filename: str) -> Response:
    """A CSV download. ``body`` may be an iterable of chunks (``csv_stream``): it is then
    streamed, and read from the database as it goes, within the request's context."""
    return Response(
        body if isinstance(body, str) else stream_with_context(body),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )

"""CSV exports. Cells typed by users are defused: a spreadsheet reads a cell starting with
= + - @, a tab or a carriage return as a formula (CSV injection), so such a cell gets a
leading apostrophe."""

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime

from flask import Response

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


def csv_text(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    return csv_line(header) + "".join(csv_line(row) for row in rows)


def csv_response(body: str | Iterable[str], filename: str) -> Response:
    """A CSV download; ``body`` may be a generator of lines (streamed)."""
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )

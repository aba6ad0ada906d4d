"""Read the table of an import file: CSV (UTF-8, with or without a BOM, comma-separated, a
header row) or XLSX (the first sheet, same columns).

Every row comes with the line it starts on (CSV; a quoted value may span lines) or its row
number (XLSX), so every problem can be told as ``PATH:LINE: message``. Cells are stripped
strings; XLSX dates and numbers become the text a person would have typed (``2026-12-06``,
``12``)."""

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .problems import Problems

#: A CSV larger than this is refused before it is read (10,000 rows take about 2 MB).
MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class Table:
    path: Path
    columns: tuple[str, ...] = ()
    rows: list[Row] = field(default_factory=list)


def read_table(
    path: Path, required: tuple[str, ...], optional: tuple[str, ...], problems: Problems
) -> Table:
    """The rows of ``path``. Missing columns, an empty file, a wrong encoding or a file that is
    neither CSV nor XLSX are problems (the table is then empty); extra columns are warnings."""
    table = Table(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            problems.add(
                path, 1, f"the file is {size:,} bytes; the most an import reads is {MAX_BYTES:,}"
            )
            return table
        data = path.read_bytes()
    except OSError as error:
        problems.add(path, 0, f"cannot read the file: {error.strerror or error}")
        return table
    if data.startswith(b"PK\x03\x04"):
        lines = _xlsx_rows(path, data, problems)
    elif path.suffix.lower() in {".xlsx", ".xlsm", ".xls"}:
        problems.add(path, 1, "the file is named like a spreadsheet but is not an .xlsx file")
        return table
    else:
        lines = _csv_rows(path, data, problems)
    if lines is None:
        return table
    try:
        _fill(table, lines, required, optional, problems)
    except TableError as error:
        problems.add(path, error.line, error.message)
        table.rows.clear()
    return table


def _fill(table: Table, lines: Iterator, required, optional, problems: Problems) -> None:
    path = table.path
    header = next(lines, None)
    if header is None or not any(header[1]):
        problems.add(path, 1, "the file is empty: the first line must name the columns")
        return
    header_line, names = header
    table.columns = tuple(name.strip().lower() for name in names)
    known = set(required) | set(optional)
    seen: set[str] = set()
    for name in table.columns:
        if name and name in seen:
            problems.add(path, header_line, f"the column {name!r} is named twice")
        seen.add(name)
    missing = [name for name in required if name not in seen]
    separator = next((mark for mark in (";", "\t") if mark in "".join(names)), None)
    if missing and len(table.columns) == 1 and separator:
        problems.add(
            path,
            header_line,
            f"the columns are separated by {'semicolons' if separator == ';' else 'tabs'}; "
            'save the file as "CSV UTF-8 (comma delimited)" and import it again',
        )
        return
    if missing:
        problems.add(
            path,
            header_line,
            "missing column"
            + ("s " if len(missing) > 1 else " ")
            + ", ".join(missing)
            + f" (the columns are: {', '.join((*required, *optional))})",
        )
        return
    for name in table.columns:
        if name and name not in known:
            problems.warn(path, header_line, f"the column {name!r} is not known; it is ignored")
    for line, cells in lines:
        if not any(cell.strip() for cell in cells):
            continue  # blank lines and empty spreadsheet rows
        if len(cells) > len(table.columns) and any(c.strip() for c in cells[len(table.columns) :]):
            problems.add(
                path,
                line,
                f"{len(cells)} values, but the header names {len(table.columns)} columns",
            )
            continue
        values = {
            name: cells[index].strip() if index < len(cells) else ""
            for index, name in enumerate(table.columns)
            if name in known
        }
        table.rows.append(Row(line, values))
    if not table.rows:
        problems.add(path, header_line, "the file has a header but no rows")


def _csv_rows(path: Path, data: bytes, problems: Problems) -> Iterator | None:
    if b"\x00" in data[:4096]:
        problems.add(
            path, 1, "this is not a CSV file (it holds binary data); give a CSV or an XLSX"
        )
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.add(
            path,
            line,
            f"the file is not UTF-8 (byte 0x{data[error.start]:02x}); save it as "
            '"CSV UTF-8" and import it again',
        )
        return None
    return _numbered(csv.reader(io.StringIO(text, newline=""), strict=True))


def _numbered(reader) -> Iterator[tuple[int, list[str]]]:
    """(the line a record starts on, its cells): a quoted value may hold line breaks."""
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as error:
        raise TableError(start, f"not valid CSV: {error}") from None


class TableError(Exception):
    """A CSV that stops parsing half-way (an unclosed quote, a NUL byte)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


def _xlsx_rows(path: Path, data: bytes, problems: Problems) -> Iterator | None:
    import openpyxl  # here: only XLSX imports pay for loading it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        problems.add(path, 1, f"this is not a readable XLSX file ({error})")
        return None
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None:
        problems.add(path, 1, "the workbook has no sheet")
        return None
    return (
        (number, [_cell_text(cell) for cell in row])
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
    )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)

"""Reading a force's HR file: the header checked, the rows in chunks of CHUNK_ROWS.

tablib (which import-export reads with) loads a whole file into memory, and a 40,000-row file
must import in constant memory; so CSV is streamed with the csv module and XLSX with
openpyxl's read-only mode, and each chunk becomes one tablib.Dataset.

The file: UTF-8 CSV (with or without a byte-order mark; comma- or semicolon-separated, decided
from the header line) or XLSX (the first sheet). The first row names the columns; names are
case-insensitive, and spaces, hyphens and underscores are alike. See COLUMNS.
"""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import openpyxl
import tablib
from django.utils.translation import gettext

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 100_000
CHUNK_ROWS = 2000

# Canonical column -> other names HR systems use for it.
COLUMNS: dict[str, tuple[str, ...]] = {
    "email": ("email_address", "e_mail", "work_email"),
    "name": ("full_name",),
    "role": ("job_role",),
    "staff_number": ("staff_no", "staff_id", "collar_number", "employee_number"),
    "team": ("unit", "department"),
    "start_date": ("start", "started_on", "date_started"),
    "left": ("leaver", "left_on", "leaving_date"),
}
REQUIRED_COLUMNS = ("email", "name", "role")
_ALIASES = {alias: name for name, aliases in COLUMNS.items() for alias in (name, *aliases)}


class FileProblem(Exception):
    """The file as a whole cannot be read: one message that says what to do."""


def column_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "_", str(text or "").strip().lower()).strip("_")


@dataclass
class HrFile:
    """The header of an HR file, read and checked, and its data rows in chunks."""

    headers: list[str]  # canonical column names, in the file's order
    _rows: Iterator[list]

    def chunks(self) -> Iterator[tuple[int, tablib.Dataset]]:
        """(file row number of the chunk's first row, the chunk). Blank rows are dropped
        but keep their numbers; the header is row 1."""
        number, first, data = 1, 2, []
        for raw in self._rows:
            number += 1
            values = [cell_text(value) for value in raw[: len(self.headers)]]
            values += [""] * (len(self.headers) - len(values))
            if not any(values):
                continue
            if number - 1 > MAX_ROWS:
                raise FileProblem(
                    gettext("The file has more than %(rows)s rows. Split it into smaller files.")
                    % {"rows": f"{MAX_ROWS:,}"}
                )
            if not data:
                first = number
            data.append([*values, number])
            if len(data) == CHUNK_ROWS:
                yield first, tablib.Dataset(*data, headers=[*self.headers, "row_number"])
                data = []
        if data:
            yield first, tablib.Dataset(*data, headers=[*self.headers, "row_number"])


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_hr_file(fileobj, name: str) -> HrFile:
    """Open an uploaded HR file (binary file object) and check its header. Raises
    FileProblem with a message for the person who uploaded it."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "xlsx":
        rows = _xlsx_rows(fileobj)
    elif extension == "csv":
        rows = _csv_rows(fileobj)
    else:
        raise FileProblem(gettext("Upload a CSV file (.csv) or an Excel workbook (.xlsx)."))
    header = next(rows, None)
    if not header or not any(cell_text(cell) for cell in header):
        raise FileProblem(gettext("The file is empty. Its first row must name the columns."))
    headers, unknown = [], []
    for cell in header:
        canonical = _ALIASES.get(column_key(cell_text(cell)))
        if canonical is None:
            unknown.append(cell_text(cell) or gettext("(blank)"))
        headers.append(canonical)
    if unknown:
        raise FileProblem(
            gettext("Unknown column(s): %(unknown)s. The columns can be: %(columns)s.")
            % {"unknown": ", ".join(unknown), "columns": ", ".join(COLUMNS)}
        )
    repeated = sorted({h for h in headers if headers.count(h) > 1})
    if repeated:
        raise FileProblem(
            gettext("Column(s) named more than once: %(columns)s.")
            % {"columns": ", ".join(repeated)}
        )
    missing = [column for column in REQUIRED_COLUMNS if column not in headers]
    if missing:
        raise FileProblem(
            gettext("Missing column(s): %(columns)s. Every file needs email, name and role.")
            % {"columns": ", ".join(missing)}
        )
    return HrFile(headers=headers, _rows=rows)


def _csv_rows(fileobj) -> Iterator[list]:
    head = fileobj.read(4096)
    fileobj.seek(0)
    if b"\x00" in head:
        raise FileProblem(gettext("This is not a CSV file: save the spreadsheet as CSV (UTF-8)."))
    if head.startswith(b"PK\x03\x04"):
        raise FileProblem(
            gettext("This looks like an Excel workbook: name it .xlsx, or save it as CSV.")
        )
    text = io.TextIOWrapper(fileobj, encoding="utf-8-sig", newline="")
    try:
        first_line = text.readline()
    except UnicodeDecodeError:
        text.detach()
        raise FileProblem(
            gettext("The file is not UTF-8 text. In Excel choose 'CSV UTF-8 (Comma delimited)'.")
        ) from None
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(_chain_line(first_line, text), delimiter=delimiter)
    try:
        yield from reader
    except UnicodeDecodeError:
        raise FileProblem(
            gettext("The file is not UTF-8 text. In Excel choose 'CSV UTF-8 (Comma delimited)'.")
        ) from None
    except csv.Error as error:
        raise FileProblem(
            gettext("The CSV file could not be read (%(error)s).") % {"error": error}
        ) from None
    finally:
        if not text.closed:
            text.detach()  # the caller's file stays open: closing it is the caller's business


def _chain_line(first_line: str, rest) -> Iterator[str]:
    yield first_line
    yield from rest


def _xlsx_rows(fileobj) -> Iterator[list]:
    try:
        workbook = openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise FileProblem(
            gettext("The workbook could not be opened. Save it again as .xlsx, or as CSV (UTF-8).")
        ) from None
    try:
        yield from (list(row) for row in workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()

"""Rows of the hand-edited tables: columns, decoding, the header check and typed cells.

Conventions (data/README.md): a cell holding only ``?`` means "not shown by the source / not
verified"; lists are separated by ``;``; any malformed row raises InputError naming the file (as
given: data/pledges.tsv, or the path of a table imported from elsewhere) and the line (a bad row
is never skipped). What rows refer to and the triples cells become are in
``table_cells``.
"""

import csv
import io
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import XSD, Literal

from ..errors import InputError
from ..text import read_capped

SUFFIXES = {".tsv": "\t", ".csv": ","}
MAX_TABLE_BYTES = 64 * 1024 * 1024  # the real tables are a few hundred kilobytes
UNKNOWN = "?"
ISO2 = re.compile(r"^[A-Z]{2}$")
ISO3 = re.compile(r"^[A-Z]{3}$")
URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")

COLUMNS = {
    "sources": ["key", "url", "description"],
    "conferences": ["ordinal", "year", "label", "city", "venue", "start_date", "end_date", "slogan", "sources", "note"],
    "resolutions": [
        "conference",
        "number",
        "title",
        "title_status",
        "title_translations",
        "alt_labels",
        "notation",
        "sources",
        "note",
    ],
    "national-societies": [
        "iso2",
        "iso3",
        "country",
        "name_en",
        "name_fr",
        "fdrs_code",
        "region",
        "wikidata",
        "wikidata_link",
        "sources",
        "note",
    ],
    "organisations": [
        "key",
        "class",
        "label_en",
        "label_fr",
        "alt_labels",
        "wikidata",
        "wikidata_link",
        "sources",
        "note",
    ],
    "pledges": [
        "key",
        "kind",
        "number",
        "conference",
        "conference_basis",
        "confidence",
        "title",
        "title_lang",
        "title_status",
        "label",
        "pledgers",
        "pledger_shown",
        "signatories",
        "country",
        "themes",
        "category",
        "type",
        "cites",
        "reports_on",
        "issued",
        "derived",
        "url",
        "other_urls",
        "sources",
        "summary",
        "note",
    ],
    "retired-iris": ["retired", "successor", "reason"],
}


def table_path(directory, stem):
    """The table ``stem`` in ``directory`` (TSV preferred over CSV), or None."""
    for suffix in SUFFIXES:
        candidate = Path(directory) / f"{stem}{suffix}"
        if candidate.is_file():
            return candidate
    return None


# -- rows ---------------------------------------------------------------------------------------


@dataclass
class Row:
    """One data row: its cells by column name, and where it came from for error messages."""

    file: str
    line: int
    cells: dict
    errors: list = field(default_factory=list)  # shared by the rows of one table: what ``checked`` caught

    def fail(self, message):
        raise InputError(f"{self.file}, line {self.line}: {message}", file=self.file, line=self.line)

    @contextmanager
    def checked(self):
        """Run a builder's work on this row; an InputError is kept, and the next row is read, so one
        run reports every bad row of a table (``raise_errors`` then reports them together)."""
        try:
            yield
        except InputError as error:
            self.errors.append(error.message)

    def __getitem__(self, column):
        return self.cells[column]

    def unknown(self, column):
        return self.cells[column] == UNKNOWN

    def list(self, column):
        return [item.strip() for item in self.cells[column].split(";") if item.strip()]

    def required(self, column):
        if not self.cells[column] or self.unknown(column):
            self.fail(f"the column {column!r} must have a value")
        return self.cells[column]

    def integer(self, column):
        text = self.required(column)
        if not re.fullmatch(r"[1-9][0-9]*", text):
            self.fail(f"{column} must be a whole number, not {text!r}")
        return int(text)

    def date(self, column):
        text = self.cells[column]
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return Literal(date.fromisoformat(text).isoformat(), datatype=XSD.date)
            except ValueError:
                pass
        self.fail(f"{column} must be a date written YYYY-MM-DD, not {text!r}")

    def choice(self, column, allowed):
        value = self.cells[column]
        if value not in allowed:
            self.fail(f"{column} must be one of {', '.join(repr(a) for a in allowed)}, not {value!r}")
        return value


def read_rows(path):
    """The data rows of a table file, checked against the table's columns."""
    path = Path(path)
    records = _records(path)
    if not records or not any(cell.strip() for cell in records[0][1]):
        raise InputError(f"{str(path)}, line 1: the file is empty; it needs a header row", file=str(path), line=1)
    header = [cell.strip() for cell in records[0][1]]
    _check_header(path, header)
    rows = Rows()
    for line, cells in records[1:]:
        if not any(cell.strip() for cell in cells):
            continue  # a blank line is not a row
        row = Row(str(path), line, {}, rows.errors)
        with row.checked():
            if len(cells) != len(header):
                row.fail(f"expected {len(header)} columns ({', '.join(header)}), found {len(cells)}")
            row.cells = {name: cell.strip() for name, cell in zip(header, cells, strict=True)}
            rows.append(row)
    return rows


SHOWN_ERRORS = 20  # bad rows listed in one report; the count says how many more


class Rows(list):
    """The rows of one table, and the errors their ``checked`` blocks caught."""

    def __init__(self):
        super().__init__()
        self.errors = []


def raise_errors(rows):
    """InputError listing every bad row ``Row.checked`` caught in ``rows`` (Rows of one table), if any."""
    errors = list(dict.fromkeys(rows.errors))  # a row read twice (pledges, then reports) fails once
    if errors:
        more = f"\n... and {len(errors) - SHOWN_ERRORS} more bad row(s)" if len(errors) > SHOWN_ERRORS else ""
        raise InputError("\n".join(errors[:SHOWN_ERRORS]) + more)


def _records(path):
    """(line number, cells) of each record; a CSV syntax error names its line."""
    reader = _reader(_decode(path), SUFFIXES[path.suffix.lower()])
    records = []
    try:
        for cells in reader:
            records.append((reader.line_num, cells))
    except csv.Error as error:
        line = reader.line_num
        raise InputError(f"{str(path)}, line {line}: {error}", file=str(path), line=line) from error
    return records


def _decode(path):
    data = read_capped(path, MAX_TABLE_BYTES, "a table")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputError(
            f"{str(path)}, line {line}: binary data (a NUL byte); a table must be UTF-8 text", file=str(path), line=line
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            f"{str(path)}, line {line}: not UTF-8 text (byte {data[error.start]:#04x}); save the table as UTF-8",
            file=str(path),
            line=line,
        ) from error


def _reader(text, delimiter):
    # TSV cells are taken literally (titles contain quotes); CSV uses ordinary quoting.
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting, strict=True)


def _check_header(path, header):
    expected = COLUMNS[path.stem]
    if header != expected:
        missing = [c for c in expected if c not in header]
        extra = [c for c in header if c not in expected]
        detail = (
            "; ".join(
                filter(None, [missing and f"missing {', '.join(missing)}", extra and f"unexpected {', '.join(extra)}"])
            )
            or "wrong order"
        )
        raise InputError(
            f"{str(path)}, line 1: the header must be {' | '.join(expected)} ({detail})", file=str(path), line=1
        )

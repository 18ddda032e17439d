"""pages.tsv: what a page's file cannot say about itself (address, title, date, language ...).

One row per page file, tab-separated, under a header naming its columns (``file`` and any of the
others, in any order; data/README.md, "Pledge pages", says what each means):

    file  source_url  title  date  language  note  conference  key

A title rebuilt from a URL slug says so in its ``note``. ``conference`` gives the conference of
a page whose number does not (2019/2024 pages have none); ``key`` makes pages with the same key
language versions of one pledge when their addresses do not show it (``?p=<id>`` addresses).
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

from babel import Locale, UnknownLocaleError

from ..errors import InputError
from ..text import read_capped
from .names import did_you_mean
from .table_rows import URL

INDEX_NAME = "pages.tsv"


@dataclass(frozen=True)
class PageInfo:
    """One row of pages.tsv; None for an empty cell."""

    file: str
    source_url: str | None = None
    title: str | None = None
    date: str | None = None
    language: str | None = None  # of the page's own words; None: the headings' language, else en
    note: str | None = None
    conference: int | None = None
    key: str | None = None


COLUMNS = tuple(PageInfo.__dataclass_fields__)
MAX_INDEX_BYTES = 16 * 1024 * 1024  # a row a page: the real one is a few kilobytes


def read_index(path):
    """pages.tsv -> {file name: PageInfo}; InputError naming the line of every malformed row."""
    path = Path(path)
    data = read_capped(path, MAX_INDEX_BYTES, "pages.tsv")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: cannot read it as UTF-8 text: {exc}") from None
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows:
        raise InputError(f"{path}: empty; the first line names the columns ({', '.join(COLUMNS)})")
    header = [cell.strip() for cell in rows[0]]
    _check_header(path, header)
    index, errors = {}, []
    for line, cells in enumerate(rows[1:], start=2):
        if any(cell.strip() for cell in cells):
            try:
                _add_row(index, header, cells, f"{path}:{line}")
            except InputError as error:  # every bad row in one run
                errors.append(error.message)
    if errors:
        raise InputError("\n".join(errors))
    return index


def _add_row(index, header, cells, where):
    if len(cells) != len(header):
        raise InputError(f"{where}: expected {len(header)} tab-separated columns ({', '.join(header)}), "
                         f"found {len(cells)}")
    info = _info(dict(zip(header, (c.strip() or None for c in cells), strict=True)), where)
    if info.file in index:
        raise InputError(f"{where}: {info.file} has a row already")
    index[info.file] = info


def _check_header(path, header):
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise InputError(f"{path}:1: unknown column {unknown[0]!r}{did_you_mean(unknown[0], COLUMNS)}; "
                         f"the columns are {', '.join(COLUMNS)}")
    if "file" not in header or len(set(header)) != len(header):
        raise InputError(f"{path}:1: the header names each column once and includes 'file' ({', '.join(COLUMNS)})")


def _info(cells, where):
    if not cells.get("file"):
        raise InputError(f"{where}: no file name")
    url, day, conference = cells.get("source_url"), cells.get("date"), cells.get("conference")
    if url and not URL.match(url):  # the same rule as the tables' url columns: an IRI RDF can carry
        raise InputError(f"{where}: source_url must be a full http(s) address (no spaces, quotes or "
                         f"<>{{}}|\\^`), not {url!r}")
    if day:
        try:
            Date.fromisoformat(day)
        except ValueError:
            raise InputError(f"{where}: date must be YYYY-MM-DD, not {day!r}") from None
    if conference and not re.fullmatch(r"[1-9][0-9]?", conference):
        raise InputError(f"{where}: conference must be an ordinal like 33, not {conference!r}")
    if cells.get("language"):
        cells["language"] = language_tag(cells["language"], where)
    return PageInfo(**{**cells, "conference": int(conference) if conference else None})


def language_tag(tag, where):
    """``tag`` as a BCP 47 language tag in its usual case ("en", "en-GB", "zh-Hant"), if CLDR (Babel)
    knows the language; InputError naming ``where`` otherwise ("zz", "english", "und")."""
    try:
        found = str(Locale.parse(tag, sep="-")).replace("_", "-")
    except (ValueError, UnknownLocaleError):
        found = ""
    if not found or found.split("-")[0] != tag.split("-")[0].lower():  # "und" parses as the likeliest: en
        raise InputError(f"{where}: language must be a language tag like en, fr, es, ar or en-GB, not {tag!r}")
    return found

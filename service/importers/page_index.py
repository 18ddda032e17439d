"""pages.tsv: what a pledge page's file cannot say about itself (source URL, title, date, language).

One row per page file, tab-separated: ``file  source_url  title  date  language  note``. A title
derived from a URL slug says so in its ``note``.
"""

import csv
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import InputError

INDEX_NAME = "pages.tsv"


@dataclass(frozen=True)
class PageInfo:
    """One row of pages.tsv."""

    file: str
    source_url: str | None = None
    title: str | None = None
    date: str | None = None
    language: str = "en"
    note: str | None = None


COLUMNS = tuple(PageInfo.__dataclass_fields__)


def read_index(path):
    """pages.tsv -> {file name: PageInfo}; InputError on a malformed row."""
    path = Path(path)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    index = {}
    for line, row in enumerate(rows, start=2):
        if None in row or None in row.values() or "file" not in row:
            raise InputError(f"{path}:{line}: expected tab-separated columns {', '.join(COLUMNS)}")
        info = PageInfo(**{k: (v.strip() or None) for k, v in row.items() if k in COLUMNS})
        _check_info(info, f"{path}:{line}")
        index[info.file] = PageInfo(**{**info.__dict__, "language": info.language or "en"})
    return index


def _check_info(info, where):
    if not info.file:
        raise InputError(f"{where}: no file name")
    if info.source_url and urlsplit(info.source_url).scheme not in {"http", "https"}:
        raise InputError(f"{where}: source_url must be an http(s) URL, not {info.source_url!r}")
    if info.date:
        try:
            Date.fromisoformat(info.date)
        except ValueError:
            raise InputError(f"{where}: date must be YYYY-MM-DD, not {info.date!r}") from None

"""Citations of a release, a query permalink or a resource as it was: BibTeX, RIS and CSL-JSON.

    Work(key, title, url, issued, version, note)    what is cited
    bibtex(work), ris(work), csl_json(work)         the three formats reference managers import

Each names the dataset as its author (``AUTHOR``), the release as the version, the date the cited
thing was published (a release's time; a permalink's creation) and the URL that reproduces it.
"""

import json
from dataclasses import dataclass
from datetime import datetime

AUTHOR = "pledgegraph"
TITLE = "pledgegraph: the International Conference of the Red Cross and Red Crescent as linked data"
BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "$": r"\$",
                  "#": r"\#", "_": r"\_", "^": r"\^{}", "~": r"\~{}"}
MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()


@dataclass(frozen=True)
class Work:
    key: str  # a citation key: letters, digits, '-' and ':'
    title: str
    url: str
    issued: datetime
    version: str
    note: str = ""


def bibtex(work):
    """A BibTeX @misc entry (biblatex reads it too)."""
    fields = [
        ("title", _tex(work.title)), ("author", "{" + _tex(AUTHOR) + "}"), ("year", str(work.issued.year)),
        ("month", MONTHS[work.issued.month - 1]), ("version", _tex(work.version)), ("url", work.url),
        ("howpublished", r"\url{" + work.url + "}"), ("note", _tex(work.note)),
    ]
    lines = [f"  {name} = {value if name == 'month' else '{' + value + '}'}" for name, value in fields if value]
    return f"@misc{{{work.key},\n" + ",\n".join(lines) + "\n}\n"


def ris(work):
    """An RIS record of type DATA (a dataset)."""
    rows = [("TY", "DATA"), ("TI", work.title), ("AU", AUTHOR), ("PY", str(work.issued.year)),
            ("DA", work.issued.strftime("%Y/%m/%d")), ("ET", work.version), ("UR", work.url), ("N1", work.note),
            ("ID", work.key)]
    return "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in rows if value) + "ER  - \r\n"


def csl_json(work):
    """A CSL-JSON item list (one item of type dataset), as citeproc and Zotero read it."""
    item = {"id": work.key, "type": "dataset", "title": work.title, "author": [{"literal": AUTHOR}],
            "issued": {"date-parts": [[work.issued.year, work.issued.month, work.issued.day]]},
            "version": work.version, "URL": work.url, "publisher": AUTHOR}
    if work.note:
        item["note"] = work.note
    return json.dumps([item], ensure_ascii=False, indent=1) + "\n"


FORMATS = {  # extension: (media type, writer)
    "bib": ("application/x-bibtex", bibtex),
    "ris": ("application/x-research-info-systems", ris),
    "json": ("application/vnd.citationstyles.csl+json", csl_json),
}


def render(work, extension):
    """(text, media type) of ``work`` in the citation format of ``extension`` (bib, ris, json)."""
    media_type, writer = FORMATS[extension]
    return writer(work), media_type


def _tex(text):
    return "".join(BIBTEX_SPECIAL.get(c, c) for c in " ".join((text or "").split()))

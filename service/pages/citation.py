"""How to cite a page of pledgegraph: BibTeX, RIS and CSL-JSON.

A citation names the record (its title and IRI), the dataset and the release it was read in (the
release's name and date: the data of one release never changes) and the day it was accessed.

| format   | media type                                | file  |
|----------|-------------------------------------------|-------|
| BibTeX   | ``application/x-bibtex``                  | .bib  |
| RIS      | ``application/x-research-info-systems``   | .ris  |
| CSL-JSON | ``application/vnd.citationstyles.csl+json`` | .json |

BibTeX follows biblatex's ``@online``-style fields on a ``@misc`` entry (``url``, ``urldate``,
``version``), which BibTeX styles with ``url`` support and biber both read; RIS follows the RIS
specification (tag, two spaces, hyphen, space; CRLF line ends); CSL-JSON is an array of one
item, as citation managers import it.
"""

import json
import re
from dataclasses import dataclass
from datetime import date

AUTHOR = "pledgegraph project"
DATASET = "pledgegraph: the International Conference of the Red Cross and Red Crescent as linked data"


@dataclass(frozen=True)
class Citation:
    title: str
    iri: str
    release: str
    released: date | None  # the release's date
    accessed: date
    lang: str = ""  # the title's language

    @property
    def key(self):
        tail = self.iri.split("/id/", 1)[-1] if "/id/" in self.iri else self.iri.rsplit("/", 1)[-1]
        return "pledgegraph-" + (re.sub(r"[^A-Za-z0-9]+", "-", tail).strip("-") or "dataset")


def bibtex(c):
    """One BibTeX entry; special characters escaped, the title's capitals protected."""
    fields = [
        ("author", "{" + _tex(AUTHOR) + "}"),
        ("title", "{" + _tex(c.title) + "}"),
        ("howpublished", _tex(DATASET)),
        ("publisher", _tex(AUTHOR)),
        ("version", _tex(c.release)),
        ("url", c.iri),
        ("urldate", c.accessed.isoformat()),
        ("note", _tex(f"Release {c.release}; accessed {c.accessed.isoformat()}")),
    ]
    if c.released:
        fields[4:4] = [("year", str(c.released.year)), ("date", c.released.isoformat())]
    if c.lang:
        fields.append(("language", _tex(c.lang)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{c.key},\n{body}\n}}\n"


TEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "%": r"\%", "#": r"\#",
       "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}  # fmt: skip


def _tex(text):
    return "".join(TEX.get(ch, ch) for ch in " ".join(text.split()))


def ris(c):
    """One RIS record (type DATA)."""
    lines = [("TY", "DATA"), ("AU", AUTHOR), ("TI", c.title), ("T2", DATASET), ("PB", AUTHOR), ("ET", c.release)]
    if c.released:
        lines += [("PY", str(c.released.year)), ("DA", c.released.strftime("%Y/%m/%d"))]
    lines += [("UR", c.iri), ("Y2", c.accessed.strftime("%Y/%m/%d")), ("ID", c.key)]
    if c.lang:
        lines.append(("LA", c.lang))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in lines)


def csl_json(c):
    """A CSL-JSON array of one item (type dataset)."""
    item = {
        "id": c.key,
        "type": "dataset",
        "title": c.title,
        "author": [{"literal": AUTHOR}],
        "publisher": AUTHOR,
        "container-title": DATASET,
        "version": c.release,
        "URL": c.iri,
        "accessed": _parts(c.accessed),
    }
    if c.released:
        item["issued"] = _parts(c.released)
    if c.lang:
        item["language"] = c.lang
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


def _parts(day):
    return {"date-parts": [[day.year, day.month, day.day]]}


FORMATS = {  # name -> (writer, media type, file extension, title)
    "bibtex": (bibtex, "application/x-bibtex", "bib", "BibTeX"),
    "ris": (ris, "application/x-research-info-systems", "ris", "RIS"),
    "csl-json": (csl_json, "application/vnd.citationstyles.csl+json", "json", "CSL-JSON"),
}

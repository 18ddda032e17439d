"""Rows of the hand-edited tables and the cell readers the table builders share.

Conventions (data/README.md): a cell holding only ``?`` means "not shown by the source / not
verified" and becomes ``rcrc:notRecorded <property>``; lists are separated by ``;``; any malformed
row raises InputError naming the file and line (a bad row is never skipped). Tables refer to each
other by key; ``Context`` reads those keys lazily from the sibling tables of the same folder.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from . import iris
from .errors import InputError
from .namespaces import RCRC, WD

SCHEMES_FILE = Path(__file__).resolve().parent.parent / "ontology" / "schemes.ttl"
SUFFIXES = {".tsv": "\t", ".csv": ","}
UNKNOWN = "?"
ISO2 = re.compile(r"^[A-Z]{2}$")
ISO3 = re.compile(r"^[A-Z]{3}$")
QID = re.compile(r"^Q[1-9][0-9]*$")
URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")

COLUMNS = {
    "sources": ["key", "url", "description"],
    "conferences": ["ordinal", "year", "label", "city", "venue", "start_date", "end_date", "slogan", "sources", "note"],
    "resolutions": ["conference", "number", "title", "title_status", "notation", "sources", "note"],
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
        "sources",
        "summary",
        "note",
    ],
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

    def fail(self, message):
        raise InputError(f"{self.file}, line {self.line}: {message}", file=self.file, line=self.line)

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
        raise InputError(f"{path.name}, line 1: the file is empty; it needs a header row", file=path.name, line=1)
    header = [cell.strip() for cell in records[0][1]]
    _check_header(path, header)
    rows = []
    for line, cells in records[1:]:
        if not any(cell.strip() for cell in cells):
            continue  # a blank line is not a row
        row = Row(path.name, line, {})
        if len(cells) != len(header):
            row.fail(f"expected {len(header)} columns ({', '.join(header)}), found {len(cells)}")
        row.cells = {name: cell.strip() for name, cell in zip(header, cells, strict=True)}
        rows.append(row)
    return rows


def _records(path):
    """(line number, cells) of each record; a CSV syntax error names its line."""
    reader = _reader(_decode(path), SUFFIXES[path.suffix.lower()])
    records = []
    try:
        for cells in reader:
            records.append((reader.line_num, cells))
    except csv.Error as error:
        line = reader.line_num
        raise InputError(f"{path.name}, line {line}: {error}", file=path.name, line=line) from error
    return records


def _decode(path):
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path.name}: cannot be read ({error.strerror})", file=path.name) from error
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputError(
            f"{path.name}, line {line}: binary data (a NUL byte); a table must be UTF-8 text", file=path.name, line=line
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            f"{path.name}, line {line}: not UTF-8 text (byte {data[error.start]:#04x}); save the table as UTF-8",
            file=path.name,
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
            f"{path.name}, line 1: the header must be {' | '.join(expected)} ({detail})", file=path.name, line=1
        )


# -- what rows may refer to -------------------------------------------------------------------


class Context:
    """The keys a table may refer to, read lazily from the sibling tables and the concept schemes."""

    def __init__(self, directory, schemes=None):
        self.directory = directory
        self.schemes_source = schemes if schemes is not None else SCHEMES_FILE

    def _sibling(self, stem):
        path = table_path(self.directory, stem)
        return read_rows(path) if path else None

    @cached_property
    def sources(self):
        """Source key -> list of URLs (possibly empty when the address is not recorded in full)."""
        found = {}
        for row in self._sibling("sources") or []:
            found.setdefault(row["key"], []).extend([row["url"]] if row["url"] else [])
        return found

    @cached_property
    def organisations(self):
        """Organisation key -> IRI, for organisations.tsv and the National Societies (ns:XX)."""
        found = {f"ns:{r['iso2']}": iris.national_society(r["iso2"]) for r in self._sibling("national-societies") or []}
        found.update({r["key"]: organisation_iri(r["key"]) for r in self._sibling("organisations") or []})
        return found

    @cached_property
    def countries(self):
        return {r["iso2"] for r in self._sibling("national-societies") or []}

    @cached_property
    def resolutions(self):
        return {f"{r['conference']}/{r['number']}" for r in self._sibling("resolutions") or []}

    @cached_property
    def conferences(self):
        return {r["ordinal"] for r in self._sibling("conferences") or []}

    @cached_property
    def concepts(self):
        source = self.schemes_source
        graph = source if isinstance(source, Graph) else _parse_schemes(Path(source))
        return set(graph.subjects(SKOS.inScheme, None))


def _parse_schemes(path):
    if not path.is_file():
        raise InputError(f"{path}: the concept schemes file is missing, so concept labels cannot be checked")
    return Graph().parse(path, format="turtle")


def organisation_iri(key):
    """gov:AU -> id/government/AU, ns:KE -> id/national-society/KE, icrc -> id/organisation/icrc."""
    prefix, _, code = key.partition(":")
    if code:
        return {"gov": iris.government, "ns": iris.national_society}[prefix](code)
    return iris.organisation(key)


# -- shared cell readers used by the table builders -----------------------------------------------


def add_sources(row, graph, subject, context, column="sources"):
    """dcterms:source for each URL of each cited source key; a note when a key has no full address."""
    for key in row.list(column):
        if key not in context.sources:
            where = "sources.tsv" if table_path(context.directory, "sources") else "no sources table beside it"
            row.fail(f"unknown source key {key!r} (not in {where})")
        for url in context.sources[key]:
            graph.add((subject, DCTERMS.source, URIRef(url)))
        if not context.sources[key]:
            graph.add(
                (
                    subject,
                    SKOS.editorialNote,
                    Literal(f"Source {key} is cited; its full address is not recorded.", lang="en"),
                )
            )


def add_note(row, graph, subject, column="note"):
    if row[column]:
        graph.add((subject, SKOS.editorialNote, Literal(row[column], lang="en")))


def add_wikidata(row, graph, subject):
    """owl:sameAs where two sources agree (wikidata_link = sameAs), else skos:exactMatch."""
    qid = row["wikidata"]
    if not qid:
        if row["wikidata_link"]:
            row.fail("wikidata_link is set but wikidata is empty")
        return
    if not QID.match(qid):
        row.fail(f"wikidata must be a Wikidata id like Q470110, not {qid!r}")
    link = row.choice("wikidata_link", ("sameAs", "exactMatch"))
    graph.add((subject, OWL.sameAs if link == "sameAs" else SKOS.exactMatch, WD[qid]))


def concept(row, context, scheme, label):
    """The concept IRI of ``label`` in ``scheme``, which must exist in ontology/schemes.ttl."""
    iri = iris.concept(scheme, label)
    if iri not in context.concepts:
        row.fail(f"unknown {scheme.replace('-', ' ')} {label!r} (not in the {scheme} concept scheme)")
    return iri


def not_recorded(graph, subject, prop):
    graph.add((subject, RCRC.notRecorded, prop))


def labelled(graph, subject, rdf_type, label, lang="en"):
    graph.add((subject, RDF.type, rdf_type))
    graph.add((subject, RDFS.label, Literal(label, lang=lang)))


def add_value(row, graph, subject, column, prop, make):
    """An optional single value: empty says nothing, ``?`` is rcrc:notRecorded, else make(text)."""
    if row.unknown(column):
        not_recorded(graph, subject, prop)
    elif row[column]:
        graph.add((subject, prop, make(row[column])))


def once(row, seen, iri):
    if iri in seen:
        row.fail(f"{iri} is defined twice (also on line {seen[iri]})")
    seen[iri] = row.line
    return iri



"""What table rows may refer to (``Context``) and the cell readers the table builders share.

Tables refer to each other by key; ``Context`` reads those keys lazily from the sibling tables of
the same folder and the concept schemes. A ``?`` cell becomes ``rcrc:notRecorded <property>``.
"""

import re
from functools import cached_property
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from .. import iris
from ..config import PROJECT_ROOT
from ..errors import InputError
from ..namespaces import RCRC, WD
from .names import did_you_mean
from .table_rows import URL, read_rows, table_path

SCHEMES_FILE = PROJECT_ROOT / "ontology" / "schemes.ttl"
QID = re.compile(r"^Q[1-9][0-9]*$")
TAGGED = re.compile(r"^(.+)@([a-z]{2,3})$")


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
        """{concept IRI: its English preferred label, the one tables write} of the concept schemes."""
        source = self.schemes_source
        graph = source if isinstance(source, Graph) else _parse_schemes(Path(source))
        return {s: _english(graph, s) for s in graph.subjects(SKOS.inScheme, None)}


def _english(graph, concept):
    labels = [o for o in graph.objects(concept, SKOS.prefLabel) if getattr(o, "language", None) == "en"]
    return str(labels[0]) if labels else str(concept)


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


def add_urls(row, graph, subject, column):
    """dcterms:source for each full http(s) address of a list cell."""
    for url in row.list(column):
        if not URL.match(url):
            row.fail(f"{column} holds full http(s) addresses separated by ';', not {url!r}")
        graph.add((subject, DCTERMS.source, URIRef(url)))


def tagged_texts(row, column):
    """The items of a list cell written ``text@lang`` (ICRC@en; CICR@fr) as language-tagged literals."""
    texts = []
    for item in row.list(column):
        match = TAGGED.match(item) or row.fail(f"each item of {column} needs its language, like ICRC@en: {item!r}")
        texts.append(Literal(match[1].strip(), lang=match[2]))
    return texts


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
        known = sorted(name for c, name in context.concepts.items() if str(c).startswith(str(iris.scheme(scheme))))
        row.fail(f"unknown {scheme.replace('-', ' ')} {label!r} (not in the {scheme} concept scheme)"
                 f"{did_you_mean(label, known)} (known: {', '.join(known)})")
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



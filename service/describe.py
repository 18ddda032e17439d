"""What a resource IRI returns: one graph, the same in every format.

The description of ``r`` is

* every triple ``r p o`` (from all named graphs, without duplicates);
* the triples of blank nodes reachable from ``r`` through blank nodes only (shapes, lists),
  so that they read inline rather than as dangling ``_:b0``;
* the labels (rdfs:label, skos:prefLabel) of everything ``r`` links to;
* one page of incoming links ``s p r`` (IRIs only), ordered by property then subject, with the
  labels of those subjects; ``incoming_counts`` says how many there are per property, so a theme
  cited by thousands of pledges answers in pages rather than all at once.

These are SPARQL queries with the IRI bound through the store's substitutions (never spliced
into the text), run on pyoxigraph directly: this is the hot path of every page.
"""

import threading
from dataclasses import dataclass, field

import pyoxigraph as ox

from .iris import graph as graph_iri
from .labels import LABEL_PREDICATES

RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
LABELS = " ".join(f"<{p}>" for p in LABEL_PREDICATES)
MAX_BLANK_NODES = 1000  # a shapes graph's lists stay far below; a hostile chain stops here

OUTGOING = "SELECT DISTINCT ?r ?p ?o WHERE { ?r ?p ?o }"
LINKED_LABELS = f"""
SELECT DISTINCT ?r ?o ?lp ?l WHERE {{ ?r ?p ?o . FILTER(isIRI(?o)) ?o ?lp ?l . VALUES ?lp {{ {LABELS} }} }}"""
INCOMING_COUNTS = """
SELECT ?r ?p (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?r . FILTER(isIRI(?s)) } GROUP BY ?r ?p"""
INCOMING_PAGE = f"""
SELECT ?r ?s ?p ?lp ?l WHERE {{
  {{ SELECT DISTINCT ?r ?s ?p WHERE {{ ?s ?p ?r . FILTER(isIRI(?s)) }} ORDER BY ?p ?s LIMIT %d OFFSET %d }}
  OPTIONAL {{ ?s ?lp ?l . VALUES ?lp {{ {LABELS} }} }}
}}"""
VOCABULARY_LABELS = f"""
SELECT ?g ?s ?lp ?l WHERE {{ GRAPH ?g {{ ?s ?lp ?l . VALUES ?lp {{ {LABELS} }} }} }}"""


@dataclass
class Description:
    iri: str
    triples: set = field(default_factory=set)  # ox.Triple: the graph every format serialises
    labels: dict = field(default_factory=dict)  # IRI -> [(text, lang)] of linked resources
    incoming: list = field(default_factory=list)  # [(subject IRI, property IRI)], this page
    incoming_counts: dict = field(default_factory=dict)  # property IRI -> number of subjects
    page: int = 1
    page_size: int = 100

    @property
    def incoming_total(self):
        return sum(self.incoming_counts.values())

    @property
    def pages(self):
        return max(1, -(-self.incoming_total // self.page_size))

    def outgoing(self, subject=None):
        """[(predicate, object)] of ``subject`` (default: the resource), sorted for display."""
        node = subject if subject is not None else ox.NamedNode(self.iri)
        return sorted(((t.predicate, t.object) for t in self.triples if t.subject == node), key=_sort_key)


def _sort_key(pair):
    return (pair[0].value, str(pair[1]))


def describe(store, iri, page=1, page_size=100):
    """The Description of ``iri``, or None when the store knows nothing about it."""
    node = ox.NamedNode(iri)  # ValueError on a malformed IRI: the caller answers 404
    bind = {ox.Variable("r"): node}
    desc = Description(iri, page=max(1, page), page_size=page_size)
    for row in store.query(OUTGOING, substitutions=bind):
        desc.triples.add(ox.Triple(node, row["p"], row["o"]))
    _blank_closure(store, desc)
    for row in store.query(INCOMING_COUNTS, substitutions=bind):
        desc.incoming_counts[row["p"].value] = int(row["n"].value)
    if not desc.triples and not desc.incoming_counts:
        return None
    for row in store.query(LINKED_LABELS, substitutions=bind):
        _add_label(desc, row["o"], row["lp"], row["l"])
    offset = (desc.page - 1) * page_size
    seen = set()
    for row in store.query(INCOMING_PAGE % (page_size, offset), substitutions=bind):
        s, p = row["s"], row["p"]
        if (s, p) not in seen:
            seen.add((s, p))
            desc.incoming.append((s.value, p.value))
            desc.triples.add(ox.Triple(s, p, node))
        if row["l"] is not None:
            _add_label(desc, s, row["lp"], row["l"])
    return desc


def _add_label(desc, subject, predicate, label):
    desc.triples.add(ox.Triple(subject, predicate, label))
    desc.labels.setdefault(subject.value, []).append((label.value, label.language or ""))


def _blank_closure(store, desc):
    todo = [t.object for t in desc.triples if isinstance(t.object, ox.BlankNode)]
    done = set()
    while todo and len(done) < MAX_BLANK_NODES:
        blank = todo.pop()
        if blank in done:
            continue
        done.add(blank)
        for row in store.query(OUTGOING, substitutions={ox.Variable("r"): blank}):
            desc.triples.add(ox.Triple(blank, row["p"], row["o"]))
            if isinstance(row["o"], ox.BlankNode):
                todo.append(row["o"])


_vocabulary_cache = {}
_vocabulary_lock = threading.Lock()


def vocabulary_labels(store, graphs=("ontology",)):
    """IRI -> [(text, lang)] for every labelled term of the ontology, cached per release."""
    key = (id(store), getattr(store, "current_release", lambda: None)(), graphs)
    with _vocabulary_lock:
        if key in _vocabulary_cache:
            return _vocabulary_cache[key]
    labels = {}
    for name in graphs:
        bind = {ox.Variable("g"): ox.NamedNode(str(graph_iri(name)))}
        for row in store.query(VOCABULARY_LABELS, substitutions=bind):
            labels.setdefault(row["s"].value, []).append((row["l"].value, row["l"].language or ""))
    with _vocabulary_lock:
        _vocabulary_cache.clear()  # one release at a time: old releases are never asked again
        _vocabulary_cache[key] = labels
    return labels


def serialize(triples, fmt, prefixes):
    """The triples in one RDF format (a formats.Format) as bytes; prefixes where the format has them."""
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    kwargs = {}
    if fmt.name in ("turtle", "rdfxml", "trig", "jsonld"):
        kwargs["prefixes"] = _used_prefixes(ordered, prefixes)
    return ox.serialize(ordered, format=fmt.oxigraph, **kwargs)


def _used_prefixes(triples, prefixes):
    iris = {t.predicate.value for t in triples}
    iris |= {term.value for t in triples for term in (t.subject, t.object) if isinstance(term, ox.NamedNode)}
    # Not the resource namespaces: "rcrcid:pledge\/SP320067" reads worse than the full IRI.
    skip = ("https://w3id.org/rcrc/id/",)
    return {p: ns for p, ns in prefixes.items() if ns not in skip and any(i.startswith(ns) for i in iris)}

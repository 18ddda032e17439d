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

from ..formats import write_rdf
from ..namespaces import WRITER_PREFIXES
from .labels import label_patterns
from .prepared import prepared

MAX_BLANK_NODES = 1000  # a shapes graph's lists stay far below; a hostile chain stops here

# No ORDER BY on the incoming page: sorting 20 k IRIs costs Oxigraph seconds (every comparison
# decodes both terms), while index order is stable for a release, which never changes; pages are
# consistent under one ETag. The page is sorted by label for display instead.
#
# The resource's IRI is written into the query text as ``<iri>`` (``THIS``): pyoxigraph validated
# it (no ``>``, quote or space can get through), and Oxigraph plans a constant far better than a
# substituted variable (1.6 s against 0.5 ms for the labels query at 1 M triples). Blank nodes
# cannot be written into a query, so they go through substitutions (?r), which is fast there.
THIS = "?this"
OUTGOING = f"SELECT DISTINCT ?p ?o WHERE {{ {THIS} ?p ?o }}"
BLANK_OUTGOING = "SELECT DISTINCT ?r ?p ?o WHERE { ?r ?p ?o }"
LINKED_LABELS = f"SELECT DISTINCT ?o ?lp ?l WHERE {{ {THIS} ?p ?o . {label_patterns('?o')} }}"
# Incoming links come from IRIs only: a blank node (a validation result's sh:focusNode, a shape's
# inline property) has no page to link to and no name to show.
INCOMING_COUNTS = f"SELECT ?p (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p {THIS} FILTER(isIRI(?s)) }} GROUP BY ?p"
INCOMING_PAGE = f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {THIS} FILTER(isIRI(?s)) }} LIMIT %d OFFSET %d"
SUBJECT_LABELS = "SELECT ?s ?lp ?l WHERE { VALUES ?s { %s } " + label_patterns("?s") + " }"
VOCABULARY_LABELS = f"SELECT ?s ?lp ?l WHERE {{ GRAPH ?g {{ {label_patterns('?s')} }} }}"
DOCUMENT_GRAPHS = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {THIS} a <http://www.w3.org/2002/07/owl#Ontology> }} }}"
WHOLE_GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


@dataclass
class Description:
    iri: str
    triples: set = field(default_factory=set)  # ox.Triple: the graph every format serialises
    labels: dict = field(default_factory=dict)  # IRI -> [(text, lang)] of linked resources
    incoming: list = field(default_factory=list)  # [(subject term, property IRI)], this page
    incoming_counts: dict = field(default_factory=dict)  # property IRI -> number of subjects
    page: int = 1
    page_size: int = 100

    @property
    def incoming_total(self):
        return sum(self.incoming_counts.values())

    @property
    def pages(self):
        return max(1, -(-self.incoming_total // self.page_size))


def describe(store, iri, page=1, page_size=100):
    """The Description of ``iri``, or None when the store knows nothing about it."""
    node = ox.NamedNode(iri)  # ValueError on a malformed IRI: the caller answers 404
    this = str(node)  # "<iri>", safe to write into a query: see THIS above
    desc = Description(iri, page=max(1, page), page_size=page_size)
    for row in store.query(OUTGOING.replace(THIS, this)):
        desc.triples.add(ox.Triple(node, row["p"], row["o"]))
    _blank_closure(store, desc)
    desc.incoming_counts = prepared(store).incoming_counts(iri)  # INCOMING_COUNTS, counted at publication
    if not desc.triples and not desc.incoming_counts:
        return None
    for row in store.query(LINKED_LABELS.replace(THIS, this)):
        _add_label(desc, row["o"], row["lp"], row["l"])
    offset = (desc.page - 1) * page_size
    for row in store.query((INCOMING_PAGE % (page_size, offset)).replace(THIS, this)):
        desc.incoming.append((row["s"], row["p"].value))
        desc.triples.add(ox.Triple(row["s"], row["p"], node))
    subjects = " ".join(str(s) for s in {s for s, _ in desc.incoming if isinstance(s, ox.NamedNode)})
    if subjects:
        for row in store.query(SUBJECT_LABELS % subjects):
            _add_label(desc, row["s"], row["lp"], row["l"])
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
        for row in store.query(BLANK_OUTGOING, substitutions={ox.Variable("r"): blank}):
            desc.triples.add(ox.Triple(blank, row["p"], row["o"]))
            if isinstance(row["o"], ox.BlankNode):
                todo.append(row["o"])


_vocabulary_cache = {}
_vocabulary_lock = threading.Lock()


def document_graphs(store, ontology_iri):
    """The named graphs that hold the owl:Ontology ``ontology_iri`` (the ontology, or the shapes)."""
    return [row["g"] for row in store.query(DOCUMENT_GRAPHS.replace(THIS, str(ox.NamedNode(ontology_iri))))]


def whole_graph(store, ontology_iri):
    """Every triple of the graphs that hold ``ontology_iri``: the vocabulary document as published."""
    graphs = document_graphs(store, ontology_iri)
    return set(store.query(WHOLE_GRAPH, default_graph=graphs)) if graphs else set()


def graph_triples(store, graph=None, limit=None):
    """The triples of the named graph ``graph`` (an IRI string), or of the default graph (the union
    of all graphs) when None; at most ``limit`` (+1, so a caller can tell it was cut), sorted."""
    text = WHOLE_GRAPH + (f" LIMIT {int(limit) + 1}" if limit is not None else "")
    dataset = {"default_graph": [ox.NamedNode(graph)]} if graph else {}
    return sorted(set(store.query(text, **dataset)), key=_order)


def graph_document(store, graph, limit=None):
    """What a graph IRI dereferences to: the graph's triples and what the store says about the graph
    (its provenance), or None when no published graph has that IRI."""
    node = ox.NamedNode(graph)
    if node not in set(store.named_graphs()):
        return None
    about = {ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(subject=node)}
    return sorted(about, key=_order) + [t for t in graph_triples(store, graph, limit) if t not in about]


def vocabulary_labels(store, ontology_iri):
    """IRI -> [(text, lang)] for every labelled term of the ontology, cached per release."""
    key = (id(store), getattr(store, "current_release", lambda: None)(), ontology_iri)
    with _vocabulary_lock:
        if key in _vocabulary_cache:
            return _vocabulary_cache[key]
    labels = {}
    for graph in document_graphs(store, ontology_iri):
        for row in store.query(VOCABULARY_LABELS.replace("?g", str(graph))):
            labels.setdefault(row["s"].value, []).append((row["l"].value, row["l"].language or ""))
    with _vocabulary_lock:
        _vocabulary_cache.clear()  # one release at a time: old releases are never asked again
        _vocabulary_cache[key] = labels
    return labels


def serialize(triples, fmt, prefixes):
    """The triples in one RDF format (a formats.Format) as bytes; prefixes where the format has them."""
    ordered = sorted(triples, key=_order)
    return write_rdf(ordered, fmt, _used_prefixes(ordered, prefixes))


def _order(triple):
    return str(triple.subject), str(triple.predicate), str(triple.object)


def _used_prefixes(triples, prefixes):
    iris = {t.predicate.value for t in triples}
    iris |= {term.value for t in triples for term in (t.subject, t.object) if isinstance(term, ox.NamedNode)}
    # Only prefixes a writer may use (never the resources' own namespace; see WRITER_PREFIXES).
    return {p: ns for p, ns in prefixes.items() if p in WRITER_PREFIXES and any(i.startswith(ns) for i in iris)}

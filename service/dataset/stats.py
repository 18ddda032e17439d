"""Counts per class and per named graph, for `pledgegraph stats` and the home page."""

from ..namespaces import RCRC

COUNT_PER_CLASS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?n)
"""

COUNT_PER_GRAPH = """
SELECT ?graph (COUNT(*) AS ?n) WHERE { GRAPH ?graph { ?s ?p ?o } }
GROUP BY ?graph ORDER BY ?graph
"""


def class_counts(store, ours_only=True):
    """[(class IRI, count)] for every class with instances; by default only our ontology's."""
    rows = [(row["class"].value, int(row["n"].value)) for row in store.query(COUNT_PER_CLASS)]
    return [(c, n) for c, n in rows if not ours_only or c.startswith(str(RCRC._NS))]


def graph_counts(store):
    """[(graph IRI, triple count)] for every named graph."""
    return [(row["graph"].value, int(row["n"].value)) for row in store.query(COUNT_PER_GRAPH)]

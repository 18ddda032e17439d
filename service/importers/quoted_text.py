"""Quoted text is its authors' words: every importer's output is marked so, in one place.

``rcrc:pledgeText`` holds a pledge's text exactly as its source page shows it. The rest of the
dataset is dedicated to the public domain (``DATA_LICENSE``, CC0 1.0 by default); those words are
not ours to dedicate. So each resource with such a text gets, the DCMI way,

* ``dcterms:rights`` <id/rights/quoted-text>, a ``dcterms:RightsStatement`` described here;
* ``dcterms:rightsHolder`` each of its pledgers (``rcrc:pledgedBy``), when they are known;

and the text's source is the resource's own ``dcterms:source``. The build applies this to every
graph it loads (``pipeline.loading``), so no importer can publish an unmarked text.
"""

import pyoxigraph as ox
from rdflib import RDF, RDFS, Literal
from rdflib.namespace import DCTERMS

from ..namespaces import ID, RCRC
from .terms import to_ox

QUOTED_TEXT = ID["rights/quoted-text"]
STATEMENT = (
    (RDF.type, DCTERMS.RightsStatement),
    (RDFS.label, Literal("Quoted pledge text: its authors' words", lang="en")),
    (RDFS.label, Literal("Texte d'engagement cité : les mots de ses auteurs", lang="fr")),
    (
        RDFS.comment,
        Literal(
            "The rcrc:pledgeText of a resource that names this statement is quoted verbatim from the resource's "
            "source (dcterms:source). The words are their authors' (dcterms:rightsHolder, the pledgers where known), "
            "not this dataset's: the dataset's licence does not cover them. Everything else said about the "
            "resource is part of the dataset.",
            lang="en",
        ),
    ),
)
QUOTING = f"""SELECT ?graph ?s ?who WHERE {{ GRAPH ?graph {{
    ?s <{RCRC.pledgeText}> ?text OPTIONAL {{ ?s <{RCRC.pledgedBy}> ?who }} }} }}"""


def mark_quoted_texts(store, graph):
    """Add the rights statement and holders to every subject with rcrc:pledgeText in ``graph``
    (a graph name) of a pyoxigraph ``store``; returns the quads to add (the caller inserts them)."""
    graph = ox.NamedNode(str(graph))
    rights, holder, statement = (to_ox(t) for t in (DCTERMS.rights, DCTERMS.rightsHolder, QUOTED_TEXT))
    marks = set()
    for row in store.query(QUOTING, substitutions={ox.Variable("graph"): graph}):
        marks.add(ox.Quad(row["s"], rights, statement, graph))
        if row["who"] is not None:
            marks.add(ox.Quad(row["s"], holder, row["who"], graph))
    if marks:
        marks.update(ox.Quad(statement, to_ox(p), to_ox(o), graph) for p, o in STATEMENT)
    return marks

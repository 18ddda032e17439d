"""Quoted text is its authors' words: every importer's output is marked so, in one place.

``rcrc:pledgeText`` holds a pledge's text exactly as its source page shows it. The rest of the
dataset is dedicated to the public domain (``DATA_LICENSE``, CC0 1.0 by default); those words are
not ours to dedicate. So each resource with such a text gets, the DCMI way,

* ``dcterms:rights`` <id/rights/quoted-text>, a ``dcterms:RightsStatement`` described here;
* ``dcterms:rightsHolder`` each of its pledgers (``rcrc:pledgedBy``), when they are known;

and the text's source is the resource's own ``dcterms:source``. The build applies this to every
file it loads (``pipeline.build.load_file``), so no importer can publish an unmarked text.
"""

from rdflib import RDF, RDFS, Literal
from rdflib.namespace import DCTERMS

from ..namespaces import ID, RCRC

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


def mark_quoted_texts(graph):
    """Add the rights statement and holders to every subject with rcrc:pledgeText; returns ``graph``."""
    quoting = set(graph.subjects(RCRC.pledgeText, None))
    for subject in quoting:
        graph.add((subject, DCTERMS.rights, QUOTED_TEXT))
        for pledger in graph.objects(subject, RCRC.pledgedBy):
            graph.add((subject, DCTERMS.rightsHolder, pledger))
    if quoting:
        for predicate, value in STATEMENT:
            graph.add((QUOTED_TEXT, predicate, value))
    return graph

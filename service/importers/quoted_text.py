"""Quoted text is its authors' words: every importer's output is marked so, in one place.

``rcrc:pledgeText`` holds a pledge's text exactly as its source page shows it. The rest of the
dataset is dedicated to the public domain (``DATA_LICENSE``, CC0 1.0 by default); those words are
not ours to dedicate. So each resource with such a text gets, the DCMI way,

* ``dcterms:rights`` <id/rights/quoted-text>, a ``dcterms:RightsStatement`` described here;
* ``dcterms:rightsHolder`` each of its pledgers (``rcrc:pledgedBy``), when they are known;

and the text's source is the resource's own ``dcterms:source``. The build applies this to every
graph it loads (``pipeline.loaded``), so no importer can publish an unmarked text.
"""

import pyoxigraph as ox
from rdflib import RDF, RDFS, Literal
from rdflib.namespace import DCTERMS

from ..namespaces import ID, RCRC
from .terms import to_ox, to_rdflib

QUOTED_TEXT = ID["rights/quoted-text"]
STATEMENT = (
    (RDF.type, DCTERMS.RightsStatement),
    (RDFS.label, Literal("Quoted pledge text: its authors' words", lang="en")),
    (RDFS.label, Literal("Texte d'engagement cité : les mots de ses auteurs", lang="fr")),
    (RDFS.label, Literal("Texto de compromiso citado: las palabras de sus autores", lang="es")),
    (RDFS.label, Literal("نص التعهد المقتبس: كلمات أصحابه", lang="ar")),
    (
        RDFS.comment,
        Literal(
            "The pledge text of a resource that names this statement is quoted verbatim from its source page "
            "(the resource's dcterms:source, where recorded). The words are their authors' "
            "(dcterms:rightsHolder, the pledgers where known), not this dataset's: the dataset's licence does "
            "not cover them. Everything else said about the "
            "resource is part of the dataset.",
            lang="en",
        ),
    ),
    (
        RDFS.comment,
        Literal(
            "Le texte d'engagement d'une ressource qui nomme cette déclaration est cité mot pour mot d'après sa "
            "page source (la dcterms:source de la ressource, quand elle est enregistrée). Ces mots sont ceux de "
            "leurs auteurs (dcterms:rightsHolder, les auteurs de l'engagement quand ils sont connus), non ceux de "
            "ce jeu de données : la licence du jeu de données ne les couvre pas. Tout ce qui est dit d'autre de la "
            "ressource fait partie du jeu de données.",
            lang="fr",
        ),
    ),
    (
        RDFS.comment,
        Literal(
            "El texto del compromiso de un recurso que nombra esta declaración se cita literalmente de su página "
            "de origen (la dcterms:source del recurso, cuando consta). Las palabras son de sus autores "
            "(dcterms:rightsHolder, los autores del compromiso cuando se conocen), no de este conjunto de datos: "
            "la licencia del conjunto de datos no las cubre. Todo lo demás que se dice del recurso forma parte "
            "del conjunto de datos.",
            lang="es",
        ),
    ),
    (
        RDFS.comment,
        Literal(
            "نص التعهد في كل مورد يشير إلى هذا البيان مقتبس حرفيًا من صفحة مصدره (dcterms:source للمورد، حيثما "
            "سُجِّل). والكلمات لأصحابها (dcterms:rightsHolder، أي الجهات المتعهدة حيثما عُرفت)، لا لمجموعة "
            "البيانات هذه: فترخيص مجموعة البيانات لا يشملها. وكل ما يُقال غير ذلك عن المورد جزء من مجموعة "
            "البيانات.",
            lang="ar",
        ),
    ),
)


def quoted_text_marks(triples):
    """The triples that mark the quoted texts among ``triples`` (pyoxigraph Triples of one graph):
    the rights statement and holders of every subject with rcrc:pledgeText."""
    text, pledgers = to_ox(RCRC.pledgeText), to_ox(RCRC.pledgedBy)
    rights, holder, statement = (to_ox(t) for t in (DCTERMS.rights, DCTERMS.rightsHolder, QUOTED_TEXT))
    quoting = {t.subject for t in triples if t.predicate == text}
    if not quoting:
        return set()
    marks = {ox.Triple(s, rights, statement) for s in quoting}
    marks |= {ox.Triple(t.subject, holder, t.object) for t in triples
              if t.predicate == pledgers and t.subject in quoting}
    return marks | {ox.Triple(statement, to_ox(p), to_ox(o)) for p, o in STATEMENT}


def mark_quoted_texts(graph):
    """The same marks added to an rdflib Graph; returns ``graph``."""
    triples = {ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph}
    for mark in quoted_text_marks(triples):
        graph.add((to_rdflib(mark.subject), to_rdflib(mark.predicate), to_rdflib(mark.object)))
    return graph

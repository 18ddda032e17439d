"""RDF terms between rdflib and pyoxigraph, with the same meaning both ways.

Importers that build small graphs write rdflib; parsing, the build's dataset, validation and the
store use pyoxigraph. A plain literal and an ``xsd:string`` literal are one term (RDF 1.1), and a
typed literal keeps its lexical form as written (``"01"^^xsd:integer`` stays ``01``).
"""

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from ..errors import InputError

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib(term):
    """A pyoxigraph term as the rdflib term with the same meaning (plain strings without datatype)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if term.language or datatype == XSD_STRING:
            return Literal(term.value, lang=term.language or None)
        return Literal(term.value, datatype=URIRef(datatype), normalize=False)  # the lexical form as written
    raise InputError("RDF 1.2 triple terms are not supported")


def to_ox(term):
    """An rdflib term as the pyoxigraph term with the same meaning."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def quads_of(graph, name):
    """The triples of an rdflib Graph (every graph of a Dataset) as pyoxigraph quads in graph ``name``."""
    target = ox.NamedNode(str(name))
    triples = (quad[:3] for quad in graph.quads()) if graph.context_aware else graph
    return [ox.Quad(to_ox(s), to_ox(p), to_ox(o), target) for s, p, o in triples]


def rdflib_graph(quads):
    """An rdflib Graph of the triples of pyoxigraph quads (small things: reports, dry runs, tests)."""
    graph = Graph()
    for quad in quads:
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph

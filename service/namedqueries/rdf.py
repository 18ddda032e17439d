"""The named queries as RDF, in the style of SPARQL examples (``sh:SPARQLExecutable``).

Each query becomes ``id/query/<name>``: typed ``sh:SPARQLExecutable`` and the form's subclass
(``sh:SPARQLSelectExecutable`` ...), with its title, description, full text (``sh:select`` ...),
the endpoint it runs on (``schema:target``), its API page (``schema:url``), and a
``schema:SearchAction`` whose URL template and ``schema:query-input`` specifications give its
parameters. The build loads this graph as ``graph/queries`` so the
queries themselves can be found with SPARQL and are listed in the dataset description.
"""

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, SKOS, XSD

from ..namespaces import BASE, ID, SDO, bind_prefixes

FORM_CLASS = {
    "SELECT": SH.SPARQLSelectExecutable,
    "ASK": SH.SPARQLAskExecutable,
    "CONSTRUCT": SH.SPARQLConstructExecutable,
    "DESCRIBE": SH.SPARQLExecutable,  # SHACL has no DESCRIBE executable
}
FORM_PROPERTY = {"SELECT": SH.select, "ASK": SH.ask, "CONSTRUCT": SH.construct, "DESCRIBE": SH.select}
PARAM_TYPES = {
    "iri": XSD.anyURI,
    "string": XSD.string,
    "integer": XSD.integer,
    "decimal": XSD.decimal,
    "boolean": XSD.boolean,
    "date": XSD.date,
    "year": XSD.gYear,
}


def query_iri(name):
    return ID[f"query/{name}"]


def queries_graph(queries, base=BASE):
    """An rdflib Graph describing every named query in ``queries`` ({name: NamedQuery})."""
    graph = bind_prefixes(Graph())
    graph.bind("sh", SH)
    for name in sorted(queries):
        add_query(graph, queries[name], base)
    return graph


def add_query(graph, query, base=BASE):
    """Describe one named query in ``graph``."""
    node = query_iri(query.name)
    for cls in {SH.SPARQLExecutable, FORM_CLASS[query.form]}:
        graph.add((node, RDF.type, cls))
    graph.add((node, RDFS.label, Literal(query.title, lang="en")))
    graph.add((node, RDFS.comment, Literal(query.description, lang="en")))
    graph.add((node, DCTERMS.identifier, Literal(query.name)))
    graph.add((node, FORM_PROPERTY[query.form], Literal(query.text)))
    graph.add((node, SDO.target, URIRef(base + "sparql")))
    graph.add((node, SDO.url, URIRef(f"{base}api/queries/{query.name}")))
    if query.params:
        graph.add((node, SDO.potentialAction, _action(graph, query, base)))


def _action(graph, query, base):
    """A schema:SearchAction: the API URL template and one query-input per parameter."""
    action, entry = BNode(), BNode()
    names = ",".join(p.name for p in query.params)
    graph.add((action, RDF.type, SDO.SearchAction))
    graph.add((action, SDO.target, entry))
    graph.add((entry, RDF.type, SDO.EntryPoint))
    graph.add((entry, SDO.urlTemplate, Literal(f"{base}api/queries/{query.name}{{?{names}}}")))
    for param in query.params:
        graph.add((action, SDO["query-input"], _parameter(graph, param)))
    return action


def _parameter(graph, param):
    spec = BNode()
    graph.add((spec, RDF.type, SDO.PropertyValueSpecification))
    graph.add((spec, SDO.valueName, Literal(param.name)))
    graph.add((spec, SDO.valueRequired, Literal(bool(param.required))))
    graph.add((spec, SDO.description, Literal(param.description, lang="en")))
    graph.add((spec, SDO.rangeIncludes, PARAM_TYPES[param.type]))
    if param.default is not None:
        graph.add((spec, SDO.defaultValue, Literal(str(param.default))))
    graph.add((spec, SKOS.example, Literal(str(param.example))))
    return spec

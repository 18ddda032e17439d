"""The SPARQL 1.1 Service Description of the endpoint, as pyoxigraph triples."""

import pyoxigraph as ox

from ..formats import RDF_FORMATS, RESULT_FORMATS

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
DCT_TITLE = ox.NamedNode("http://purl.org/dc/terms/title")

# W3C's IRIs for the formats we write (https://www.w3.org/ns/formats/).
FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "jsonld": "JSON-LD",
    "rdfxml": "RDF_XML",
    "ntriples": "N-Triples",
    "nquads": "N-Quads",
    "trig": "TriG",
}


def sd(term):
    return ox.NamedNode(SD + term)


def service_description(endpoint, named_graphs=(), limits=None):
    """Triples describing the endpoint at URL ``endpoint``, its formats, dataset and limits."""
    service = ox.BlankNode()
    triples = [
        ox.Triple(service, RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, sd("defaultEntailmentRegime"), ox.NamedNode("http://www.w3.org/ns/entailment/Simple")),
        ox.Triple(service, DCT_TITLE, ox.Literal("pledgegraph SPARQL endpoint", language="en")),
    ]
    for fmt in RESULT_FORMATS + RDF_FORMATS:
        triples.append(ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMATS + FORMAT_IRIS[fmt.name])))
    if limits:
        triples.append(ox.Triple(service, RDFS_COMMENT, ox.Literal(limits, language="en")))
    triples += _dataset(service, named_graphs)
    return triples


def _dataset(service, named_graphs):
    dataset, default = ox.BlankNode(), ox.BlankNode()
    triples = [
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, sd("Graph")),
    ]
    for name in named_graphs:
        node = ox.BlankNode()
        triples += [
            ox.Triple(dataset, sd("namedGraph"), node),
            ox.Triple(node, RDF_TYPE, sd("NamedGraph")),
            ox.Triple(node, sd("name"), ox.NamedNode(name.value if hasattr(name, "value") else str(name))),
        ]
    return triples

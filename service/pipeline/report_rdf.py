"""The validation report as RDF, published with every release in the named graph graph/validation.

A release keeps the SHACL results its build or import found (warnings only: a violation stops
the publication), in SHACL's own vocabulary (SHACL 1.0 §3.6), so that resource pages, SPARQL users
and every store (embedded or remote) can ask what the check said about a resource:

    <https://w3id.org/rcrc/graph/validation> a sh:ValidationReport ; sh:conforms false ; sh:result _:r .
    _:r a sh:ValidationResult ; sh:focusNode <https://w3id.org/rcrc/id/pledge/…> ;
        sh:resultPath rcrc:theme ; sh:resultSeverity sh:Warning ;
        sh:sourceShape rcrcsh:Pledge-theme-expected ; sh:resultMessage "The pledge has no rcrc:theme …"@en .

``sh:conforms`` follows SHACL: true only when there is no result at all. graph/provenance says
when the report was made, for which release, and from which shapes graphs.
"""

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SH, XSD

from .. import iris
from ..namespaces import BASE

VALIDATION = iris.graph("validation")
SEVERITY = {"Violation": SH.Violation, "Warning": SH.Warning, "Info": SH.Info}


def add_report(graphs, report, release, when, shapes_graphs=()):
    """Put ``report`` (validation.Report) into ``graphs`` as graph/validation, described in graph/provenance."""
    graphs[VALIDATION] = report_graph(report)
    provenance = graphs.setdefault(iris.graph("provenance"), Graph())
    provenance.add((VALIDATION, RDF.type, PROV.Entity))
    provenance.add((VALIDATION, DCTERMS.description, Literal("SHACL validation report of this release", lang="en")))
    provenance.add((VALIDATION, PROV.generatedAtTime, Literal(when, datatype=XSD.dateTime)))
    provenance.add((VALIDATION, DCTERMS.isPartOf, URIRef(f"{BASE}release/{release}")))
    for shapes in shapes_graphs:
        provenance.add((VALIDATION, PROV.wasDerivedFrom, URIRef(shapes)))


def report_graph(report):
    """The results about resources with IRIs (blank focus nodes have no page to show them on)."""
    graph = Graph()
    graph.add((VALIDATION, RDF.type, SH.ValidationReport))
    graph.add((VALIDATION, SH.conforms, Literal(not report.results)))
    for result in report.results:
        if not result.focus.startswith(("http://", "https://")):
            continue
        node = BNode()
        graph.add((VALIDATION, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, URIRef(result.focus)))
        graph.add((node, SH.resultSeverity, SEVERITY.get(result.severity, SH.Violation)))
        if result.path.startswith(("http://", "https://")):
            graph.add((node, SH.resultPath, URIRef(result.path)))
        if result.shape.startswith(("http://", "https://")):
            graph.add((node, SH.sourceShape, URIRef(result.shape)))
        if result.message:
            graph.add((node, SH.resultMessage, Literal(result.message, lang="en")))
    return graph

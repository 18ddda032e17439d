"""Our vocabulary and the prefixes we publish with.

Canonical IRIs live under BASE (https://w3id.org/rcrc/), fixed: the ontology, shapes and data are
minted there, and they never depend on the host that serves them (``PUBLIC_BASE`` maps them onto
one). The ``RCRC`` namespace is closed: a typo in a term is an AttributeError
at import time, and ``tests/test_model.py`` checks every term is defined in ``ontology/``.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SH,
    SKOS,
    VOID,
    XSD,
    DefinedNamespace,
)

BASE = "https://w3id.org/rcrc/"
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
SHAPES = Namespace(BASE + "shapes/")
SDO = Namespace("https://schema.org/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
WD = Namespace("http://www.wikidata.org/entity/")


class RCRC(DefinedNamespace):
    """Terms of the pledgegraph ontology (``ontology/rcrc.ttl``)."""

    _NS = Namespace(BASE + "def/")
    _fail = True

    # classes
    Conference: URIRef
    Resolution: URIRef
    Pledge: URIRef
    PledgeReport: URIRef
    Organisation: URIRef
    NationalSociety: URIRef
    Government: URIRef
    MovementComponent: URIRef
    Observer: URIRef
    Country: URIRef
    Theme: URIRef
    PledgeType: URIRef
    PledgerCategory: URIRef
    Region: URIRef
    # conference
    ordinal: URIRef
    year: URIRef
    startDate: URIRef
    endDate: URIRef
    city: URIRef
    venue: URIRef
    slogan: URIRef
    # resolution
    conference: URIRef
    resolutionNumber: URIRef
    # pledge
    pledgeNumber: URIRef
    pledgedBy: URIRef
    signatory: URIRef
    pledgerNameAsShown: URIRef
    country: URIRef
    international: URIRef
    theme: URIRef
    pledgerCategory: URIRef
    pledgeType: URIRef
    citesResolution: URIRef
    pledgeText: URIRef
    summary: URIRef
    reportsOn: URIRef
    # organisations and countries
    isoAlpha2: URIRef
    isoAlpha3: URIRef
    fdrsCode: URIRef
    region: URIRef
    # data quality: a field the source page did not show
    notRecorded: URIRef
    # curation of table records: how the conference was established, how much of the source was read
    conferenceBasis: URIRef
    confidence: URIRef
    # page layouts and reports (ontology/rcrc.ttl, last block)
    ResolutionReport: URIRef
    reportsOnResolution: URIRef
    reportText: URIRef
    chapter: URIRef
    section: URIRef


PREFIXES = {
    "rcrc": str(RCRC._NS),
    "rcrcid": str(ID),
    "rcrcsh": str(SHAPES),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "schema": str(SDO),
    "eli": str(ELI),
    "foaf": str(FOAF),
    "sh": str(SH),
    "void": str(VOID),
    "dcat": str(DCAT),
    "wd": str(WD),
}


# Prefixes our RDF writers use: all but the resources' own namespace. Local names under id/ hold
# slashes, which Turtle must escape ("rcrcid:pledge\/SP320067"); valid Turtle, but rdflib's parser
# refuses such escapes and people read the full IRI better anyway.
WRITER_PREFIXES = {p: ns for p, ns in PREFIXES.items() if ns != str(ID)}


def bind_prefixes(graph):
    """Bind our prefixes on an rdflib graph so serialisations read well."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    return graph


def sparql_prologue():
    """PREFIX lines for every published prefix, for queries written by people."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

"""The kept releases described in DCAT 3: one ``dcat:DatasetSeries``, each release a ``dcat:Dataset`` in it.

    series(history, base, dumps_of, licence) -> [pyoxigraph Triple]

Each release: its version (the release name) and tags, when it was published, how many triples
and graphs it holds, whether it passed the SHACL gate (``dcterms:conformsTo`` the shapes: the
build and import publish nothing that does not conform), its SPARQL endpoint, its change set and
its dumps with their sizes and SHA-256 checksums (``spdx:checksum``, as the VoID description does).
The release IRI is the one the data's provenance already names (``<base>release/<id>``).
"""

import pyoxigraph as ox

from ..dataset.void import DCAT, DCT, RDF_TYPE, VOID, XSD, distributions
from ..stores.releases import release_time

SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"


def series_iri(base):
    return ox.NamedNode(base + "releases/")


def release_iri(base, release):
    return ox.NamedNode(f"{base}release/{release}")


def series(history, base, dumps_of, licence=""):
    """The series and every kept release as triples; ``dumps_of(release)`` gives its dumps' metadata."""
    out = []

    def add(s, p, o):
        out.append(ox.Triple(s, ox.NamedNode(p), o))

    whole = series_iri(base)
    names = history.names()
    add(whole, RDF_TYPE.value, ox.NamedNode(DCAT + "DatasetSeries"))
    add(whole, DCT + "title", ox.Literal("pledgegraph releases", language="en"))
    add(whole, DCT + "description", ox.Literal(
        "Every kept release of pledgegraph, each a dataset of its own: queryable, dereferenceable and citable "
        "as it was published.", language="en"))
    if licence:
        add(whole, DCT + "license", ox.NamedNode(licence))
    if names:
        add(whole, DCAT + "first", release_iri(base, names[0]))
        add(whole, DCAT + "last", release_iri(base, names[-1]))
    for release in names:
        add(whole, DCAT + "seriesMember", release_iri(base, release))
        out.extend(describe_release(history, base, release, dumps_of(release), licence))
    return out


def describe_release(history, base, release, dumps, licence=""):
    """One release as a dcat:Dataset of the series."""
    out = []

    def add(s, p, o):
        out.append(ox.Triple(s, ox.NamedNode(p), o))

    this, home = release_iri(base, release), f"{base}releases/{release}/"
    facts = history.facts(release)
    add(this, RDF_TYPE.value, ox.NamedNode(DCAT + "Dataset"))
    add(this, DCT + "title", ox.Literal(f"pledgegraph, release {release}", language="en"))
    add(this, DCAT + "inSeries", series_iri(base))
    add(this, DCAT + "version", ox.Literal(release))
    add(this, OWL + "versionInfo", ox.Literal(release))
    for tag in history.tags_of(release):
        add(this, SKOS + "altLabel", ox.Literal(tag))
    when = release_time(release)
    if when:
        stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        add(this, DCT + "issued", ox.Literal(stamp, datatype=ox.NamedNode(XSD + "dateTime")))
    previous = history.previous(release)
    if previous:
        add(this, DCAT + "prev", release_iri(base, previous))
        add(this, DCAT + "previousVersion", release_iri(base, previous))
    add(this, VOID + "triples", ox.Literal(str(facts["triples"]), datatype=ox.NamedNode(XSD + "integer")))
    if facts["validated"]:
        add(this, DCT + "conformsTo", ox.NamedNode(base + "shapes/"))
    add(this, DCAT + "landingPage", ox.NamedNode(home))
    add(this, VOID + "sparqlEndpoint", ox.NamedNode(home + "sparql"))
    add(this, RDFS + "seeAlso", ox.NamedNode(home + "changes"))
    if licence:
        add(this, DCT + "license", ox.NamedNode(licence))
    distributions(home, dumps, this, add, licence)
    return out

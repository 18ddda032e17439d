"""The dataset described in VoID and DCAT, and the IRIs the sitemap lists.

The licence (``DATA_LICENSE``, CC0 1.0 by default) is stated on the dataset and on each DCAT
distribution; quoted pledge texts, which are their authors' words, are pointed out by
``dcterms:rights`` <id/rights/quoted-text> (see ``importers.quoted_text``).
"""

import hashlib
import itertools

import pyoxigraph as ox

from ..pages.labels import N_
from ..stores.releases import release_time
from .dumps import DUMPS
from .stats import graph_counts

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
SPDX = "http://spdx.org/rdf/terms#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
IANA = "https://www.iana.org/assignments/media-types/"
CLASS_COUNTS = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"
PROPERTY_COUNTS = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"
TOTALS = """SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?o) AS ?objects)
WHERE { ?s ?p ?o }"""
ENTITIES = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), ?space)) }"
QUOTED = "ASK { ?s <http://purl.org/dc/terms/rights> ?statement }"
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
# An interface string too: the dataset's page shows it in the reader's language.
DESCRIPTION = N_(
    "Conferences, resolutions and pledges of the International Conference of the Red Cross and Red "
    "Crescent, the organisations behind them and the themes they address, as linked data."
)
LICENCE_NAMES = {CC0: "CC0 1.0 Universal (public domain dedication)"}


def licence_name(licence):
    """A readable name for a licence IRI: its known name, else the IRI itself."""
    return LICENCE_NAMES.get(licence, licence)


def dataset_iri(base):
    return ox.NamedNode(base + ".well-known/void#dataset")


def describe_dataset(store, base, release, dumps, licence=""):
    """The VoID + DCAT description of the current release as a list of triples."""
    d = dataset_iri(base)
    out = []

    def add(s, p, o):
        out.append(ox.Triple(s, ox.NamedNode(p), o))

    labels = itertools.count(1)

    def blank(p, *pairs):
        node = ox.BlankNode(f"p{next(labels)}")  # fixed labels: the same bytes under one ETag, in every process
        add(d, p, node)
        for pp, o in pairs:
            add(node, pp, o)

    add(d, RDF_TYPE.value, ox.NamedNode(VOID + "Dataset"))
    add(d, RDF_TYPE.value, ox.NamedNode(DCAT + "Dataset"))
    add(d, DCT + "title", ox.Literal("pledgegraph", language="en"))
    add(
        d,
        DCT + "description",
        ox.Literal(DESCRIPTION, language="en"),
    )
    if licence:
        add(d, DCT + "license", ox.NamedNode(licence))
        quoted = ox.NamedNode(base + "id/rights/quoted-text")
        if store.query(QUOTED, substitutions={ox.Variable("statement"): quoted}):
            add(d, DCT + "rights", quoted)  # the quoted texts the licence does not cover
    else:
        add(
            d,
            "http://www.w3.org/2004/02/skos/core#editorialNote",
            ox.Literal("This service states no data licence (its DATA_LICENSE setting is empty).", language="en"),
        )
    add(d, DCAT + "version", ox.Literal(release))
    add(d, "http://www.w3.org/2002/07/owl#versionInfo", ox.Literal(release))
    when = release_time(release)
    if when:
        add(
            d,
            DCT + "modified",
            ox.Literal(when.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=ox.NamedNode(XSD + "dateTime")),
        )
    add(d, VOID + "sparqlEndpoint", ox.NamedNode(base + "sparql"))
    add(d, VOID + "uriSpace", ox.Literal(base + "id/"))
    add(d, VOID + "vocabulary", ox.NamedNode(base + "def/"))
    _counts(store, base, add, blank)
    distributions(base, dumps, d, add, licence)
    return out


def _integer(n):
    return ox.Literal(str(int(n)), datatype=ox.NamedNode(XSD + "integer"))


def _counts(store, base, add, blank):
    d = dataset_iri(base)
    totals = next(iter(store.query(TOTALS)))
    add(d, VOID + "triples", _integer(totals["triples"].value))
    add(d, VOID + "distinctSubjects", _integer(totals["subjects"].value))
    add(d, VOID + "distinctObjects", _integer(totals["objects"].value))
    entities = next(iter(store.query(ENTITIES.replace("?space", str(ox.Literal(base + "id/"))))))
    add(d, VOID + "entities", _integer(entities["n"].value))
    classes = [(r["c"], r["n"].value) for r in store.query(CLASS_COUNTS) if isinstance(r["c"], ox.NamedNode)]
    properties = [(r["p"], r["n"].value) for r in store.query(PROPERTY_COUNTS)]
    add(d, VOID + "classes", _integer(len(classes)))
    add(d, VOID + "properties", _integer(len(properties)))
    for cls, n in classes:
        blank(VOID + "classPartition", (VOID + "class", cls), (VOID + "entities", _integer(n)))
    for prop, n in properties:
        blank(VOID + "propertyPartition", (VOID + "property", prop), (VOID + "triples", _integer(n)))
    for graph, n in graph_counts(store):
        blank(
            VOID + "subset",
            (RDF_TYPE.value, ox.NamedNode(VOID + "Dataset")),
            ("http://www.w3.org/ns/sparql-service-description#name", ox.NamedNode(graph)),
            (VOID + "triples", _integer(n)),
        )


def distributions(base, dumps, d, add, licence):
    for dump in DUMPS:
        meta = dumps.get(dump.name)
        if not meta:
            continue
        url = ox.NamedNode(base + "dumps/" + dump.name)
        dist = ox.NamedNode(base + "dumps/" + dump.name + "#distribution")
        add(d, VOID + "dataDump", url)
        add(d, DCAT + "distribution", dist)
        add(dist, RDF_TYPE.value, ox.NamedNode(DCAT + "Distribution"))
        add(dist, DCT + "title", ox.Literal(dump.title, language="en"))
        add(dist, DCAT + "downloadURL", url)
        add(dist, DCAT + "mediaType", ox.NamedNode(IANA + dump.media_type))
        if licence:
            add(dist, DCT + "license", ox.NamedNode(licence))
        if dump.compressed:
            add(dist, DCAT + "compressFormat", ox.NamedNode(IANA + "application/gzip"))
        add(
            dist,
            DCAT + "byteSize",
            ox.Literal(str(meta["bytes"]), datatype=ox.NamedNode(XSD + "nonNegativeInteger")),
        )
        # one label per distribution IRI (so per release): unique in a merged graph, the same every time
        checksum = ox.BlankNode("sha256-" + hashlib.sha256(dist.value.encode()).hexdigest()[:24])
        add(dist, SPDX + "checksum", checksum)
        add(checksum, RDF_TYPE.value, ox.NamedNode(SPDX + "Checksum"))
        add(checksum, SPDX + "algorithm", ox.NamedNode(SPDX + "checksumAlgorithm_sha256"))
        add(
            checksum,
            SPDX + "checksumValue",
            ox.Literal(meta["sha256"], datatype=ox.NamedNode(XSD + "hexBinary")),
        )


# -- sitemap --------------------------------------------------------------------------------

SUBJECTS = """SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?space))
    FILTER NOT EXISTS { ?s <http://purl.org/dc/terms/isReplacedBy> ?successor } } ORDER BY ?s"""
SITEMAP_LIMIT = 50_000  # URLs per sitemap file (sitemaps.org)


def resource_iris(store, base):
    """Every IRI under ``base``id/ that has a description, sorted; retired IRIs (they redirect) left out."""
    query = SUBJECTS.replace("?space", str(ox.Literal(base + "id/")))
    return [row["s"].value for row in store.query(query)]

"""Real clients against the real service (gunicorn on 127.0.0.1, the real data), with their defaults.

* SPARQLWrapper with default settings (GET, format=/output=/results= parameters beside Accept)
  and every return format, for SELECT, ASK, CONSTRUCT and DESCRIBE;
* rdflib: ``SPARQLStore`` queries, and ``Graph.parse`` of ``/id/`` IRIs (it follows the 303);
* Rasqal's ``roqet`` (SPARQL protocol client) and Raptor's ``rapper`` parsing every RDF output
  we serve, strictly (any error or warning fails);
* PyLD reading compacted and expanded JSON-LD back to the triples of the N-Triples answer.

``roqet`` and ``rapper`` come from Debian (``rasqal-utils``, ``raptor2-utils``; ``.ci/run``
installs them); without them those tests skip saying so.
"""

import gzip
import shutil
import subprocess
import warnings

import pyoxigraph as ox
import pytest
import requests
from pyld import jsonld
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDF, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from tests.servers import ServiceServer

pytestmark = pytest.mark.slow

PLEDGE = "https://w3id.org/rcrc/id/pledge/SP320067"
SELECT = "SELECT ?c WHERE { ?c a <https://w3id.org/rcrc/def/Conference> } ORDER BY ?c"
ASK = f"ASK {{ <{PLEDGE}> ?p ?o }}"
CONSTRUCT = f"CONSTRUCT {{ <{PLEDGE}> ?p ?o }} WHERE {{ <{PLEDGE}> ?p ?o }}"
DESCRIBE = f"DESCRIBE <{PLEDGE}>"
RETURN_FORMATS = [JSON, XML, CSV, TSV, JSONLD, RDFXML, N3, TURTLE, RDF]


@pytest.fixture(scope="module")
def server(real_store_dir):
    with ServiceServer({"STORE_DIR": str(real_store_dir)}) as running:
        yield running


@pytest.fixture(scope="module")
def expected(real_store_dir):
    """The answers, from the store itself."""
    from service.stores.embedded import EmbeddedStore

    store = EmbeddedStore(real_store_dir)
    conferences = [row["c"].value for row in store.query(SELECT)]
    triples = {(t.subject.value, t.predicate.value, str(t.object)) for t in store.query(CONSTRUCT)}
    return conferences, triples


def _wrapper(server, query, return_format):
    client = SPARQLWrapper(server.url("/sparql"))  # default settings: GET, format parameters, Accept
    client.setQuery(query)
    client.setReturnFormat(return_format)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "Sending Accept header '*/*'" for odd pairs
        return client.query()


def _rows(result, return_format):
    converted = result.convert()
    if isinstance(converted, dict):
        return [b["c"]["value"] for b in converted["results"]["bindings"]]
    if isinstance(converted, bytes):  # CSV and TSV come back as bytes
        lines = converted.decode().splitlines()[1:]
        return [line.strip("<>") for line in lines]
    names = converted.getElementsByTagName("uri")  # SPARQL XML as a DOM
    return [n.firstChild.data for n in names]


@pytest.mark.parametrize("return_format", RETURN_FORMATS)
def test_sparqlwrapper_select_and_ask_in_every_return_format(server, expected, return_format):
    result = _wrapper(server, SELECT, return_format)
    assert result.response.status == 200
    assert _rows(result, return_format) == expected[0]
    answer = _wrapper(server, ASK, return_format).convert()
    if isinstance(answer, dict):
        assert answer["boolean"] is True
    elif isinstance(answer, bytes):
        assert answer.decode().strip().splitlines()[-1] == "true"
    else:
        assert answer.getElementsByTagName("boolean")[0].firstChild.data == "true"


@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
@pytest.mark.parametrize("return_format", RETURN_FORMATS)
def test_sparqlwrapper_graphs_in_every_return_format(server, expected, query, return_format):
    result = _wrapper(server, query, return_format)
    assert result.response.status == 200
    graph = result.convert()  # a Graph (RDF/XML, JSON-LD), or Turtle bytes (its N3 family)
    if isinstance(graph, bytes):
        graph = Graph().parse(data=graph, format="turtle")
    subjects = {str(s) for s in graph.subjects()}
    assert PLEDGE in subjects
    if query == CONSTRUCT:
        got = {(str(s), str(p), o.n3() if not isinstance(o, URIRef) else f"<{o}>") for s, p, o in graph}
        assert len(got) == len(expected[1])


def test_rdflib_sparql_store(server, expected):
    graph = Graph(store=SPARQLStore(query_endpoint=server.url("/sparql")))
    assert [str(row.c) for row in graph.query(SELECT)] == expected[0]
    assert graph.query(ASK).askAnswer is True
    assert len(graph.query(CONSTRUCT).graph) == len(expected[1])


@pytest.mark.parametrize("path", ["/id/pledge/SP320067", "/id/resolution/31/3", "/id/theme/migration",
                                  "/def/Pledge", "/graph/pages/SP320067"])
def test_rdflib_graph_parse_follows_the_303(server, path):
    graph = Graph().parse(server.url(path))
    iri = URIRef("https://w3id.org/rcrc/" + path.removeprefix("/").replace("id/", "id/", 1))
    assert (iri, None, None) in graph or (None, None, iri) in graph
    assert len(graph) > 0


# -- roqet: the SPARQL protocol from C ------------------------------------------------------------

ROQET = shutil.which("roqet")
RAPPER = shutil.which("rapper")
HINT = "install Debian's rasqal-utils and raptor2-utils (.ci/run does)"


@pytest.mark.skipif(not ROQET, reason=f"roqet not found: {HINT}")
@pytest.mark.parametrize("output", ["simple", "csv", "tsv", "xml"])
def test_roqet_select(server, expected, output):
    run = subprocess.run([ROQET, "-q", "-p", server.url("/sparql"), "-e", SELECT, "-r", output],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    for conference in expected[0]:
        assert conference in run.stdout


@pytest.mark.skipif(not ROQET, reason=f"roqet not found: {HINT}")
def test_roqet_construct_gets_rdf_not_406(server):
    """roqet asks for SPARQL XML results even for CONSTRUCT; it gets RDF/XML (the closest format),
    where it used to get 406. (Rasqal reads only result sets from a service, so it prints the
    RDF/XML elements it meets rather than the triples.)"""
    run = subprocess.run([ROQET, "-p", server.url("/sparql"), "-e", CONSTRUCT], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    assert "Not Acceptable" not in run.stderr and "UNKNOWN element RDF" in run.stderr


@pytest.mark.skipif(not ROQET, reason=f"roqet not found: {HINT}")
def test_roqet_reads_our_boolean(server, tmp_path):
    answer = requests.get(server.url("/sparql"), params={"query": ASK},
                          headers={"Accept": "application/sparql-results+xml"}, timeout=30)
    (tmp_path / "ask.srx").write_bytes(answer.content)
    run = subprocess.run([ROQET, "-t", str(tmp_path / "ask.srx"), "-R", "xml", "-e", "ASK {}"],
                         capture_output=True, text=True, timeout=60)
    assert "boolean result: true" in run.stderr + run.stdout


# -- rapper: every RDF output, parsed strictly -----------------------------------------------------

SYNTAX = {"text/turtle": "turtle", "application/rdf+xml": "rdfxml", "application/n-triples": "ntriples",
          "application/n-quads": "nquads", "application/trig": "trig"}
RDF_ROUTES = ["/doc/pledge/SP320067", "/doc/resolution/31/3", "/doc/theme/migration", "/def/", "/def/Pledge",
              "/shapes/", "/graph/pages/SP320067", "/.well-known/void", "/sparql",
              "/sparql?graph=https://w3id.org/rcrc/graph/data/organisations", "/sparql?default",
              f"/sparql?query={CONSTRUCT}", "/sparql?query=CONSTRUCT+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D",
              f"/api/queries/pledge-card?pledge={PLEDGE}"]
CASES = [(route, media) for route in RDF_ROUTES for media in SYNTAX
         if "quads" not in media and "trig" not in media or route.startswith(("/sparql?query", "/api"))]


def _rapper(path, syntax, base):
    run = subprocess.run([RAPPER, "-c", "-i", syntax, str(path), base], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "rror" not in run.stderr and "arning" not in run.stderr, run.stderr[-2000:]
    return int(run.stderr.split("returned ")[1].split()[0])


@pytest.mark.skipif(not RAPPER, reason=f"rapper not found: {HINT}")
@pytest.mark.parametrize("route, media", CASES, ids=[f"{r[:60]}-{m}" for r, m in CASES])
def test_rapper_parses_every_rdf_output_strictly(server, tmp_path, route, media):
    response = requests.get(server.url(route), headers={"Accept": media}, timeout=60)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(media)
    (tmp_path / "answer").write_bytes(response.content)
    count = _rapper(tmp_path / "answer", SYNTAX[media], server.url(route))
    fmt = next(f for f in ox.RdfFormat.__dict__.values() if isinstance(f, ox.RdfFormat) and f.media_type == media)
    assert count == len(list(ox.parse(response.content, format=fmt)))


@pytest.mark.skipif(not RAPPER, reason=f"rapper not found: {HINT}")
@pytest.mark.parametrize("name, syntax", [("pledgegraph.ttl", "turtle"), ("pledgegraph.nt.gz", "ntriples"),
                                          ("pledgegraph.nq.gz", "nquads")])
def test_rapper_parses_the_dumps(server, tmp_path, name, syntax):
    body = requests.get(server.url(f"/dumps/{name}"), timeout=60).content
    (tmp_path / "dump").write_bytes(gzip.decompress(body) if name.endswith(".gz") else body)
    assert _rapper(tmp_path / "dump", syntax, "http://example.org/") > 1000


# -- PyLD over HTTP ---------------------------------------------------------------------------------

EXPANDED = 'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"'


@pytest.mark.parametrize("route", ["/doc/pledge/SP320067", "/def/Pledge", "/.well-known/void",
                                   f"/sparql?query={CONSTRUCT}", "/graph/pages/SP320067"])
def test_pyld_reads_compacted_and_expanded_alike(server, route):
    nt = requests.get(server.url(route), headers={"Accept": "application/n-triples"}, timeout=60).text
    reference = Graph().parse(data=nt, format="nt")
    for accept in ("application/ld+json", EXPANDED):
        document = requests.get(server.url(route), headers={"Accept": accept}, timeout=60).json()
        nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
        assert isomorphic(Graph().parse(data=nquads, format="nt"), reference), accept

"""HTTP and protocol details: Allow on every 405, the Graph Store Protocol's read side, graph IRIs.

* Every route refuses a method it does not take with 405 and an ``Allow`` header naming the ones
  it does (RFC 9110 §15.5.6); the methods named really work.
* ``/sparql?graph=IRI`` and ``/sparql?default`` answer the graph (GET and HEAD, negotiated);
  writes are 405 with ``Allow: GET, HEAD``. The W3C Graph Store Protocol tests (indirect
  identification) run against gunicorn: each write must be refused, and each read must answer
  what the test expects once the store holds what the writes would have made.
* Graph IRIs (``/graph/...``), advertised by VoID and the service description, dereference to
  the graph's triples and its provenance.
"""

import email.parser
import http.client
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from service.stores.embedded import EmbeddedStore
from tests.servers import ServiceServer

PAGE_GRAPH = "https://w3id.org/rcrc/graph/pages/SP320067"
PLEDGE = "/doc/pledge/SP320067"

# -- 405 with Allow, on every route -----------------------------------------------------------

REFUSED = [
    ("PUT", "/sparql"), ("DELETE", "/sparql/"), ("PATCH", "/sparql"),
    ("POST", f"/sparql?graph={PAGE_GRAPH}"), ("PUT", f"/sparql?graph={PAGE_GRAPH}"),
    ("DELETE", f"/sparql?graph={PAGE_GRAPH}"), ("PUT", "/sparql?default"), ("POST", "/sparql?default"),
    ("POST", PLEDGE), ("PUT", "/id/pledge/SP320067"), ("DELETE", "/def/"), ("POST", "/def/Pledge"),
    ("PUT", "/shapes/"), ("POST", "/graph/pages/SP320067"), ("DELETE", "/graph/pages/SP320067"),
    ("PUT", "/.well-known/void"), ("POST", "/dumps/"), ("DELETE", "/dumps/pledgegraph.nt.gz"),
    ("POST", "/sitemap.xml"), ("DELETE", "/api/queries/pledge-card"), ("PUT", "/api/queries"),
    ("POST", "/openapi.json"), ("PUT", "/reconcile"), ("POST", "/pledges"), ("DELETE", "/search"),
    ("PUT", "/"),
]


@pytest.mark.parametrize("method, path", REFUSED, ids=[f"{m}-{p}" for m, p in REFUSED])
def test_every_405_names_the_allowed_methods(real_client, method, path):
    response = real_client.open(path, method=method, headers={"Accept": "text/plain"})
    assert response.status_code == 405
    allowed = [m.strip() for m in response.headers.get("Allow", "").split(",") if m.strip()]
    assert "GET" in allowed and method not in allowed
    assert "405" in response.get_data(as_text=True)
    assert real_client.open(path, method="HEAD").status_code != 405  # what Allow names is allowed


# -- the Graph Store Protocol, read side ---------------------------------------------------------


def _triples(response):
    fmt = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
           "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD}
    return {(q.subject, q.predicate, q.object) for q in ox.parse(response.data, format=fmt[response.mimetype])}


@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples", "application/rdf+xml",
                                    "application/ld+json"])
@pytest.mark.parametrize("graph", [PAGE_GRAPH, "https://w3id.org/rcrc/graph/data/conferences", None])
def test_graph_store_get_answers_exactly_the_graph(real_client, real_store_dir, graph, accept):
    store = EmbeddedStore(real_store_dir).oxigraph()
    if graph:
        expected = {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None,
                                                                                        ox.NamedNode(graph))}
        response = real_client.get("/sparql", query_string={"graph": graph}, headers={"Accept": accept})
    else:  # the default graph is the union of every graph
        expected = {(q.subject, q.predicate, q.object) for q in store}
        response = real_client.get("/sparql?default", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == accept
    got = _triples(response)
    blank = any(isinstance(t, ox.BlankNode) for triple in expected for t in triple)
    assert len(got) == len(expected) if blank else got == expected
    head = real_client.head(response.request.full_path, headers={"Accept": accept})
    assert head.status_code == 200 and head.data == b"" and head.headers["ETag"] == response.headers["ETag"]
    again = real_client.get(response.request.full_path, headers={"Accept": accept,
                                                                   "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("query, status", [
    ("graph=https://w3id.org/rcrc/graph/nothing", 404),
    ("graph=urn:x-pledgegraph:release", 404),
    ("graph=not%20an%20iri", 400),
    ("graph=relative/iri", 400),
    (f"graph={PAGE_GRAPH}&default", 400),
    (f"graph={PAGE_GRAPH}&graph={PAGE_GRAPH}", 400),
])
def test_graph_store_refuses_what_names_no_graph(real_client, query, status):
    assert real_client.get(f"/sparql?{query}", headers={"Accept": "text/turtle"}).status_code == status


# -- graph IRIs dereference -------------------------------------------------------------------------


def _advertised_graphs(real_client):
    void = Graph().parse(data=real_client.get("/.well-known/void", headers={"Accept": "text/turtle"}).data,
                         format="turtle")
    described = Graph().parse(data=real_client.get("/sparql", headers={"Accept": "text/turtle"}).data,
                              format="turtle")
    iris = {str(o) for g in (void, described) for o in g.objects() if str(o).startswith("https://w3id.org/rcrc/graph/")}
    assert PAGE_GRAPH in iris
    return sorted(iris)


def test_every_advertised_graph_iri_dereferences(real_client):
    for iri in _advertised_graphs(real_client):
        path = "/" + iri.removeprefix("https://w3id.org/rcrc/")
        response = real_client.get(path, headers={"Accept": "text/turtle"})
        assert response.status_code == 200, iri
        graph = Graph().parse(data=response.data, format="turtle")
        assert len(graph), iri
        if not iri.endswith("/provenance"):  # the provenance graph describes the others, not itself
            assert (URIRef(iri), None, None) in graph, iri
        html = real_client.get(path, headers={"Accept": "text/html"})
        assert html.status_code == 200 and html.mimetype == "text/html"


def test_a_graph_iri_gives_the_graph_and_its_provenance(real_client):
    response = real_client.get("/graph/pages/SP320067", headers={"Accept": "application/n-triples"})
    body = response.get_data(as_text=True)
    assert f"<{PAGE_GRAPH}> <http://purl.org/dc/terms/source>" in body
    assert "<https://w3id.org/rcrc/id/pledge/SP320067> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>" in body
    assert "rel=\"alternate\"" in response.headers["Link"]
    assert real_client.get("/graph/pages/SP320067.ttl").mimetype == "text/turtle"
    assert real_client.get("/graph/nothing/here", headers={"Accept": "text/turtle"}).status_code == 404


# -- the W3C Graph Store Protocol tests, on a read-only store ------------------------------------

SUITE = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "w3c" / "sparql" / "sparql11"
MANIFEST = SUITE / "graph-store-protocol" / "manifest-indirect.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = "http://www.w3.org/2011/http-statusCodes#"
WRITES = ("PUT", "POST", "DELETE")
STATUS = {"OK": 200, "NotFound": 404}
# POST to the endpoint itself creates a graph and answers its Location: there is nothing to
# create on a read-only store (and a POST without graph= is a SPARQL protocol request here).
NOT_APPLICABLE = {"post_get_new_graph": "graph creation by POST (mf:POSTGraphCreation) needs a writable store"}


def _manifest():
    if not MANIFEST.exists():
        return None, []
    graph = Graph().parse(MANIFEST, format="turtle")
    entries = graph.value(next(graph.subjects(RDF.type, MF.Manifest)), MF.entries)
    return graph, list(Collection(graph, entries))


MANIFEST_GRAPH, GSP_TESTS = _manifest()


def _value(node, prop):
    found = MANIFEST_GRAPH.value(node, prop)
    return None if found is None else str(found)


def _headers(node, prop=HT.headers):
    items = MANIFEST_GRAPH.value(node, prop)
    pairs = list(Collection(MANIFEST_GRAPH, items)) if items is not None else []
    return {_value(h, HT.fieldName).lower(): _value(h, HT.fieldValue) for h in pairs}


def _body_graph(node, content_type):
    body = MANIFEST_GRAPH.value(node, HT.body)
    text = _value(body, CNT.chars) if body is not None else None
    if text is None:
        return None
    if content_type.startswith("multipart/form-data"):
        message = email.parser.Parser().parsestr(f"Content-Type: {content_type}\r\n\r\n{text}")
        merged = Graph()
        for part in message.get_payload():
            merged.parse(data=part.get_payload(), format="turtle")
        return merged
    return Graph().parse(data=text, format="turtle")


def _graph_name(path):
    query = parse_qs(urlsplit(path).query, keep_blank_values=True)
    return query["graph"][0] if "graph" in query else "default"


@pytest.fixture(scope="module")
def gsp_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("gsp-store")
    store = EmbeddedStore(root, keep=2)
    store.publish([_write_dataset(tmp_path_factory.mktemp("gsp-data"), {})])
    with ServiceServer({"STORE_DIR": str(root), "KEEP_RELEASES": 2}) as server:
        yield server, store, tmp_path_factory.mktemp("gsp-releases")


def _write_dataset(folder, graphs):
    """A TriG file holding ``graphs`` {name: rdflib Graph}; the default graph goes in a named graph of
    its own, since the default graph here is always the union of the named graphs."""
    dataset = Dataset()
    for name, graph in graphs.items():
        target = dataset.graph(URIRef("urn:x-gsp:default" if name == "default" else name))
        for triple in graph:
            target.add(triple)
    path = folder / f"{time.monotonic_ns()}.trig"
    dataset.serialize(path, format="trig")
    return path


def _send(server, method, path, headers, body=None):
    path = path.replace("/gsp", "/sparql", 1)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.mark.slow
@pytest.mark.parametrize("test", [t for t in GSP_TESTS if str(t).rsplit("#", 1)[-1] not in NOT_APPLICABLE],
                         ids=lambda t: str(t).rsplit("#", 1)[-1])
def test_w3c_graph_store_protocol_read_side(gsp_server, test):
    server, store, folder = gsp_server
    graphs = {}  # what the writes would have made: the state each read is checked against
    action = MANIFEST_GRAPH.value(test, MF.action)
    for request in Collection(MANIFEST_GRAPH, MANIFEST_GRAPH.value(action, HT.requests)):
        method, path = _value(request, HT.methodName), _value(request, HT.absolutePath)
        headers = _headers(request)
        name = _graph_name(path)
        if method in WRITES:
            content = _body_graph(request, headers.get("content-type", ""))
            status, answer, _ = _send(server, method, path, headers,
                                      (_value(MANIFEST_GRAPH.value(request, HT.body), CNT.chars) or "").encode())
            assert status == 405 and answer.get("Allow") == "GET, HEAD", (method, path, status)
            if method == "PUT":
                graphs[name] = content
            elif method == "POST":
                graphs[name] = (graphs.get(name) or Graph()) + content
            else:
                graphs.pop(name, None)
            continue
        store.publish([_write_dataset(folder, graphs)])
        _check_read(server, request, method, path, headers)


def _check_read(server, request, method, path, headers):
    status, answer, body = _send(server, method, path, headers)
    expected = MANIFEST_GRAPH.value(request, HT.resp)
    wanted = {STATUS[str(s).removeprefix(HTS)] for s in MANIFEST_GRAPH.objects(expected, MF.expectedStatus)}
    assert status in wanted, (method, path, status, body[:200])
    for field, value in _headers(expected).items():
        assert answer.get(field.title()) == value, (field, answer)
    content = _body_graph(expected, "text/turtle")
    if content is not None:
        got = Graph().parse(data=body, format="turtle")
        assert isomorphic(got, content), got.serialize(format="nt")


def test_the_w3c_graph_store_suite_is_here():
    assert GSP_TESTS or not SUITE.exists(), f"no Graph Store Protocol tests in {MANIFEST}"


@pytest.mark.parametrize("params", [
    {"graph": "https://w3id.org/rcrc/graph/data/conferences", "query": "ASK {}"},
    {"default": "", "query": "ASK {}"},
])
def test_a_graph_and_a_query_together_are_refused(real_client, params):
    response = real_client.get("/sparql", query_string=params)
    assert response.status_code == 400

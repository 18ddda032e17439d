"""The W3C SPARQL 1.1 Protocol and Service Description tests, against the real service.

The manifests (../shared/conformance/w3c/sparql/sparql11/) are read as RDF; each request of
each test is sent over HTTP to the service on 127.0.0.1, on a store holding the manifests'
data files in the named graphs their labels give.

Not applicable: the protocol's *update* tests (update_dataset_default_graph,
update_dataset_default_graphs, update_dataset_named_graphs, update_dataset_full,
update_post_form, update_post_direct, update_base_uri) expect an update to succeed, and this
public endpoint is read-only. For each of them we check our documented behaviour instead: the
update is refused with a 4xx and a plain-text reason, and the data is unchanged. The
negative update tests (bad_update_*, bad_multiple_updates) expect a 4xx and pass as written.
"""

import http.client
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from service.stores.embedded import EmbeddedStore
from tests.servers import ServiceServer

pytestmark = pytest.mark.slow

SUITE = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "w3c" / "sparql" / "sparql11"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
STATUS = "http://www.w3.org/2011/http-statusCodes#StatusCode"

NOT_APPLICABLE = {
    name: "the public endpoint is read-only: updates are refused with 4xx"
    for name in (
        "update_dataset_default_graph",
        "update_dataset_default_graphs",
        "update_dataset_named_graphs",
        "update_dataset_full",
        "update_post_form",
        "update_post_direct",
        "update_base_uri",
    )
}
TABULAR = {"application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"}
BOOLEAN = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
}
RDF_TYPES = {"application/rdf+xml", "text/turtle", "application/n-triples"}

pytest.importorskip("rdflib")
if not SUITE.exists():
    pytest.skip(f"W3C suite not found at {SUITE}", allow_module_level=True)


def _manifest(folder):
    graph = Graph().parse(SUITE / folder / "manifest.ttl", format="turtle")
    entries = graph.value(next(graph.subjects(RDF.type, MF.Manifest)), MF.entries)
    return graph, list(Collection(graph, entries))


PROTOCOL, PROTOCOL_TESTS = _manifest("protocol")
SD_GRAPH, SD_TESTS = _manifest("service-description")


def _name(test):
    return str(test).rsplit("#", 1)[-1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The service over a store holding data1..3.nt in the graphs the manifest names."""
    root = tmp_path_factory.mktemp("w3c-store")
    quads = tmp_path_factory.mktemp("w3c-data") / "data.nq"
    with open(quads, "w", encoding="utf-8") as out:
        for data in sorted(
            {(PROTOCOL.value(d, UT.graph), PROTOCOL.value(d, RDFS.label)) for d in PROTOCOL.objects(None, UT.graphData)}
        ):
            path, label = Path(str(data[0]).removeprefix("file://")), str(data[1])
            path = SUITE / "protocol" / path.name
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    out.write(line.rstrip().rstrip(".") + f" <{label}> .\n")
    EmbeddedStore(root).publish([quads])
    with ServiceServer({"STORE_DIR": str(root), "QUERY_TIMEOUT": 10}) as running:
        yield running


def _requests(test):
    action = PROTOCOL.value(test, MF.action)
    return list(Collection(PROTOCOL, PROTOCOL.value(action, HT.requests)))


def _send(server, request):
    """Send one manifest request; (status, content type, body bytes)."""
    method = str(PROTOCOL.value(request, HT.methodName))
    path = str(PROTOCOL.value(request, HT.absolutePath))
    headers = {
        str(PROTOCOL.value(h, HT.fieldName)): str(PROTOCOL.value(h, HT.fieldValue))
        for h in _list(PROTOCOL.value(request, HT.headers))
    }
    body = None
    content = PROTOCOL.value(request, HT.body)
    if content is not None:
        encoding = str(PROTOCOL.value(content, CNT.characterEncoding) or "UTF-8")
        body = str(PROTOCOL.value(content, CNT.chars)).encode(encoding.lower())
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


def _list(node):
    return list(Collection(PROTOCOL, node)) if node is not None else []


def _check(request, status, content_type, body):
    expected = PROTOCOL.value(request, HT.resp)
    classes = {str(s).removeprefix(STATUS)[0] for s in PROTOCOL.objects(expected, MF.expectedStatus)}
    assert str(status)[0] in classes, (status, body[:300])
    media_type = content_type.split(";")[0].strip()
    fmt = PROTOCOL.value(expected, MF.expectedFormat)
    if fmt is not None and str(fmt) == "tabular":
        assert media_type in TABULAR
    if fmt is not None and str(fmt) == "RDF":
        assert media_type in RDF_TYPES
        Graph().parse(data=body, format={"application/rdf+xml": "xml", "text/turtle": "turtle"}.get(media_type, "nt"))
    if fmt is not None and str(fmt) == "boolean":
        assert media_type in BOOLEAN
        answer = ox.parse_query_results(body, BOOLEAN[media_type])
        wanted = PROTOCOL.value(expected, MF.expectedBoolean)
        if wanted is not None:
            assert bool(answer) == wanted.toPython()


@pytest.mark.parametrize("test", [t for t in PROTOCOL_TESTS if _name(t) not in NOT_APPLICABLE], ids=_name)
def test_protocol(server, test):
    for request in _requests(test):
        _check(request, *_send(server, request))


@pytest.mark.parametrize("test", [t for t in PROTOCOL_TESTS if _name(t) in NOT_APPLICABLE], ids=_name)
def test_update_tests_are_refused_read_only(server, test):
    """Not applicable as written (read-only endpoint): the update is refused, the data unchanged."""
    update = _requests(test)[0]
    status, content_type, body = _send(server, update)
    assert 400 <= status < 500
    assert content_type.startswith("text/plain")
    assert b"read-only" in body
    status, _, body = _send_query(server, "ASK { GRAPH <http://kasei.us/2009/09/sparql/data/data1.rdf> { ?s ?p ?o } }")
    assert status == 200 and b"true" in body


def _send_query(server, query):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("POST", "/sparql", body=query.encode(), headers={"Content-Type": "application/sparql-query"})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


def _service_description(server, accept):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", "/sparql/", headers={"Accept": accept})
        response = connection.getresponse()
        body = response.read()
        assert response.status == 200
        media_type = response.getheader("Content-Type").split(";")[0]
    finally:
        connection.close()
    fmt = {
        "text/turtle": "turtle",
        "application/rdf+xml": "xml",
        "application/ld+json": "json-ld",
        "application/n-triples": "nt",
    }[media_type]
    return Graph().parse(data=body, format=fmt)


@pytest.mark.parametrize("test", SD_TESTS, ids=_name)
@pytest.mark.parametrize("accept", ["text/turtle", "application/rdf+xml", "application/ld+json", "*/*"])
def test_service_description(server, test, accept):
    graph = _service_description(server, accept)  # returns-rdf: it parsed as RDF
    services = list(graph.subjects(RDF.type, SD.Service))
    assert len(services) == 1
    service = services[0]
    if _name(test) == "has-endpoint-triple":
        assert (service, SD.endpoint, URIRef(server.url("/sparql/"))) in graph
    if _name(test) == "conforms-to-schema":
        assert set(graph.objects(service, SD.supportedLanguage)) == {SD.SPARQL11Query}
        assert all(isinstance(f, URIRef) for f in graph.objects(service, SD.resultFormat))
        dataset = graph.value(service, SD.defaultDataset)
        assert (dataset, RDF.type, SD.Dataset) in graph
        assert (graph.value(dataset, SD.defaultGraph), RDF.type, SD.Graph) in graph
        names = {graph.value(n, SD.name) for n in graph.objects(dataset, SD.namedGraph)}
        assert URIRef("http://kasei.us/2009/09/sparql/data/data1.rdf") in names
        assert urlsplit(str(graph.value(service, SD.endpoint))).hostname == "127.0.0.1"

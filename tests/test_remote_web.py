"""The web service over a remote store (a real Oxigraph server): same pages, same endpoint, same errors."""

import re
from pathlib import Path

import pytest

from service.app import create_app
from service.stores.remote import RemoteStore
from tests.stores import OxigraphServer

MINI = Path(__file__).resolve().parent / "fixtures" / "mini.trig"
PLEDGES = "SELECT ?p WHERE { ?p a <https://w3id.org/rcrc/def/Pledge> }"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """An Oxigraph server of this module's own (tests here stop and restart it)."""
    started = OxigraphServer(tmp_path_factory.mktemp("oxigraph-web")).start()
    yield started
    started.stop()


@pytest.fixture
def client(server):
    RemoteStore.from_config(server.config()).publish([MINI])
    app = create_app({"TESTING": True, **server.config(QUERY_TIMEOUT=2.0)})
    assert isinstance(app.extensions["pledgegraph.store"], RemoteStore)
    return app.test_client()


def test_home_page_over_a_remote_store(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Pledge" in response.data


def test_sparql_endpoint_over_a_remote_store(client):
    response = client.get("/sparql", query_string={"query": PLEDGES},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    bindings = response.get_json()["results"]["bindings"]
    assert [b["p"]["value"] for b in bindings] == ["https://w3id.org/rcrc/id/pledge/SP320067"]


def test_named_graph_parameters_over_a_remote_store(client):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    themes = "https://w3id.org/rcrc/graph/data/themes"
    response = client.get("/sparql", query_string={"query": query, "named-graph-uri": themes},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert [b["g"]["value"] for b in response.get_json()["results"]["bindings"]] == [themes]


def test_endpoint_safety_rules_hold_over_a_remote_store(client):
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"
    response = client.get("/sparql", query_string={"query": service}, headers={"Accept": "text/plain"})
    assert response.status_code == 400
    deep = "SELECT * WHERE " + "{ " * 500 + "?s ?p ?o" + " }" * 500
    response = client.get("/sparql", query_string={"query": deep}, headers={"Accept": "text/plain"})
    assert response.status_code == 400


def test_store_down_is_503_then_recovers(client, server):
    server.stop()
    try:
        response = client.get("/sparql", query_string={"query": PLEDGES},
                              headers={"Accept": "application/sparql-results+json, text/plain;q=0.5"})
        assert response.status_code == 503
        assert response.headers.get("Retry-After")
        assert "cannot reach the store" in response.get_data(as_text=True)
        assert client.get("/", headers={"Accept": "text/plain"}).status_code == 503
    finally:
        server.start()
    response = client.get("/sparql", query_string={"query": PLEDGES},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200


@pytest.mark.parametrize("url", [
    "/doc/pledge/SP320067", "/doc/theme/migration", "/doc/conference/32.nt", "/doc/organisation/icrc.jsonld",
    "/search?q=migration", "/search/suggest?q=mig", "/sitemap.xml",
    '/reconcile?queries={"q0":{"query":"ICRC"}}', "/no/such/page",
])
def test_pages_are_the_same_over_either_store(client, mini_client, url):
    remote, embedded = client.get(url), mini_client.get(url)
    assert (remote.status_code, remote.mimetype) == (embedded.status_code, embedded.mimetype)
    assert _undated(remote.data) == _undated(embedded.data)


def _undated(body):
    """The body without the sitemap's dates: the two releases are published a moment apart, and
    around midnight their dates differ."""
    return re.sub(rb"<lastmod>[^<]*</lastmod>", b"<lastmod/>", body)


def test_graph_store_graph_iris_and_json_ld_over_a_remote_store(client):
    graph = "https://w3id.org/rcrc/graph/pages/SP320067"
    one = client.get("/sparql", query_string={"graph": graph}, headers={"Accept": "application/n-triples"})
    assert one.status_code == 200 and len(one.get_data(as_text=True).strip().splitlines()) == 10
    union = client.get("/sparql?default", headers={"Accept": "application/n-triples"})
    assert len(union.get_data(as_text=True).strip().splitlines()) == 40
    assert client.get("/sparql?graph=urn:x-pledgegraph:release").status_code == 404  # the pointer stays hidden
    assert client.put("/sparql", query_string={"graph": graph}).headers["Allow"] == "GET, HEAD"
    document = client.get("/graph/pages/SP320067", headers={"Accept": "application/ld+json"})
    assert document.status_code == 200 and "@context" in document.get_json()

"""Hostile input on every release route: unknown releases are 404, malformed Accept-Datetime is 400,
oversized or abusive permalink creation is 413 or 429, and nothing published or recorded is lost."""

import html
import re

import pytest
import rdflib

from service.app import create_app
from service.namespaces import BASE
from service.stores.embedded import EmbeddedStore
from service.stores.ledger import Ledger

from .conftest import FIXTURES

OLD, NEW = "20260101T000000000000Z", "20260102T000000000000Z"
UNKNOWN = "20990101T000000000000Z"
ASK = "ASK { ?s ?p ?o }"
TAG = "2026-12"


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root = tmp_path_factory.mktemp("release-faults")
    store = EmbeddedStore(root)
    for name in (OLD, NEW):
        store.publish([FIXTURES / "mini.trig"], release=name)
    Ledger(root).tag(TAG, OLD)
    return root


def make_client(root, **config):
    return create_app({"TESTING": True, "STORE_DIR": str(root), **config}).test_client()


def snapshot(root):
    ledger = Ledger(root)
    store = EmbeddedStore(root)
    return store.current_release(), store.release_names(), ledger.tags(), ledger.pinned()


@pytest.mark.parametrize("method, path, data", [
    ("GET", "/releases/nope/", None),
    ("GET", "/releases/nope", None),
    ("GET", "/releases/nope/sparql?query=ASK%7B%7D", None),
    ("POST", "/releases/nope/sparql", {"query": ASK}),
    ("GET", f"/releases/{UNKNOWN}/", None),
    ("GET", f"/releases/{UNKNOWN}", None),
    ("GET", f"/releases/{UNKNOWN}/sparql?query=ASK%7B%7D", None),
    ("POST", f"/releases/{UNKNOWN}/sparql", {"query": ASK}),
    ("GET", f"/releases/{UNKNOWN}/doc/pledge/SP320067", None),
    ("GET", f"/releases/{UNKNOWN}/id/pledge/SP320067", None),
    ("GET", f"/releases/{UNKNOWN}/dumps/pledgegraph.ttl", None),
    ("GET", f"/releases/{UNKNOWN}/.well-known/void", None),
    ("GET", f"/releases/{UNKNOWN}/changes", None),
    ("GET", f"/releases/{UNKNOWN}/changes.json", None),
    ("GET", f"/releases/{UNKNOWN}/citation.bib", None),
    ("GET", f"/releases/{OLD}/citation.exe", None),
    ("GET", f"/releases/{OLD}/changes.exe", None),
    ("GET", "/releases/..%2F..%2Fetc/sparql", None),
    ("GET", "/releases/%2e%2e/changes", None),
    ("GET", f"/release/{UNKNOWN}", None),
    ("GET", f"/releases/{OLD}%0a/", None),  # ids and tags match whole: no trailing newline, no padding
    ("GET", f"/releases/{OLD}%0a", None),
    ("GET", f"/releases/{OLD}%0a/sparql?query=ASK%7B%7D", None),
    ("GET", f"/releases/{OLD}%0a/changes", None),
    ("GET", f"/releases/{OLD}/%0a", None),
    ("GET", f"/releases/{OLD}/changes.%0a", None),
    ("GET", f"/releases/%20{OLD}/", None),
    ("GET", f"/release/{OLD}%0a", None),
    ("GET", f"/releases/{TAG}%0a/", None),
    ("GET", f"/releases/{TAG}%0a", None),
    ("GET", f"/releases/{TAG}%0a/sparql?query=ASK%7B%7D", None),
    ("GET", f"/releases/{TAG}/%0a", None),
    ("GET", f"/releases/{TAG}/changes.%0a", None),
    ("GET", f"/releases/{TAG}/doc/pledge/SP320067%0a", None),
    ("GET", "/releases/current%0a/", None),
    ("GET", f"/release/{TAG}%0a", None),
    ("GET", f"/api/queries/conferences-overview.json?release={OLD}%0a", None),
    ("GET", f"/api/queries/conferences-overview.json?release={TAG}%0a", None),
    ("GET", "/api/queries/conferences-overview.json?release=nope", None),
    ("GET", f"/api/queries/conferences-overview.json?release={UNKNOWN}", None),
    ("POST", "/q", {"query": ASK, "release": "nope"}),
    ("POST", "/q", {"query": ASK, "release": UNKNOWN}),
    ("GET", "/q/aaaaaaaaaaaaaaaaaaaa", None),
    ("GET", "/q/aaaaaaaaaaaaaaaaaaaa.csv", None),
    ("GET", "/q/..%2F..%2Fhistory", None),
    ("GET", "/q/aaaaaaaaaaaaaaaaaaaa/citation.bib", None),
    ("GET", "/timemap/link/doc/pledge/nothing-here", None),
    ("GET", "/timemap/json/doc/pledge/nothing-here", None),
])
def test_unknown_releases_and_permalinks_are_404(root, method, path, data):
    before = snapshot(root)
    response = make_client(root).open(path, method=method, data=data, headers={"Accept": "text/plain"})
    if response.status_code in (302, 307):  # a tag's address: the id's, where the same holds
        response = make_client(root).open(response.headers["Location"], method=method, data=data,
                                          headers={"Accept": "text/plain"})
    assert response.status_code == 404, (path, response.status_code, response.data[:200])
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert snapshot(root) == before


@pytest.mark.parametrize("path", ["/doc/pledge/SP320067", "/doc/pledge/SP320067.ttl", "/def/", "/def/Pledge",
                                  "/shapes/", "/graph/data/themes"])
@pytest.mark.parametrize("value", [
    "yesterday", "2026-01-01", "2026-01-01T00:00:00Z", "Thu, 31 May 2007 20:35:00", "Thu, 31 May 2007 20:35:00 PST",
    "Thu, 32 May 2007 20:35:00 GMT", "Thu, 31 Mai 2007 20:35:00 GMT", "Thu, 31 May 2007 25:35:00 GMT",
    "Thursday, 31-May-07 20:35:00 GMT", "", "x" * 5000, "Thu, 31 May 2007 20:35:00 GMT, Fri, 01 Jun 2007 00:00:00 GMT",
    "Tue, 30 Nov 2026 12:00:00 GMT",  # 30 November 2026 is a Monday
])
def test_malformed_accept_datetime_is_400(root, path, value):
    response = make_client(root).get(path, headers={"Accept-Datetime": value, "Accept": "text/plain"})
    assert response.status_code == 400, (path, value, response.status_code)
    assert b"RFC 7089" in response.data
    assert "accept-datetime" in response.headers["Vary"].lower()


def test_an_oversized_permalink_is_413_and_stores_nothing(root):
    before = snapshot(root)
    client = make_client(root, MAX_QUERY_BYTES=2000)
    query = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 3000
    for data in ({"query": query}, {"query": ASK, "release": "x" * 3000}):
        response = client.post("/q", data=data)
        assert response.status_code == 413
    assert snapshot(root) == before


@pytest.mark.parametrize("data, content_type, status", [
    ({"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"}, None, 400),
    ({"query": "DELETE WHERE { ?s ?p ?o }"}, None, 400),
    ({"query": "SELECT * WHERE { ?s ?p "}, None, 400),
    ({"query": "SELECT * WHERE " + "{ " * 200 + "?s ?p ?o" + " }" * 200}, None, 400),
    ({"query": ""}, None, 400),
    ({}, None, 400),
    ("query=ASK%7B%7D&query=ASK%7B%7D", "application/x-www-form-urlencoded", 400),
    ("query=ASK%7B%7D&release=a&release=b", "application/x-www-form-urlencoded", 400),
    ('{"query": "ASK {}"}', "application/json", 415),
    ("ASK {}", "application/sparql-query", 415),
])
def test_bad_permalink_requests_are_refused_and_store_nothing(root, data, content_type, status):
    before = snapshot(root)
    response = make_client(root).post("/q", data=data, content_type=content_type, headers={"Accept": "text/plain"})
    assert response.status_code == status, response.data
    assert snapshot(root) == before


def test_abusive_permalink_creation_is_429(tmp_path):
    EmbeddedStore(tmp_path).publish([FIXTURES / "mini.trig"], release=OLD)
    client = make_client(tmp_path, PERMALINKS_PER_HOUR=2)
    made = [client.post("/q", data={"query": f"ASK {{ ?s ?p {n} }}"}) for n in range(2)]
    assert [r.status_code for r in made] == [201, 201]
    refused = client.post("/q", data={"query": "ASK { ?s ?p 3 }"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    again = client.post("/q", data={"query": "ASK { ?s ?p 0 }"})  # an existing permalink is found, not made
    assert again.status_code == 200
    other = client.post("/q", data={"query": "ASK { ?s ?p 4 }"}, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert other.status_code == 201  # the limit is per client address
    assert sum(Ledger(tmp_path).pinned().values()) == 3
    everyone = make_client(tmp_path, PERMALINKS_PER_DAY=3)
    crowd = everyone.post("/q", data={"query": "ASK { ?s ?p 5 }"}, environ_base={"REMOTE_ADDR": "10.0.0.3"})
    assert crowd.status_code == 429  # all clients together
    for response in made:  # nothing made before is lost
        assert client.get(response.headers["Location"] + ".srj").status_code == 200


RDF_TYPES = ["text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples"]
SPDX = "http://spdx.org/rdf/terms#"


@pytest.mark.parametrize("path", ["/releases/", f"/releases/{OLD}/", f"/releases/{NEW}/", "/.well-known/void"])
@pytest.mark.parametrize("media_type", RDF_TYPES)
def test_every_distribution_has_one_checksum_of_its_own(root, path, media_type):
    """In the merged graph of every release, each dump has exactly its own SHA-256, the same each time."""
    client = make_client(root)
    body = client.get(path, headers={"Accept": media_type}).data
    assert client.get(path, headers={"Accept": media_type}).data == body  # deterministic (ETags)
    graph = rdflib.Graph().parse(data=body, format=PARSERS[media_type])
    checksum, value = rdflib.URIRef(SPDX + "checksum"), rdflib.URIRef(SPDX + "checksumValue")
    owners = {}
    for distribution in set(graph.subjects(checksum, None)):
        values = {v for c in graph.objects(distribution, checksum) for v in graph.objects(c, value)}
        assert len(values) == 1, (distribution, values)
        for node in graph.objects(distribution, checksum):
            owners.setdefault(node, set()).add(distribution)
    assert owners and all(len(o) == 1 for o in owners.values()), owners


PARSERS = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/rdf+xml": "xml",
           "application/n-triples": "nt"}
HREF = re.compile(r'(?:href|src)="([^"]+)"')


def _links(response):
    """The local links of a page, feed or DCAT description (release IRIs under BASE made local)."""
    text = response.get_data(as_text=True)
    found = set(HREF.findall(text))
    if response.mimetype == "text/turtle":
        found |= {iri.replace(BASE, "/", 1) for iri in re.findall(r"<([^>]+)>", text) if iri.startswith(BASE)}
    local = {html.unescape(link).replace("http://localhost/", "/", 1).split("#")[0] for link in found}
    return {link for link in local if link.startswith("/") and not link.startswith("//")}


def test_every_link_of_the_release_pages_feed_and_dcat_answers(root):
    client = make_client(root)
    sources = [("/releases/", "text/html"), ("/releases/", "text/turtle"), ("/releases/feed.atom", "*/*")]
    for release in (OLD, NEW):
        sources += [(f"/releases/{release}/", "text/html"), (f"/releases/{release}/", "text/turtle"),
                    (f"/releases/{release}/changes", "text/html")]
    links = set()
    for path, accept in sources:
        response = client.get(path, headers={"Accept": accept})
        assert response.status_code == 200, path
        links |= _links(response)
    assert {f"/releases/{NEW}/changes.json", f"/releases/{NEW}/changes.rdfp", f"/releases/{NEW}/changes"} <= links
    broken = {}
    for link in sorted(links - {"/def/"}):  # the menu's ontology: the fixture holds none
        response = client.get(link, follow_redirects=True)
        if response.status_code != 200:
            broken[link] = response.status_code
    assert not broken, broken


PLEDGE_TITLES = ("WHERE { ?p a <https://w3id.org/rcrc/def/Pledge> ; <http://www.w3.org/2000/01/rdf-schema#label> ?t }")


@pytest.mark.parametrize("query, reason", [
    ("CONSTRUCT { ?p <http://example.org/x> [ <http://example.org/y> ?t ] } " + PLEDGE_TITLES, "two runs"),
    ("CONSTRUCT { ?p <http://example.org/x> _:b . _:b <http://example.org/y> ?t } " + PLEDGE_TITLES, "two runs"),
    ("SELECT ?p (NOW() AS ?when) " + PLEDGE_TITLES, "NOW()"),
    ("SELECT ?p (YEAR(now()) AS ?year) " + PLEDGE_TITLES, "NOW()"),
    ("SELECT ?p (RAND() AS ?r) " + PLEDGE_TITLES, "RAND()"),
    ("SELECT ?p (STRUUID() AS ?u) " + PLEDGE_TITLES, "STRUUID()"),
    ("SELECT ?p (UUID() AS ?u) " + PLEDGE_TITLES, "UUID()"),
    ("SELECT ?p (BNODE() AS ?b) " + PLEDGE_TITLES, "BNODE()"),
    ("SELECT ?p ?b " + PLEDGE_TITLES[:-1] + " BIND(BNODE(?t) AS ?b) }", "BNODE()"),
    ("CONSTRUCT { ?p <http://example.org/x> ?b } " + PLEDGE_TITLES[:-1] + " BIND(BNODE() AS ?b) }", "BNODE()"),
    ("ASK " + PLEDGE_TITLES[6:-1] + " FILTER(RAND() < 2) }", "RAND()"),
])
def test_a_query_whose_answer_cannot_be_given_again_gets_no_permalink(root, query, reason):
    before = snapshot(root)
    client = make_client(root)
    assert client.post("/sparql", data={"query": query}).status_code == 200  # a fine query, run at /sparql
    response = client.post("/q", data={"query": query}, headers={"Accept": "application/json"})
    assert response.status_code == 400, response.data
    assert reason in response.get_data(as_text=True) and "permalink" in response.get_data(as_text=True)
    assert snapshot(root) == before


@pytest.mark.parametrize("query", [
    'SELECT ?p ("NOW()" AS ?text) ' + PLEDGE_TITLES,  # the names in a literal, an IRI or a variable
    "SELECT ?p ?now ?rand " + PLEDGE_TITLES[:-1] + " OPTIONAL { ?p <http://example.org/RAND()> ?now } }",
    "CONSTRUCT { ?p <http://example.org/x> ?t } " + PLEDGE_TITLES,
])
def test_a_reproducible_query_gets_its_permalink(tmp_path, query):
    EmbeddedStore(tmp_path).publish([FIXTURES / "mini.trig"], release=OLD)
    client = make_client(tmp_path)
    made = client.post("/q", data={"query": query})
    assert made.status_code == 201, made.data
    assert client.get(made.headers["Location"], headers={"Accept": "text/csv, text/turtle"}).status_code == 200


@pytest.mark.parametrize("data", [
    {"query": "SELECT * WHERE { ?s ?p "},  # a syntax error the engine finds
    {"query": "SELECT (RAND() AS ?r) WHERE {}"},
    {"query": "CONSTRUCT { ?p <http://example.org/x> [] } " + PLEDGE_TITLES},
    {"query": ASK, "release": "nope"},
    {"query": "DELETE WHERE { ?s ?p ?o }"},
])
def test_refused_permalinks_use_none_of_the_limit(tmp_path, data):
    EmbeddedStore(tmp_path).publish([FIXTURES / "mini.trig"], release=OLD)
    client = make_client(tmp_path, PERMALINKS_PER_HOUR=2)
    for _ in range(5):
        assert 400 <= client.post("/q", data=data).status_code < 429
    made = [client.post("/q", data={"query": f"ASK {{ ?s ?p {n} }}"}).status_code for n in range(3)]
    assert made == [201, 201, 429]

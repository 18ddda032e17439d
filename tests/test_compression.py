"""Compressed answers on every textual route: gzip and br as asked, the same bytes once decoded,
``Vary: Accept-Encoding``, conditional requests still answered 304; dumps left as they are."""

import gzip
import json

import brotli
import pytest
import requests
from rdflib import Graph
from rdflib.compare import isomorphic

from tests.servers import ServiceServer

SELECT = "SELECT * WHERE { ?s ?p ?o } LIMIT 500"
CONSTRUCT = "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 500"
ROUTES = [
    ("/sparql", {"query": SELECT}, "application/sparql-results+json"),
    ("/sparql", {"query": SELECT}, "application/sparql-results+xml"),
    ("/sparql", {"query": SELECT}, "text/csv"),
    ("/sparql", {"query": SELECT}, "text/tab-separated-values"),
    ("/sparql", {"query": CONSTRUCT}, "text/turtle"),
    ("/sparql", {"query": CONSTRUCT}, "application/ld+json"),
    ("/sparql", {"query": CONSTRUCT}, "application/rdf+xml"),
    ("/sparql", {"query": CONSTRUCT}, "application/n-triples"),
    ("/sparql", {"query": CONSTRUCT}, "application/n-quads"),
    ("/sparql", {"query": CONSTRUCT}, "application/trig"),
    ("/sparql", {}, "text/turtle"),  # the service description
    ("/sparql", {}, "text/html"),  # the query UI
    ("/sparql", {"default": ""}, "application/n-triples"),
    ("/doc/pledge/SP320067", {}, "text/turtle"),
    ("/doc/pledge/SP320067", {}, "text/html"),
    ("/def/", {}, "application/rdf+xml"),
    ("/shapes/", {}, "text/turtle"),
    ("/graph/data/conferences", {}, "application/ld+json"),
    ("/.well-known/void", {}, "text/turtle"),
    ("/api/queries/conferences-overview", {}, "application/json"),
    ("/api/queries/conferences-overview", {}, "text/csv"),
    ("/api/queries", {}, "application/json"),
    ("/openapi.json", {}, "application/json"),
    ("/", {}, "text/html"),
    ("/pledges", {}, "text/html"),
    ("/sitemap.xml", {}, "application/xml"),
]
DECODE = {"gzip": gzip.decompress, "br": brotli.decompress}


@pytest.mark.parametrize("coding", ["gzip", "br"])
@pytest.mark.parametrize("path, params, accept", ROUTES, ids=[f"{p}-{a}" for p, _, a in ROUTES])
def test_textual_answers_are_compressed(real_client, path, params, accept, coding):
    plain = real_client.get(path, query_string=params, headers={"Accept": accept})
    packed = real_client.get(path, query_string=params, headers={"Accept": accept, "Accept-Encoding": coding})
    assert plain.status_code == packed.status_code == 200
    assert plain.mimetype == packed.mimetype == accept
    assert "Accept-Encoding" in packed.headers["Vary"] and "Accept-Encoding" in plain.headers["Vary"]
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == coding
    decoded = DECODE[coding](packed.data)
    if params == {} and path == "/sparql" and accept == "text/turtle":  # fresh blank nodes each time
        assert isomorphic(Graph().parse(data=decoded, format="turtle"), Graph().parse(data=plain.data, format="turtle"))
    else:
        assert decoded == plain.data
    assert len(packed.data) < len(plain.data)
    etag = packed.headers.get("ETag")
    if etag:
        again = real_client.get(path, query_string=params, headers={
            "Accept": accept, "Accept-Encoding": coding, "If-None-Match": etag})
        assert again.status_code == 304


def test_dumps_are_sent_as_they_are(real_client):
    whole = real_client.get("/dumps/pledgegraph.ttl", headers={"Accept-Encoding": "gzip"})
    assert whole.status_code == 200 and "Content-Encoding" not in whole.headers
    part = real_client.get("/dumps/pledgegraph.ttl", headers={"Accept-Encoding": "gzip", "Range": "bytes=0-99"})
    assert part.status_code == 206 and part.data == whole.data[:100]


@pytest.mark.slow
def test_500_rows_of_sparql_json_travel_compressed(real_store_dir):
    """The issue's example, over HTTP through gunicorn, with a client's own decoding (requests)."""
    with ServiceServer({"STORE_DIR": str(real_store_dir)}) as server:
        response = requests.get(server.url("/sparql"), params={"query": SELECT},
                                headers={"Accept": "application/sparql-results+json",
                                         "Accept-Encoding": "gzip"}, timeout=30, stream=True)
        raw = response.raw.read(decode_content=False)
        assert response.headers["Content-Encoding"] == "gzip"
        assert len(gzip.decompress(raw)) > 50_000 > 5 * len(raw)  # about 10x on the real data
        assert len(json.loads(gzip.decompress(raw))["results"]["bindings"]) == 500

"""A cut answer says so in-band where its format can, and always in headers.

SPARQL JSON carries ``head.link`` and SPARQL XML ``<link href>`` to the page explaining the cap;
Turtle, TriG, N-Triples, N-Quads and RDF/XML carry a comment naming it; CSV, TSV and JSON-LD have
the headers only. Every format still parses, and an answer that is not cut says nothing.
"""

import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from service.app import create_app
from service.formats import RDF_FORMATS, RESULT_FORMATS

CAP = 3
SELECT = "SELECT ?s WHERE { ?s ?p ?o }"
CONSTRUCT = "CONSTRUCT WHERE { ?s ?p ?o }"
RESULTS = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture
def capped(mini_store_dir):
    return create_app({"TESTING": True, "STORE_DIR": str(mini_store_dir), "MAX_RESULT_ROWS": CAP}).test_client()


def _link_in_band(response):
    """The in-band pointer to the limits page, or None when the format has no place for one."""
    body, media = response.data, response.mimetype
    if media == "application/sparql-results+json":
        return (json.loads(body)["head"].get("link") or [None])[0]
    if media == "application/sparql-results+xml":
        link = ET.fromstring(body).find(f"{RESULTS}head/{RESULTS}link")
        return None if link is None else link.get("href")
    text = body.decode()
    if media in ("text/turtle", "application/n-triples", "application/n-quads", "application/trig"):
        return text.splitlines()[0].rsplit(" ", 1)[-1] if text.startswith("# results cut") else None
    if media == "application/rdf+xml":
        return text.split("<!-- ", 1)[1].split(" -->")[0].rsplit(" ", 1)[-1] if "<!-- results cut" in text else None
    return None


CASES = [(SELECT, f.media_type, f.name in ("json", "xml")) for f in RESULT_FORMATS] + [
    (CONSTRUCT, f.media_type, f.name != "jsonld") for f in RDF_FORMATS]


@pytest.mark.parametrize("query, accept, in_band", CASES, ids=[a for _, a, _ in CASES])
def test_a_cut_answer_says_so(capped, query, accept, in_band):
    response = capped.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == accept
    assert response.headers["X-Pledgegraph-Truncated"] == "true"
    assert "Warning" in response.headers
    link = _link_in_band(response)
    if in_band:
        assert link == "http://localhost/sparql/limits"
        page = capped.get(link.removeprefix("http://localhost"), headers={"Accept": "text/html"})
        assert page.status_code == 200 and f"more than {CAP} rows" in page.get_data(as_text=True)
    else:
        assert link is None
    if query == CONSTRUCT:
        fmt = next(f for f in RDF_FORMATS if f.media_type == accept)
        assert len(list(ox.parse(response.data, format=fmt.oxigraph))) == CAP  # still parses
    uncut = capped.get("/sparql", query_string={"query": query + " LIMIT 2"}, headers={"Accept": accept})
    assert "X-Pledgegraph-Truncated" not in uncut.headers and _link_in_band(uncut) is None


def test_a_cut_graph_store_answer_says_so(capped):
    response = capped.get("/sparql?default", headers={"Accept": "text/turtle"})
    assert response.headers["X-Pledgegraph-Truncated"] == "true"
    assert _link_in_band(response) == "http://localhost/sparql/limits"

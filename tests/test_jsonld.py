"""JSON-LD with a context: compacted by default with a Link to our context, expanded on request;
PyLD reads both back to the same triples as the route's N-Triples, on every JSON-LD route."""

import json

import pytest
from pyld import jsonld
from pyld.jsonld import JsonLdError
from rdflib import Graph
from rdflib.compare import isomorphic

from service.importers.rdf_files import parse_rdf
from service.pages.context import only

EXPANDED = 'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"'
CONTEXT = "http://localhost/def/context.jsonld"
CONTEXT_LINK = f'<{CONTEXT}>; rel="http://www.w3.org/ns/json-ld#context"'
ROUTES = [
    "/doc/pledge/SP320067",
    "/doc/theme/migration",
    "/def/",
    "/def/Pledge",
    "/shapes/",
    "/graph/pages/SP320067",
    "/.well-known/void",
    "/sparql",  # the service description
    "/sparql?graph=https://w3id.org/rcrc/graph/data/conferences",
    "/sparql?query=CONSTRUCT+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D+LIMIT+200",
    "/sparql?query=DESCRIBE+%3Chttps://w3id.org/rcrc/id/organisation/icrc%3E",
    "/api/queries/pledge-card?pledge=https://w3id.org/rcrc/id/pledge/SP320067",
]


def _graph(document, context):
    """The triples of a JSON-LD document as PyLD reads them (our context served from memory)."""
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": only(CONTEXT, context)})
    return Graph().parse(data=nquads, format="nt")


@pytest.mark.parametrize("path", ROUTES)
def test_compacted_by_default_expanded_on_request(real_client, path):
    context = real_client.get("/def/context.jsonld").get_json()
    reference = Graph().parse(data=real_client.get(path, headers={"Accept": "application/n-triples"}).data,
                              format="nt")
    compacted = real_client.get(path, headers={"Accept": "application/ld+json"})
    assert compacted.status_code == 200
    document = compacted.get_json()
    assert document["@context"] == context["@context"]  # inline: readable without a fetch
    assert CONTEXT_LINK in compacted.headers["Link"]
    assert 'profile="http://www.w3.org/ns/json-ld#compacted"' in compacted.headers["Content-Type"]
    expanded = real_client.get(path, headers={"Accept": EXPANDED})
    assert expanded.status_code == 200
    assert isinstance(expanded.get_json(), list) and "@context" not in expanded.get_data(as_text=True)
    assert CONTEXT_LINK not in expanded.headers.get("Link", "")
    if compacted.headers.get("ETag"):
        assert compacted.headers["ETag"] != expanded.headers["ETag"]
    assert isomorphic(_graph(document, context), reference)
    assert isomorphic(_graph(expanded.get_json(), context), reference)
    assert isomorphic(parse_rdf(compacted.data, "jsonld", name="answer.jsonld"), reference)  # our own import


def test_compacted_form_is_what_web_developers_expect(real_client):
    document = real_client.get("/doc/pledge/SP320067", headers={"Accept": "application/ld+json"}).get_json()
    pledge = next(n for n in document["@graph"] if n["id"] == "https://w3id.org/rcrc/id/pledge/SP320067")
    assert pledge["type"] == "Pledge"
    assert pledge["conference"] == "https://w3id.org/rcrc/id/conference/32"
    assert "pledgeNumber" in pledge and "label" in pledge


def test_the_context_is_ours_and_complete(real_client):
    response = real_client.get("/def/context.jsonld")
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    terms = response.get_json()["@context"]
    assert terms["Pledge"] == "rcrc:Pledge" and terms["rcrc"] == "https://w3id.org/rcrc/def/"
    assert terms["pledgedBy"] == {"@id": "rcrc:pledgedBy", "@type": "@id"}
    assert terms["year"] == {"@id": "rcrc:year", "@type": "xsd:gYear"}
    again = real_client.get("/def/context.jsonld", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_pyld_in_the_service_never_fetches(real_client):
    context = real_client.get("/def/context.jsonld").get_json()
    loader = only(CONTEXT, context)
    assert loader(CONTEXT)["document"] == context
    with pytest.raises(JsonLdError):
        loader("http://127.0.0.1:1/elsewhere.jsonld")
    hostile = {"@context": "http://127.0.0.1:1/elsewhere.jsonld", "name": "x"}
    with pytest.raises(JsonLdError):
        jsonld.expand(json.loads(json.dumps(hostile)), {"documentLoader": loader})

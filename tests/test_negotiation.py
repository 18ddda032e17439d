"""Negotiation on every negotiated route: Accept parameters, format parameters, fallbacks.

Three tables, one per kind of fault, each run over every route of the family it concerns:

* documents (resource pages, vocabulary, shapes, VoID, the service description, graph IRIs, the
  Graph Store Protocol): Turtle, HTML, JSON-LD, RDF/XML, N-Triples;
* select (the endpoint by GET and POST, the named-query API): SPARQL JSON, XML, CSV, TSV;
* construct (the endpoint by GET and POST, the named-query API): the RDF formats.
"""

import pytest
from werkzeug.datastructures import MultiDict

PLEDGE = "https://w3id.org/rcrc/id/pledge/SP320067"
SELECT = "SELECT ?s WHERE { ?s a <https://w3id.org/rcrc/def/Pledge> }"
CONSTRUCT = "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 3"
EXPANDED = 'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"'


def _get(url):
    path, _, query = url.partition("?")
    given = [tuple(pair.partition("=")[::2]) for pair in query.split("&") if pair]

    def send(client, accept, params):
        return client.get(path, query_string=MultiDict([*given, *params]), headers=accept)

    return send


def _endpoint(query, method):
    def send(client, accept, params):
        if method == "GET":
            return client.get("/sparql", query_string=MultiDict([("query", query), *params]), headers=accept)
        return client.post("/sparql/", data=MultiDict([("query", query), *params]), headers=accept)

    return send


def _api(path, extra):
    return lambda client, accept, params: client.get(path, query_string=MultiDict([*extra, *params]), headers=accept)


ROUTES = {
    "document": {
        "doc": _get("/doc/pledge/SP320067"),
        "def": _get("/def/"),
        "def-term": _get("/def/Pledge"),
        "shapes": _get("/shapes/"),
        "shapes-term": _get("/shapes/PledgeShape"),
        "doc-resolution": _get("/doc/resolution/31/3"),
        "void": _get("/.well-known/void"),
        "service-description": _get("/sparql"),
        "graph-iri": _get("/graph/pages/SP320067"),
        "gsp-graph": _get("/sparql?graph=https://w3id.org/rcrc/graph/pages/SP320067"),
        "gsp-default": _get("/sparql?default"),
    },
    "select": {
        "sparql-get": _endpoint(SELECT, "GET"),
        "sparql-post": _endpoint(SELECT, "POST"),
        "api": _api("/api/queries/conferences-overview", []),
    },
    "construct": {
        "sparql-get": _endpoint(CONSTRUCT, "GET"),
        "sparql-post": _endpoint(CONSTRUCT, "POST"),
        "api": _api("/api/queries/pledge-card", [("pledge", PLEDGE)]),
    },
}
# Routes that take no format parameter besides format= (the API's other parameters are the query's).
FORMAT_ONLY = {"api", "doc", "doc-resolution", "def", "def-term", "shapes", "shapes-term", "graph-iri", "gsp-graph",
               "gsp-default"}


def _applies(route, params):
    """Whether a row's format parameters can be sent to ``route``: the API takes one ``format``."""
    names = [name for name, _ in params]
    if not names:
        return True
    if route == "api":
        return names == ["format"]
    return route not in FORMAT_ONLY or set(names) == {"format"}


def _cases(table):
    return [
        pytest.param(send, *row, id=f"{family}-{route}-{number}")
        for number, (family, *row) in enumerate(table)
        for route, send in ROUTES[family].items()
        if _applies(route, row[1])
    ]


def _check(response, expected):
    if expected == 406:
        assert response.status_code == 406, response.get_data(as_text=True)[:200]
        return
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == expected


# -- kind 2: media types with parameters in Accept ---------------------------------------------

PARAMETERS = [
    ("document", 'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"', "application/ld+json"),
    ("document", "application/rdf+xml;charset=utf-8", "application/rdf+xml"),
    ("document", "application/n-triples; charset=UTF-8", "application/n-triples"),
    ("document", "text/turtle;charset=utf-8;q=0.5, application/ld+json;q=0.9", "application/ld+json"),
    ("document", "application/rdf+xml;charset=utf-8;q=0.2, text/turtle;charset=utf-8;q=0.3", "text/turtle"),
    ("document", "text/html;level=1;q=0, application/rdf+xml;q=0.4, */*;q=0.1", "application/rdf+xml"),
    ("select", "application/sparql-results+json;charset=utf-8", "application/sparql-results+json"),
    ("select", "application/sparql-results+xml; charset=utf-8", "application/sparql-results+xml"),
    ("select", "text/csv;charset=utf-8;header=present", "text/csv"),
    ("select", "text/tab-separated-values; charset=utf-8", "text/tab-separated-values"),
    ("select", "application/sparql-results+json;charset=utf-8;q=0.2, text/csv;charset=utf-8;q=0.8", "text/csv"),
    ("construct", EXPANDED, "application/ld+json"),
    ("construct", "application/rdf+xml;charset=utf-8", "application/rdf+xml"),
    ("construct", "text/turtle; charset=utf-8", "text/turtle"),
    ("construct", "application/n-quads;charset=utf-8", "application/n-quads"),
    ("construct", "application/trig; charset=utf-8;q=0.9, text/turtle;q=0.1", "application/trig"),
]


@pytest.mark.parametrize("send, accept, params, expected", _cases([(f, a, [], e) for f, a, e in PARAMETERS]))
def test_accept_parameters_match_on_type_and_subtype(real_client, send, accept, params, expected):
    _check(send(real_client, {"Accept": accept}, []), expected)


# -- kind 3: format parameters as SPARQL clients send them ------------------------------------

WRAPPER = ("format", "output", "results")  # SPARQLWrapper's default: all three, same values


def _wrapper(*values):
    return [(name, value) for name in WRAPPER for value in values]


FORMAT_PARAMETERS = [
    # SPARQLWrapper's default settings, each return format, with the Accept header it sends
    ("select", "application/sparql-results+xml", _wrapper("xml"), "application/sparql-results+xml"),
    ("select", "application/sparql-results+json,application/json", _wrapper("json"),
     "application/sparql-results+json"),
    ("select", "text/csv", _wrapper("csv"), "text/csv"),
    ("select", "text/tab-separated-values", _wrapper("tsv", "text/tab-separated-values"), "text/tab-separated-values"),
    ("select", "*/*", _wrapper("n3"), "application/sparql-results+json"),
    ("construct", "application/rdf+xml", _wrapper("xml"), "application/rdf+xml"),
    ("construct", "application/rdf+xml", _wrapper("rdf+xml", "application/rdf+xml"), "application/rdf+xml"),
    ("construct", "application/ld+json,application/x-json+ld", _wrapper("json-ld", "application/ld+json"),
     "application/ld+json"),
    ("construct", "application/turtle,text/turtle", _wrapper("turtle"), "text/turtle"),
    ("construct", "application/turtle,text/turtle,text/rdf+n3,application/n-triples,application/n3,text/n3",
     _wrapper("n3"), "text/turtle"),
    ("construct", "*/*", _wrapper("json"), "application/ld+json"),
    ("construct", "*/*", _wrapper("csv"), "text/turtle"),
    # one parameter, names, extensions and media types
    ("select", None, [("format", "srx")], "application/sparql-results+xml"),
    ("select", None, [("format", "application/sparql-results+json")], "application/sparql-results+json"),
    ("select", None, [("output", "csv")], "text/csv"),
    ("select", None, [("results", "tsv")], "text/tab-separated-values"),
    ("construct", None, [("format", "application/n-triples")], "application/n-triples"),
    ("construct", None, [("format", "nt")], "application/n-triples"),
    ("document", None, [("format", "ttl")], "text/turtle"),
    ("document", None, [("format", "json-ld")], "application/ld+json"),
    ("document", None, [("format", "xml")], "application/rdf+xml"),
    ("document", None, [("format", "n3")], "text/turtle"),
    ("document", None, [("format", "nt")], "application/n-triples"),
    ("document", "text/turtle", [("format", "application/n-triples")], "application/n-triples"),
    # the first value understood wins; values not understood never override a satisfiable Accept
    ("select", None, [("format", "html5"), ("format", "csv"), ("format", "tsv")], "text/csv"),
    ("construct", None, [("format", "bogus"), ("format", "nt"), ("format", "ttl")], "application/n-triples"),
    ("select", "text/tab-separated-values", [("format", "bogus")], "text/tab-separated-values"),
    ("construct", "application/rdf+xml", [("format", "bogus")], "application/rdf+xml"),
    ("document", "application/n-triples", [("format", "bogus")], "application/n-triples"),
    ("select", "image/png", [("format", "bogus")], 406),
    ("construct", "image/png", [("format", "bogus")], 406),
]


@pytest.mark.parametrize("send, accept, params, expected", _cases(FORMAT_PARAMETERS))
def test_format_parameters_of_real_clients(real_client, send, accept, params, expected):
    _check(send(real_client, {"Accept": accept} if accept else {}, params), expected)


# -- kind 4: the closest format rather than 406 -----------------------------------------------

FALLBACKS = [
    ("construct", "application/sparql-results+xml", "application/rdf+xml"),  # roqet asks this for CONSTRUCT
    ("construct", "text/n3", "text/turtle"),
    ("construct", "text/rdf+n3;q=1, application/n3;q=0.5", "text/turtle"),
    ("construct", "application/sparql-results+json", "application/ld+json"),
    ("construct", "application/sparql-results+xml, text/turtle;q=0.1", "text/turtle"),  # a real match wins
    ("construct", "image/png", 406),
    ("document", "application/sparql-results+xml", "application/rdf+xml"),
    ("document", "text/n3", "text/turtle"),
    ("document", "application/sparql-results+json;charset=utf-8", "application/ld+json"),
    ("document", "video/mp4", 406),
    ("select", "application/rdf+xml", "application/sparql-results+xml"),
    ("select", "application/ld+json", "application/sparql-results+json"),
    ("select", "application/rdf+xml;q=0.9, text/csv;q=0.1", "text/csv"),
    ("select", "text/turtle", 406),
]


@pytest.mark.parametrize("send, accept, params, expected", _cases([(f, a, [], e) for f, a, e in FALLBACKS]))
def test_closest_format_rather_than_406(real_client, send, accept, params, expected):
    _check(send(real_client, {"Accept": accept}, []), expected)


# -- error bodies follow the same matching --------------------------------------------------------

ERRORS = ["/doc/pledge/NOPE", "/sparql?query=SELEKT", "/api/queries/nope", "/graph/nothing"]
ERROR_BODIES = [
    ("application/json;charset=utf-8", "application/json"),
    ("text/html;level=1", "text/html"),
    ("text/plain; charset=utf-8, application/json;q=0.5", "text/plain"),
    (None, "text/plain"),
]


@pytest.mark.parametrize("path", ERRORS)
@pytest.mark.parametrize("accept, expected", ERROR_BODIES)
def test_error_bodies_are_negotiated_alike(real_client, path, accept, expected):
    response = real_client.get(path, headers={"Accept": accept} if accept else {})
    assert response.status_code in (400, 404)
    assert response.mimetype == expected

"""The named-query API over the real build: every query, every format, pages, typed parameters,
hostile input through every parameter, the HTML form, the CLI twin and the queries as RDF."""

import csv
import io
import json

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from service.app import create_app
from service.errors import InputError, NotAcceptable, NotFound
from service.namedqueries import api
from service.namedqueries.catalog import QueryFileError, load_queries
from service.namedqueries.rdf import queries_graph, query_iri
from service.stores.embedded import EmbeddedStore

QUERIES = load_queries()
ID = "https://w3id.org/rcrc/id/"
DEF = "https://w3id.org/rcrc/def/"
WITH_PARAMS = [(q.name, p) for q in QUERIES.values() for p in q.params]
HOSTILE = [
    '"',
    "'",
    '"> <http://evil.example/> . #',
    "x } ; DROP ALL ; SELECT * { ?s ?p ?o",
    "DROP ALL",
    "\n} DROP ALL #\n",
    "<script>alert(1)</script>",
    "}",
    ">",
    "\\",
    "http://x> } INSERT DATA { <a> <b> <c> } #",
    "1; DROP ALL",
    "\x00",
    "\u202e" * 3,
    "x" * 5000,
]


def get(client, name, ext="json", **params):
    return client.get(f"/api/queries/{name}.{ext}", query_string=params)


def rows(response):
    assert response.status_code == 200, response.data[:300]
    return response.get_json()["rows"]


# -- every query, real answers ----------------------------------------------------------------


def test_there_are_named_queries_and_no_reserved_parameter_names():
    assert len(QUERIES) >= 5
    assert not [p.name for _, p in WITH_PARAMS if p.name in api.RESERVED]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_answers_its_example_with_real_rows(real_client, name):
    query = QUERIES[name]
    if api.is_graph(query):
        response = get(real_client, name, "ttl", **query.example_values())
        assert response.status_code == 200
        assert len(Graph().parse(data=response.data, format="turtle")) > 0
    else:
        assert rows(get(real_client, name, **query.example_values())), f"{name} found nothing on the real data"


def test_pledges_citing_resolution_finds_the_seed_pledge(real_client):
    found = rows(get(real_client, "pledges-citing-resolution", resolution=ID + "resolution/31/3"))
    assert ID + "pledge/SP320067" in [r["pledge"] for r in found]


def test_pledge_card_is_the_pledge(real_client):
    response = get(real_client, "pledge-card", "ttl", pledge=ID + "pledge/SP320067", per_page=1000)
    graph = Graph().parse(data=response.data, format="turtle")
    assert (URIRef(ID + "pledge/SP320067"), URIRef(DEF + "pledgeNumber"), Literal("SP320067")) in graph


def test_conferences_overview_lists_the_ten_conferences(real_client):
    found = rows(get(real_client, "conferences-overview", per_page=50))
    assert [r["ordinal"] for r in found] == list(range(25, 35))


def test_icrc_pledged_with_the_ifrc(real_client):
    found = rows(get(real_client, "who-pledged-with-whom", organisation=ID + "organisation/icrc"))
    assert ID + "organisation/ifrc" in json.dumps(found)


# -- formats ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_format_by_extension_and_by_accept(real_client, name):
    query = QUERIES[name]
    for fmt in api.formats_for(query):
        by_ext = get(real_client, name, fmt.extension, **query.example_values())
        assert by_ext.status_code == 200, (fmt.extension, by_ext.data[:200])
        assert by_ext.mimetype == fmt.media_type
        by_accept = real_client.get(
            f"/api/queries/{name}", query_string=query.example_values(), headers={"Accept": fmt.media_type}
        )
        assert by_accept.mimetype == fmt.media_type and by_accept.data == by_ext.data
        assert "Accept" in by_accept.headers["Vary"]


def test_csv_and_sparql_json_hold_the_same_rows(real_client):
    plain = rows(get(real_client, "conferences-overview", per_page=50))
    table = list(csv.DictReader(io.StringIO(get(real_client, "conferences-overview", "csv", per_page=50).text)))
    assert [r["conference"] for r in table] == [r["conference"] for r in plain]
    srj = ox.parse_query_results(
        get(real_client, "conferences-overview", "srj", per_page=50).data, ox.QueryResultsFormat.JSON
    )
    assert len(list(srj)) == len(plain)


def test_graph_json_is_json_ld_and_needs_no_network(real_client):
    query = QUERIES["pledge-card"]
    response = get(real_client, "pledge-card", "json", **query.example_values())
    assert response.mimetype == "application/ld+json"
    assert len(Graph().parse(data=response.data, format="json-ld")) > 0


@pytest.mark.parametrize("ext", ["ttl", "png", "exe", "json.ttl"])
def test_unoffered_format_is_406(real_client, ext):
    response = get(real_client, "conferences-overview", ext)
    assert response.status_code == 406


def test_unoffered_accept_is_406_and_any_gets_json(real_client):
    assert real_client.get("/api/queries/conferences-overview", headers={"Accept": "image/png"}).status_code == 406
    anything = real_client.get("/api/queries/conferences-overview", headers={"Accept": "*/*"})
    assert anything.mimetype == "application/json"


@pytest.mark.parametrize("path", ["/api/queries/nope", "/api/queries/nope.json", "/api/queries/..%2F..%2Fetc%2Fpasswd"])
def test_unknown_query_is_404(real_client, path):
    assert real_client.get(path).status_code == 404


# -- pages ------------------------------------------------------------------------------------


def test_pages_add_up_to_the_whole_answer(real_client):
    whole = rows(get(real_client, "conferences-overview", per_page=100))
    pages, page, url = [], 1, None
    while True:
        response = get(real_client, "conferences-overview", per_page=3, page=page)
        body = response.get_json()
        pages += body["rows"]
        assert ("next" in body) == (page < 4) and ("prev" in body) == (page > 1)
        if "next" not in body:
            break
        assert 'rel="next"' in response.headers["Link"]
        url = body["next"]
        page += 1
    assert pages == whole and page == 4 and "page=4" in url


def test_graph_answers_page_too(real_client):
    query = QUERIES["pledge-card"]
    first = get(real_client, "pledge-card", "nt", per_page=2, **query.example_values())
    assert len(first.data.strip().splitlines()) == 2 and 'rel="next"' in first.headers["Link"]


@pytest.mark.parametrize(
    "params",
    [{"page": "0"}, {"page": "-1"}, {"per_page": "abc"}, {"page": "1e3"}, {"page": "100000", "per_page": "1000"}],
)
def test_bad_pages_are_400(real_client, params):
    response = get(real_client, "conferences-overview", **params)
    assert response.status_code == 400
    assert ("page" in response.text) or ("per_page" in response.text)


# -- parameters: types, required, unknown, hostile ---------------------------------------------

WRONG = {
    "integer": "twelve",
    "decimal": "1.2.3",
    "boolean": "maybe",
    "date": "2015-13",
    "year": "MMXV",
    "iri": "no iri",
}


@pytest.mark.parametrize("name, param", [(n, p) for n, p in WITH_PARAMS if p.type in WRONG], ids=str)
def test_wrong_type_is_400_naming_the_parameter(real_client, name, param):
    values = {**QUERIES[name].example_values(), param.name: WRONG[param.type]}
    response = get(real_client, name, **values)
    assert response.status_code == 400
    assert repr(param.name) in response.text and param.type in response.text


@pytest.mark.parametrize("name, param", [(n, p) for n, p in WITH_PARAMS if p.required and p.default is None], ids=str)
def test_missing_required_parameter_is_400_naming_it(real_client, name, param):
    values = {k: v for k, v in QUERIES[name].example_values().items() if k != param.name}
    response = get(real_client, name, **values)
    assert response.status_code == 400 and param.name in response.text


def test_unknown_and_repeated_parameters_are_400(real_client):
    assert get(real_client, "conferences-overview", bogus="1").status_code == 400
    response = real_client.get(f"/api/queries/pledges-on-theme.json?theme={ID}theme/migration&theme={ID}theme/youth")
    assert response.status_code == 400 and "theme" in response.text


@pytest.fixture(scope="module")
def fingerprint(real_store_dir):
    """The published release and its triple count: hostile input must change neither."""
    store = EmbeddedStore(real_store_dir)

    def take():
        return store.current_release(), len(store.oxigraph())

    return take


@pytest.mark.parametrize("name, param", WITH_PARAMS, ids=str)
def test_hostile_values_change_nothing(real_client, fingerprint, name, param):
    before = fingerprint()
    for hostile in HOSTILE:
        values = {**QUERIES[name].example_values(), param.name: hostile}
        for ext in ("json", "csv") if not api.is_graph(QUERIES[name]) else ("ttl",):
            response = get(real_client, name, ext, **values)
            assert response.status_code in (200, 400), (hostile, response.status_code)
            if response.status_code == 200 and ext == "json":
                assert response.get_json()["rows"] == [], hostile
            if response.status_code == 200 and ext == "ttl":
                assert len(Graph().parse(data=response.data, format="turtle")) == 0, hostile
    assert fingerprint() == before


# -- listing, HTML, docs ----------------------------------------------------------------------


def test_listing_describes_every_query(real_client):
    listing = real_client.get("/api/queries").get_json()
    assert sorted(q["name"] for q in listing) == sorted(QUERIES)
    pledge_card = next(q for q in listing if q["name"] == "pledge-card")
    assert pledge_card["form"] == "CONSTRUCT" and "ttl" in pledge_card["formats"]
    assert pledge_card["params"][0]["name"] == "pledge" and pledge_card["url"].endswith("/api/queries/pledge-card")


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_html_page_has_a_form_for_every_parameter(real_client, name):
    response = real_client.get(f"/api/queries/{name}", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    for param in QUERIES[name].params:
        assert f'name="{param.name}"'.encode() in response.data
    assert b'rel="alternate"' in response.data


def test_html_page_shows_results_and_escapes_input(real_client):
    shown = real_client.get(
        "/api/queries/pledges-citing-resolution.html", query_string={"resolution": ID + "resolution/31/3"}
    )
    assert shown.status_code == 200 and b"SP320067" in shown.data
    bad = real_client.get("/api/queries/pledges-on-theme.html", query_string={"theme": "<script>alert(1)</script>"})
    assert bad.status_code == 400 and b"<script>alert(1)" not in bad.data


def test_api_docs_page_and_listing_html(real_client):
    page = real_client.get("/api", headers={"Accept": "text/html"})
    assert page.status_code == 200
    for name in QUERIES:
        assert f"/api/queries/{name}".encode() in page.data
    assert real_client.get("/api/queries", headers={"Accept": "text/html"}).mimetype == "text/html"


# -- the CLI twin -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_store(real_store_dir):
    return EmbeddedStore(real_store_dir)


def test_run_named_query_as_csv(real_store):
    body, media_type = api.run_named_query(real_store, "conferences-overview", {}, "csv")
    assert media_type == "text/csv"
    table = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert len(table) == 10


def test_run_named_query_graph_and_errors(real_store):
    body, media_type = api.run_named_query(real_store, "pledge-card", {"pledge": ID + "pledge/SP320067"}, "ttl")
    assert media_type == "text/turtle" and b"SP320067" in body
    assert api.run_named_query(real_store, "pledge-card", {"pledge": ID + "pledge/SP320067"})[1] == "text/turtle"
    assert api.run_named_query(real_store, "conferences-overview", {})[1] == "text/csv"
    with pytest.raises(NotFound):
        api.run_named_query(real_store, "nope", {}, "csv")
    with pytest.raises(NotAcceptable):
        api.run_named_query(real_store, "conferences-overview", {}, "ttl")
    with pytest.raises(InputError, match="'pledge'"):
        api.run_named_query(real_store, "pledge-card", {"pledge": "not an iri"}, "ttl")


# -- the queries as RDF -----------------------------------------------------------------------


def test_queries_graph_describes_every_query():
    graph = queries_graph(QUERIES)
    for name, query in QUERIES.items():
        node = query_iri(name)
        assert (node, RDF.type, SH.SPARQLExecutable) in graph
        texts = [str(o) for p in (SH.select, SH.construct, SH.ask) for o in graph.objects(node, p)]
        assert texts == [query.text]
    names = {str(o) for o in graph.objects(None, URIRef("https://schema.org/valueName"))}
    assert names == {p.name for _, p in WITH_PARAMS}


def test_queries_graph_is_queryable_at_the_endpoint(real_client, real_store):
    assert "https://w3id.org/rcrc/graph/queries" in [g.value for g in real_store.named_graphs()]
    response = real_client.get(
        "/sparql",
        query_string={"query": "PREFIX sh: <http://www.w3.org/ns/shacl#> SELECT ?q WHERE { ?q a sh:SPARQLExecutable }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert len(response.get_json()["results"]["bindings"]) == len(QUERIES)


# -- other query forms, and bad metadata --------------------------------------------------------

ASK = """#+ title: Is there a pledge with this number?
#+ description: Yes when a pledge carries the given number.
#+ params:
#+   - name: number
#+     type: string
#+     required: true
#+     description: a pledge number
#+     example: SP320067
PREFIX rcrc: <https://w3id.org/rcrc/def/>
ASK { ?pledge rcrc:pledgeNumber ?number }
"""
DESCRIBE = """#+ title: Describe a resource
#+ description: DESCRIBE of one IRI.
#+ params:
#+   - name: thing
#+     type: iri
#+     required: true
#+     description: any IRI
#+     example: https://w3id.org/rcrc/id/organisation/icrc
DESCRIBE ?thing
"""


def test_ask_and_describe_queries(tmp_path, real_store_dir):
    (tmp_path / "pledge-exists.rq").write_text(ASK)
    (tmp_path / "describe-thing.rq").write_text(DESCRIBE)
    client = create_app({"TESTING": True, "STORE_DIR": str(real_store_dir), "QUERIES_DIR": str(tmp_path)}).test_client()
    assert get(client, "pledge-exists", number="SP320067").get_json()["boolean"] is True
    assert get(client, "pledge-exists", number='" } DROP ALL #').get_json()["boolean"] is False
    srx = get(client, "pledge-exists", "srx", number="SP320067")
    assert srx.mimetype == "application/sparql-results+xml" and b"<boolean>true</boolean>" in srx.data
    described = get(client, "describe-thing", "ttl", thing=ID + "organisation/icrc", per_page=1000)
    assert (URIRef(ID + "organisation/icrc"), None, None) in Graph().parse(data=described.data, format="turtle")
    assert client.get("/api/queries/pledge-exists.html", query_string={"number": "SP320067"}).status_code == 200


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { ?s ?p ?o }\n",  # no metadata
        "#+ title: t\n#+ description: d\n#+ params:\n#+   - name: x\n#+     type: color\n"
        "SELECT ?x WHERE { ?x ?p ?o }\n",  # unknown type
        "#+ title: t\n#+ description: d\nSELECT * WHERE { ?s ?p \n",  # syntax error
    ],
)
def test_bad_metadata_stops_the_app_at_start(tmp_path, mini_store_dir, text):
    (tmp_path / "broken.rq").write_text(text)
    with pytest.raises(QueryFileError, match="broken.rq"):
        create_app({"TESTING": True, "STORE_DIR": str(mini_store_dir), "QUERIES_DIR": str(tmp_path)})


@pytest.mark.parametrize("path, status, hint", [
    ("/api/queries/pledge-on-theme", 404, "did you mean 'pledges-on-theme'"),
    ("/api/queries/pledges-on-theme?them=migration", 400, "did you mean 'theme'"),
])
def test_a_near_miss_is_answered_with_the_name_meant(real_client, path, status, hint):
    response = real_client.get(path, headers={"Accept": "application/json"})
    assert response.status_code == status and hint in response.get_data(as_text=True)


def test_the_api_expands_our_prefixes_in_iri_parameters(real_client):
    prefixed = get(real_client, "pledges-on-theme", theme="rcrcid:theme/migration").get_json()
    full = get(real_client, "pledges-on-theme", theme=f"{ID}theme/migration").get_json()
    assert prefixed["rows"] and prefixed["rows"] == full["rows"]

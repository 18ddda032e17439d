"""The /sparql endpoint in-process (Flask test client), over the real mini store and real workers."""

import html
import io
import json
import os
import re
import threading

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic
from rdflib.query import Result

from service.app import create_app
from service.formats import RDF_FORMATS, RESULT_FORMATS
from service.sparql.executor import executor_for
from service.stores.embedded import EmbeddedStore

LABELS = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s ?label"
PLEDGE = "<https://w3id.org/rcrc/id/pledge/SP320067>"
CONSTRUCT = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {PLEDGE} ?p ?o BIND({PLEDGE} AS ?s) }}"
# Six-way cross product of the mini store's ~40 triples: billions of rows, a runaway by design.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o . ?p ?q ?r }"


def app_with(mini_store_dir, **settings):
    return create_app({"TESTING": True, "STORE_DIR": str(mini_store_dir), **settings})


@pytest.fixture
def client(mini_store_dir):
    return app_with(mini_store_dir).test_client()


@pytest.fixture(scope="module")
def expected(mini_store_dir):
    """Answers computed in-process by pyoxigraph, to compare the endpoint's against."""
    store = EmbeddedStore(mini_store_dir)
    rows = [(r["s"].value, r["label"].value) for r in store.query(LABELS)]
    triples = list(store.query(CONSTRUCT))
    store.close()
    graph = Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return rows, graph


def sparql_json(response):
    assert response.status_code == 200, response.data
    return json.loads(response.data)


# -- protocol ----------------------------------------------------------------------------


def test_get_post_form_and_post_direct_agree(client):
    via_get = sparql_json(client.get("/sparql", query_string={"query": LABELS}))
    via_form = sparql_json(client.post("/sparql", data={"query": LABELS}))
    via_direct = sparql_json(client.post("/sparql", data=LABELS, content_type="application/sparql-query"))
    assert via_get == via_form == via_direct
    assert via_get["head"]["vars"] == ["s", "label"]


def test_dataset_parameters(client):
    ask = "ASK { <https://w3id.org/rcrc/id/conference/31> ?p ?o }"
    conferences = "https://w3id.org/rcrc/graph/data/conferences"
    themes = "https://w3id.org/rcrc/graph/data/themes"
    assert sparql_json(client.get("/sparql", query_string={"query": ask}))["boolean"] is True
    only = client.get("/sparql", query_string={"query": ask, "default-graph-uri": conferences})
    assert sparql_json(only)["boolean"] is True
    other = client.get("/sparql", query_string={"query": ask, "default-graph-uri": themes})
    assert sparql_json(other)["boolean"] is False
    named = "ASK { GRAPH ?g { <https://w3id.org/rcrc/id/conference/31> ?p ?o } }"
    graph_only = client.post("/sparql", data={"query": named, "named-graph-uri": themes})
    assert sparql_json(graph_only)["boolean"] is False


@pytest.mark.parametrize("fmt", RESULT_FORMATS, ids=lambda f: f.name)
def test_select_round_trips_in_every_result_format(client, expected, fmt):
    response = client.get("/sparql", query_string={"query": LABELS}, headers={"Accept": fmt.media_type})
    assert response.status_code == 200
    assert response.mimetype == fmt.media_type
    parsed = Result.parse(io.BytesIO(response.data), format=fmt.name)
    assert [(str(r[0]), str(r[1])) for r in parsed] == expected[0]


@pytest.mark.parametrize("fmt", [f for f in RESULT_FORMATS if f.name in ("json", "xml")], ids=lambda f: f.name)
def test_ask_round_trips(client, fmt):
    for query, answer in (
        ("ASK { ?s a <https://w3id.org/rcrc/def/Pledge> }", True),
        ("ASK { ?s a <urn:none> }", False),
    ):
        response = client.get("/sparql", query_string={"query": query, "format": fmt.name})
        assert Result.parse(io.BytesIO(response.data), format=fmt.name).askAnswer is answer


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=lambda f: f.name)
def test_construct_round_trips_in_every_rdf_format(client, expected, fmt):
    response = client.post("/sparql", data={"query": CONSTRUCT}, headers={"Accept": fmt.media_type})
    assert response.status_code == 200
    assert response.mimetype == fmt.media_type
    if fmt.datasets:
        parsed = Dataset().parse(data=response.data, format=fmt.rdflib)
        graph = Graph()
        for s, p, o, _ in parsed.quads():
            graph.add((s, p, o))
    else:
        graph = Graph().parse(data=response.data, format=fmt.rdflib)
    assert isomorphic(graph, expected[1])


def test_describe_answers_rdf(client):
    response = client.get("/sparql", query_string={"query": "DESCRIBE <https://w3id.org/rcrc/id/organisation/icrc>"})
    assert response.mimetype == "text/turtle"
    assert len(Graph().parse(data=response.data, format="turtle")) >= 3


def test_accept_q_values_and_format_parameter(client):
    accept = "text/csv;q=0.5, application/sparql-results+xml;q=0.9, */*;q=0.1"
    assert client.get("/sparql", query_string={"query": LABELS}, headers={"Accept": accept}).mimetype == (
        "application/sparql-results+xml"
    )
    by_param = client.get("/sparql", query_string={"query": LABELS, "format": "tsv"}, headers={"Accept": accept})
    assert by_param.mimetype == "text/tab-separated-values"
    assert client.get("/sparql", query_string={"query": LABELS}).mimetype == "application/sparql-results+json"
    graph = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": "application/json"})
    assert graph.mimetype == "application/ld+json"
    assert "Accept" in graph.headers["Vary"]


def test_not_acceptable_lists_what_is_offered(client):
    response = client.get("/sparql", query_string={"query": LABELS}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.headers["Link"]
    png = {"Accept": "image/png"}
    assert client.get("/sparql", query_string={"query": LABELS, "format": "turtle"}, headers=png).status_code == 406
    assert client.get("/sparql", query_string={"query": CONSTRUCT, "format": "csv"}, headers=png).status_code == 406


def test_service_description_without_query(client):
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.data, format="turtle")
    endpoint = "http://localhost/sparql"
    assert any(str(o) == endpoint for o in graph.objects(None, None))
    assert b"UnionDefaultGraph" in response.data
    assert b"https://w3id.org/rcrc/graph/pages/SP320067" in response.data


def test_browser_gets_the_query_ui_with_local_assets(client):
    response = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.data.decode()
    assert "vendor/yasgui-4.6.2.min.js" in page and "vendor/yasgui-4.6.2.min.css" in page
    assert "https://w3id.org/rcrc/def/" in page  # our prefixes
    assert "Pledges citing a resolution" in page  # the examples from queries/
    assert '<script src="http' not in page and "cdn" not in page.lower()
    for asset in (
        "vendor/yasgui-4.6.2.min.js",
        "vendor/yasgui-4.6.2.min.css",
        "sparql.js",
        "vendor/LICENSE-yasgui-4.6.2.txt",
    ):
        assert client.get("/static/" + asset).status_code == 200


def test_shared_link_opens_the_ui_in_a_browser(client):
    response = client.get("/sparql", query_string={"query": LABELS}, headers={"Accept": "text/html"})
    assert response.mimetype == "text/html"


def test_cors(client):
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "http://elsewhere.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Link" in response.headers["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/sparql", headers={"Origin": "http://elsewhere.example", "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    error = client.get("/sparql", query_string={"query": "ASK {"})
    assert error.headers["Access-Control-Allow-Origin"] == "*"


# -- refusals ----------------------------------------------------------------------------


def assert_plain_400(response, words):
    assert response.status_code == 400, response.data
    assert response.mimetype == "text/plain"
    assert words in response.data.decode()


def test_service_is_refused(client):
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"
    assert_plain_400(client.get("/sparql", query_string={"query": query}), "SERVICE is not allowed")
    harmless = 'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:1/> {}" }'
    assert client.get("/sparql", query_string={"query": harmless}).status_code == 200


def test_updates_are_refused_read_only(client):
    cases = [
        client.get("/sparql", query_string={"update": "CLEAR ALL"}),
        client.post("/sparql", data={"update": "CLEAR ALL"}),
        client.post("/sparql", data="DROP ALL", content_type="application/sparql-update"),
        client.post("/sparql", data="LOAD <http://127.0.0.1:1/x.ttl>", content_type="application/sparql-query"),
        client.get("/sparql", query_string={"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}),
    ]
    for response in cases:
        assert_plain_400(response, "read-only")
    assert sparql_json(
        client.get("/sparql", query_string={"query": "ASK { ?s a <https://w3id.org/rcrc/def/Pledge> }"})
    )["boolean"]


def test_deep_nesting_is_refused_and_the_service_lives(client):
    deep = "SELECT * WHERE " + "{" * 4000 + "}" * 4000
    assert_plain_400(client.post("/sparql", data={"query": deep}), "nests deeper")
    assert sparql_json(client.get("/sparql", query_string={"query": "ASK {}"}))["boolean"] is True


def test_a_query_that_kills_the_engine_kills_only_its_worker(client):
    # 30,000 chained additions overflow pyoxigraph's stack; nesting checks cannot see it.
    chain = "SELECT (" + "+".join(["1"] * 30000) + " AS ?x) {}"
    assert_plain_400(client.post("/sparql", data=chain, content_type="application/sparql-query"), "aborted")
    assert sparql_json(client.get("/sparql", query_string={"query": "ASK {}"}))["boolean"] is True


@pytest.mark.parametrize(
    "query",
    [
        "ASK {",
        "SELECT ?x WHERE { ?x <not an iri> }",
        "SELECT * WHERE { ?s ?p ?o } LIMIT banana",
        "SELECT \x00 {}",
        "SELECT * WHERE { ?s ?p ?o } <script>alert(1)</script>",
    ],
)
def test_malformed_queries_get_the_parsers_message_as_plain_text(client, query):
    # A browser POSTing a broken query gets the error page, which never echoes the query.
    response = client.post("/sparql", data={"query": query}, headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 400
    assert "<script>alert" not in response.data.decode()
    plain = client.get("/sparql", query_string={"query": query})
    assert_plain_400(plain, "")


def test_protocol_misuse(client):
    twice = client.get("/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D")
    assert_plain_400(twice, "exactly one query")
    assert client.put("/sparql", data={"query": "ASK {}"}).status_code == 405
    assert client.post("/sparql", data="ASK {}", content_type="text/plain").status_code == 415
    assert client.post("/sparql", data=b"query=ASK%20%7B%7D").status_code == 415
    utf16 = client.post(
        "/sparql", data="ASK {}".encode("utf-16"), content_type="application/sparql-query; charset=UTF-16"
    )
    assert utf16.status_code == 415
    junk = client.post("/sparql", data=b"\xff\xfe\x00garbage", content_type="application/sparql-query")
    assert_plain_400(junk, "UTF-8")
    assert_plain_400(client.post("/sparql", data={"format": "json"}), "no query")
    bad_graph = client.get("/sparql", query_string={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert_plain_400(bad_graph, "absolute IRIs")


def test_size_caps(mini_store_dir):
    client = app_with(mini_store_dir, MAX_QUERY_BYTES=1000).test_client()
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 2000
    assert client.post("/sparql", data=big, content_type="application/sparql-query").status_code == 413
    assert client.post("/sparql", data={"query": big}).status_code == 413
    assert client.get("/sparql", query_string={"query": big}).status_code == 413
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200


def test_row_cap_cuts_with_a_signal(mini_store_dir):
    client = app_with(mini_store_dir, MAX_RESULT_ROWS=3).test_client()
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.headers["X-Pledgegraph-Truncated"] == "true"
    assert "3 rows" in response.headers["Warning"]
    assert len(json.loads(response.data)["results"]["bindings"]) == 3
    graph = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"})
    assert graph.headers["X-Pledgegraph-Truncated"] == "true"
    assert len(Graph().parse(data=graph.data, format="nt")) == 3
    small = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s a <https://w3id.org/rcrc/def/Pledge> }"})
    assert "X-Pledgegraph-Truncated" not in small.headers
    assert small.headers["X-Pledgegraph-Row-Limit"] == "3"


def client_with_a_warm_worker(mini_store_dir, **settings):
    """A client whose first query has started a worker, and the executor that holds it."""
    app = app_with(mini_store_dir, **settings)
    client = app.test_client()
    for _ in range(20):  # the first processes start in the background; a short QUERY_TIMEOUT may not wait
        if client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200:
            break
    else:
        raise AssertionError("no query process started")
    with app.app_context():
        return client, executor_for(app.extensions["pledgegraph.store"], app.config)


@pytest.mark.slow
def test_timeout_answers_503_and_kills_the_work(mini_store_dir):
    client, executor = client_with_a_warm_worker(mini_store_dir, QUERY_TIMEOUT=1.0, MAX_CONCURRENT_QUERIES=1)
    before = set(executor.worker_pids())
    response = client.get("/sparql", query_string={"query": RUNAWAY})
    assert response.status_code == 503
    assert response.mimetype == "text/plain"
    assert int(response.headers["Retry-After"]) > 0
    assert "time limit" in response.data.decode()
    [worker_pid] = before - set(executor.worker_pids())
    with pytest.raises(ProcessLookupError):
        os.kill(worker_pid, 0)  # the runaway query's process is gone, not left computing
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200


@pytest.mark.slow
def test_concurrency_cap_answers_503_with_retry_after(mini_store_dir):
    # The runaway must outlast a probe's wait for the slot (executor.SLOT_WAIT, 3 s), or the probe
    # would get the slot the runaway's time limit frees.
    app = app_with(mini_store_dir, QUERY_TIMEOUT=8.0, MAX_CONCURRENT_QUERIES=1)
    started = threading.Event()
    results = {}

    def runaway():
        started.set()
        while True:  # until it holds the slot (a probe below may hold it for a moment)
            response = app.test_client().get("/sparql", query_string={"query": RUNAWAY})
            if b"too many queries" not in response.data:
                results["runaway"] = response
                return

    thread = threading.Thread(target=runaway)
    thread.start()
    started.wait()
    busy = None
    for _ in range(300):  # until the runaway query holds the only slot
        threading.Event().wait(0.01)
        busy = app.test_client().get("/sparql", query_string={"query": "ASK {}"})
        if busy.status_code == 503:
            break
    thread.join()
    assert busy.status_code == 503
    assert busy.headers["Retry-After"]
    assert "too many queries" in busy.data.decode()
    assert b"time limit" in results["runaway"].data


def test_workers_see_a_new_release_after_the_swap(tmp_path):
    """Query processes reopen the store after `build` publishes a new release."""
    root = tmp_path / "store"
    store = EmbeddedStore(root)
    first = tmp_path / "a.nq"
    first.write_text("<urn:a> <urn:p> <urn:b> <urn:g> .\n", encoding="utf-8")
    store.publish([first], release="r1")
    client = app_with(root).test_client()
    ask = {"query": "ASK { <urn:c> <urn:p> <urn:d> }"}
    assert sparql_json(client.get("/sparql", query_string=ask))["boolean"] is False
    second = tmp_path / "b.nq"
    second.write_text("<urn:c> <urn:p> <urn:d> <urn:g> .\n", encoding="utf-8")
    store.publish([first, second], release="r2")
    assert sparql_json(client.get("/sparql", query_string=ask))["boolean"] is True


def test_service_description_names_the_graphs_of_the_current_release(tmp_path):
    """The description is written once per release, and again after a swap."""
    root = tmp_path / "store"
    store = EmbeddedStore(root)
    first, second = tmp_path / "a.nq", tmp_path / "b.nq"
    first.write_text("<urn:a> <urn:p> <urn:b> <urn:g1> .\n", encoding="utf-8")
    second.write_text("<urn:c> <urn:p> <urn:d> <urn:g2> .\n", encoding="utf-8")
    store.publish([first], release="r1")
    client = app_with(root).test_client()
    described = lambda: client.get("/sparql", query_string={"format": "nt"}).data  # noqa: E731
    assert b"<urn:g1>" in described() and b"<urn:g2>" not in described()
    store.publish([second], release="r2")
    assert b"<urn:g2>" in described() and b"<urn:g1>" not in described()


def test_a_query_past_the_memory_cap_is_stopped_and_the_service_lives(mini_store_dir):
    # Sorting a cross product of 100^5 rows needs gigabytes: without the cap it would run until
    # the timeout (503) while the machine's memory drains.
    values = " ".join(f"VALUES ?{v} {{ {' '.join(map(str, range(100)))} }}" for v in "abcde")
    query = f"SELECT * {{ {values} }} ORDER BY ?e ?d ?c ?b ?a LIMIT 1"
    client = app_with(mini_store_dir, MAX_QUERY_MEMORY=256, QUERY_TIMEOUT=60.0).test_client()
    assert_plain_400(client.post("/sparql", data={"query": query}), "more memory or stack")
    assert sparql_json(client.get("/sparql", query_string={"query": "ASK {}"}))["boolean"] is True


def test_a_worker_killed_while_idle_is_replaced(mini_store_dir):
    client, executor = client_with_a_warm_worker(mini_store_dir, MAX_CONCURRENT_QUERIES=3, QUERY_TIMEOUT=9.0)
    for pid in executor.worker_pids():
        os.kill(pid, 9)  # no waiting: the next query may reach a worker that is still dying
    assert sparql_json(client.get("/sparql", query_string={"query": "ASK {}"}))["boolean"] is True


def test_workers_outlive_the_request_thread_that_needed_them(mini_store_dir):
    """A worker started for a short-lived request thread stays usable after that thread ends."""
    app = app_with(mini_store_dir, MAX_CONCURRENT_QUERIES=5, QUERY_TIMEOUT=9.0)
    answers = []

    def one_request():
        answers.append(app.test_client().get("/sparql", query_string={"query": "ASK {}"}).status_code)

    for _ in range(3):  # a new thread per request, like a threaded development server
        thread = threading.Thread(target=one_request)
        thread.start()
        thread.join()
        threading.Event().wait(0.2)
    assert answers == [200, 200, 200]


def test_no_published_store_is_503_not_500(tmp_path):
    client = app_with(tmp_path / "empty").test_client()
    response = client.get("/sparql", query_string={"query": "ASK {}"})
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert "build" in response.data.decode()
    description = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert description.status_code == 200  # the service description needs no data


def test_every_example_download_link_answers_in_the_format_it_names(real_client):
    """The UI's examples each link a download: CSV for a table, Turtle for a graph (never a CSV link to Turtle)."""
    page = real_client.get("/sparql", headers={"Accept": "text/html"}).get_data(as_text=True)
    links = re.findall(r'\(<a href="([^"]+)">(CSV|Turtle)</a>\)', page)
    assert len(links) >= 5 and {name for _, name in links} == {"CSV", "Turtle"}
    for href, name in links:
        response = real_client.get(html.unescape(href))
        assert response.status_code == 200, href
        assert response.mimetype == {"CSV": "text/csv", "Turtle": "text/turtle"}[name], href

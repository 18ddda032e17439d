"""The remote store's own concerns: safe query text, failures, credentials, recovery.

Servers are real: the session's Oxigraph server and Virtuoso (tests/stores.py), a port nobody
listens on, a socket that never answers, and a small HTTP server that answers badly.
"""

import http.server
import logging
import socket
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from service.errors import InputError, QueryTimeout, StoreUnavailable
from service.stores import remote_publish as pub
from service.stores.remote import RemoteStore
from service.stores.remote_query import dataset_params, query_form, where_group, with_values
from tests.stores import OxigraphServer, free_port, start_server, store_servers  # noqa: F401

MINI = Path(__file__).resolve().parent / "fixtures" / "mini.trig"
SECRET = "s3cr3t-Pa55"
REMOTE = [pytest.param(k, marks=pytest.mark.slow) for k in ("oxigraph", "virtuoso")]
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def run_bounded(function, limit=60):
    """Call ``function`` in a thread; fail the test if it hangs past ``limit`` seconds."""
    outcome = {}

    def target():
        try:
            outcome["value"] = function()
        except Exception as exc:  # noqa: BLE001 -- handed back to the test
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(limit)
    assert not thread.is_alive(), "the store call hung"
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


# -- query text: substitutions and datasets (no server needed) ----------------------------

@pytest.mark.parametrize("query, expected", [
    ("SELECT * { ?s ?p ?o }", "SELECT * { VALUES"),
    ("SELECT * WHERE { { ?s ?p ?o } UNION { SELECT ?x WHERE { ?x ?y ?z } } }", "SELECT * WHERE { VALUES"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE { VALUES"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE { VALUES"),
    ('# WHERE { in a comment\nASK { FILTER("WHERE {" != ?s) }', '# WHERE { in a comment\nASK { VALUES'),
    ("PREFIX ex: <http://ex/where#> select ?s where { ?s ex:where ?o }", "where { VALUES"),
])
def test_values_go_at_the_top_of_the_where_group(query, expected):
    text = with_values(query, {ox.Variable("s"): ox.NamedNode("http://ex/a")})
    assert expected in text
    assert "VALUES (?s) { (<http://ex/a>) }" in text
    ox.Store().query(text)  # still a valid query


def test_substituted_literals_are_escaped_terms():
    hostile = ox.Literal('"} } ; DROP ALL #\n', language="en")
    text = with_values("SELECT ?s WHERE { ?s ?p ?o }", {ox.Variable("o"): hostile})
    assert r'("\"} } ; DROP ALL #\n"@en)' in text
    solutions = ox.Store().query(text)
    assert [v.value for v in solutions.variables] == ["s"]


def test_blank_node_and_bad_variable_substitutions_are_refused():
    with pytest.raises(InputError):
        with_values("SELECT * { ?s ?p ?o }", {ox.Variable("s"): ox.BlankNode()})
    with pytest.raises(ValueError):
        with_values("SELECT * { ?s ?p ?o }", {"s) } DROP ALL": ox.NamedNode("http://ex/a")})


def test_query_form_is_read_from_tokens_not_words_in_comments():
    assert query_form("# ready to download as Turtle\nCONSTRUCT WHERE { ?s ?p ?o }") == "CONSTRUCT"
    assert query_form('SELECT ("DROP" AS ?x) WHERE {}') == "SELECT"
    for update in ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "PREFIX a: <urn:a> DROP ALL", "LOAD <http://x/>"):
        with pytest.raises(InputError):
            query_form(update)


def test_an_update_never_leaves_as_a_query(misbehaving):
    misbehaving.answer = (200, "application/sparql-results+xml", b"")
    store = RemoteStore(f"http://127.0.0.1:{misbehaving.server_port}/sparql", timeout=2.0)
    store.pointer.cache = (time.monotonic() + 60, "r", ["urn:g"])  # skip the pointer read
    with pytest.raises(InputError):
        store.query("DELETE WHERE { ?s ?p ?o }")
    assert misbehaving.hits == 0


def test_a_query_without_a_group_is_input_error():
    with pytest.raises(InputError):
        where_group("SELECT ?s")


def test_dataset_is_limited_to_published_graphs():
    published = ["urn:g:1", "urn:g:2"]
    assert dataset_params(published, "ASK {}") == [
        ("default-graph-uri", "urn:g:1"), ("default-graph-uri", "urn:g:2"),
        ("named-graph-uri", "urn:g:1"), ("named-graph-uri", "urn:g:2"),
    ]
    params = dataset_params(published, "ASK {}", default_graph=[ox.NamedNode("urn:g:2")],
                            named_graphs=[ox.NamedNode(pub.POINTER.value), ox.NamedNode("urn:g:9")])
    assert params == [("default-graph-uri", "urn:g:2"), ("named-graph-uri", pub.EMPTY.value)]
    params = dataset_params(published, "ASK FROM <urn:g:1> FROM <urn:x-pledgegraph:release> FROM NAMED <urn:g:3> {}")
    assert params == [("default-graph-uri", "urn:g:1"), ("named-graph-uri", pub.EMPTY.value)]


def test_chunks_never_split_blank_node_structures():
    store = ox.Store()
    store.load(MINI.read_bytes() + b"""
        <urn:g> { <urn:a> <urn:p> [ <urn:q> [ <urn:r> ( 1 2 3 ) ] ] . <urn:b> <urn:p> [ <urn:q> 4 ] . }
    """, format=ox.RdfFormat.TRIG)
    quads = list(store)
    chunks = list(pub.chunks(quads, 3))
    assert sum(len(c) for c in chunks) == len(quads)
    home = {}
    for number, chunk in enumerate(chunks):
        for quad in chunk:
            for term in (quad.subject, quad.object):
                if isinstance(term, ox.BlankNode):
                    assert home.setdefault(term, number) == number


def test_quads_outside_named_graphs_are_refused(tmp_path):
    path = tmp_path / "default.nq"
    path.write_text("<urn:s> <urn:p> <urn:o> .\n")
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/query")
    with pytest.raises(InputError):
        store.publish([path])  # refused before any request


def test_credentials_stay_out_of_repr_and_messages():
    url = f"http://user:{SECRET}@127.0.0.1:{free_port()}/sparql"
    store = RemoteStore.from_config({"STORE_URL": url, "STORE_USER": "user", "STORE_PASSWORD": SECRET,
                                     "QUERY_TIMEOUT": 1.0})
    assert SECRET not in repr(store)
    with pytest.raises(StoreUnavailable) as failure:
        run_bounded(lambda: store.query(COUNT))
    assert SECRET not in str(failure.value) and "user" not in str(failure.value)


# -- stores that are not there, or misbehave --------------------------------------------------

def test_nothing_listening_is_store_unavailable():
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/query", timeout=1.0)
    with pytest.raises(StoreUnavailable, match="cannot reach the store"):
        run_bounded(lambda: store.query(COUNT))
    with pytest.raises(StoreUnavailable):
        run_bounded(store.exists)


def test_a_store_that_never_answers_is_cut():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # accepts connections (the kernel does), never answers
        store = RemoteStore(f"http://127.0.0.1:{silent.getsockname()[1]}/query", timeout=0.5)
        with pytest.raises((QueryTimeout, StoreUnavailable)):
            run_bounded(lambda: store.query(COUNT), limit=30)


class _Misbehaving(http.server.BaseHTTPRequestHandler):
    """Answers every POST with the status and body its server was given."""

    def do_POST(self):  # noqa: N802 -- the stdlib's name
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.hits += 1
        status, media, body = self.server.answer
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def misbehaving():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Misbehaving)
    server.hits = 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("answer, error, hits", [
    ((503, "text/plain", b"busy"), StoreUnavailable, 3),  # retried, then given up
    ((404, "text/html", b"<h1>no</h1>"), StoreUnavailable, 1),
    ((200, "text/html", b"<h1>a web page</h1>"), StoreUnavailable, 1),
    ((200, "application/sparql-results+xml", b"<sparql><head>"), StoreUnavailable, 1),
])
def test_bad_answers_are_clear_errors(misbehaving, answer, error, hits):
    misbehaving.answer = answer
    store = RemoteStore(f"http://127.0.0.1:{misbehaving.server_port}/sparql", timeout=2.0)
    with pytest.raises(error):
        run_bounded(lambda: store.query(COUNT))
    assert misbehaving.hits == hits


# -- real servers ---------------------------------------------------------------------------

@pytest.mark.parametrize("kind", REMOTE)
def test_store_stopped_and_restarted(kind, store_servers):  # noqa: F811
    server = store_servers(kind)
    store = RemoteStore.from_config(server.config(QUERY_TIMEOUT=2.0))
    release = store.publish([MINI])
    server.stop()
    try:
        with pytest.raises(StoreUnavailable):
            run_bounded(lambda: store.query(COUNT))
        with pytest.raises(StoreUnavailable):
            run_bounded(lambda: store.publish([MINI]))
    finally:
        server.start()
    assert store.current_release() == release
    assert int(next(iter(store.query(COUNT)))["n"].value) == 40


@pytest.mark.parametrize("kind", REMOTE)
def test_store_stopped_while_readers_query(kind, store_servers):  # noqa: F811
    server = store_servers(kind)
    store = RemoteStore.from_config(server.config(QUERY_TIMEOUT=2.0))
    store.publish([MINI])
    outcomes, done = [], threading.Event()

    def read():
        while not done.is_set():
            try:
                outcomes.append(int(next(iter(store.query(COUNT)))["n"].value))
            except (StoreUnavailable, QueryTimeout) as exc:
                outcomes.append(type(exc).__name__)

    thread = threading.Thread(target=read)
    thread.start()
    try:
        time.sleep(0.3)
        server.stop()
        time.sleep(2.0)  # longer than the client's retries, so readers must see the outage
        server.start()
        time.sleep(0.3)
    finally:
        done.set()
        thread.join(60)
    assert not thread.is_alive()
    assert set(outcomes) <= {40, "StoreUnavailable", "QueryTimeout"}, set(outcomes)  # an answer or a clean error
    assert "StoreUnavailable" in outcomes and outcomes[-1] == 40  # it failed, then recovered


@pytest.mark.slow
def test_wrong_credentials_write_nothing(store_servers, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)  # requests, urllib3 and SPARQLWrapper log at DEBUG
    server = store_servers("virtuoso")
    good = RemoteStore.from_config(server.config())
    release = good.publish([MINI])
    for user, password in (("dba", SECRET), ("", "")):
        bad = RemoteStore.from_config(server.config(STORE_USER=user, STORE_PASSWORD=password))
        with pytest.raises(StoreUnavailable) as failure:
            bad.publish([MINI])
        assert "refused to write (HTTP 401)" in str(failure.value)
        assert SECRET not in str(failure.value)
    assert good.current_release() == release
    assert staging_graphs(server) == []
    assert SECRET not in caplog.text


@pytest.mark.slow
def test_virtuoso_query_timeout_is_used(store_servers):  # noqa: F811
    store = RemoteStore.from_config(store_servers("virtuoso").config(QUERY_TIMEOUT=1.0))
    store.publish([MINI])
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    with pytest.raises(QueryTimeout):
        run_bounded(lambda: store.query(heavy))
    assert store.protocol.dialect == "virtuoso"  # so the `timeout` parameter went with the query


class _ShortTimeoutOxigraph(OxigraphServer):
    def command(self):
        return [*super().command(), "--timeout-s", "1"]


@pytest.mark.slow
def test_oxigraph_server_timeout_is_query_timeout(tmp_path):
    server = _ShortTimeoutOxigraph(tmp_path / "oxigraph").start()
    try:
        store = RemoteStore(server.query_url, server.update_url, timeout=10.0)
        store.publish([MINI])
        heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
        with pytest.raises(QueryTimeout):
            run_bounded(lambda: store.query(heavy))
    finally:
        server.stop()


def staging_graphs(server):
    """Staging graphs on ``server``, asked directly over HTTP (not through the code under test)."""
    query = (f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} '
             f'FILTER(STRSTARTS(STR(?g), "{pub.STAGING}")) }}')
    response = requests.post(server.query_url, data={"query": query},
                             headers={"Accept": "application/sparql-results+json"}, timeout=10)
    return [b["g"]["value"] for b in response.json()["results"]["bindings"]]


@pytest.mark.slow
def test_failure_mid_publication_keeps_the_previous_release(tmp_path):
    server = OxigraphServer(tmp_path / "oxigraph").start()
    try:
        store = RemoteStore(server.query_url, server.update_url, chunk_size=50)
        release = store.publish([MINI])
        big = tmp_path / "big.nq"
        big.write_text("".join(f'<urn:s:{i}> <urn:p> "{i}" <urn:g:big> .\n' for i in range(40_000)))
        failure = {}

        def publish():
            try:
                store.publish([big])
            except StoreUnavailable as exc:
                failure["error"] = exc

        thread = threading.Thread(target=publish)
        thread.start()
        while not staging_graphs(server) and thread.is_alive():
            time.sleep(0.01)
        server.stop()  # the store goes away while the release is being loaded
        thread.join(120)
        assert "error" in failure, "the publication finished before the store stopped; make `big` bigger"
        server.start()
        assert store.current_release() == release
        assert int(next(iter(store.query(COUNT)))["n"].value) == 40
        assert staging_graphs(server)  # left behind by the failed load, invisible to readers
        store.publish([MINI])
        assert staging_graphs(server) == []  # the next publication cleans up
    finally:
        server.stop()

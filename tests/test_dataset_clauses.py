"""The query's dataset, on every route and every store (SPARQL 1.1 Query §13, Protocol §2.1.4).

The protocol's default-graph-uri / named-graph-uri win; else the query's FROM / FROM NAMED; only
when neither names a dataset is the default graph the union of the published graphs. FROM NAMED
alone leaves the default graph empty; a graph the store does not publish (unknown, or the remote
store's pointer graph) is empty, never the union.

One table of queries, run through the endpoint (GET, POST form, POST direct), the named-query
API and the store interface, on the embedded store, an Oxigraph server and Virtuoso, all holding
tests/fixtures/mini.trig (40 triples: themes 7, resolutions 4, conferences 10, organisations 9,
pages/SP320067 10).
"""

from pathlib import Path

import pyoxigraph as ox
import pytest
from werkzeug.datastructures import MultiDict

from service.app import create_app
from service.stores.embedded import EmbeddedStore
from service.stores.remote import RemoteStore
from tests.stores import STORE_KINDS, store_servers  # noqa: F401 -- a fixture

MINI = Path(__file__).resolve().parent / "fixtures" / "mini.trig"
G = "https://w3id.org/rcrc/graph/"
PAGE, THEMES, RESOLUTIONS = f"<{G}pages/SP320067>", f"<{G}data/themes>", f"<{G}data/resolutions>"
COUNT = "SELECT (COUNT(*) AS ?c) {from} WHERE {{ ?s ?p ?o }}"
COUNT_NAMED = "SELECT (COUNT(*) AS ?c) {from} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"

# (id, query, protocol dataset {default-graph-uri: [...], named-graph-uri: [...]}, expected answer)
ROWS = [
    ("union", COUNT.format(**{"from": ""}), {}, 40),
    ("issue-from-one-graph", COUNT.format(**{"from": f"FROM {PAGE}"}), {}, 10),
    ("issue-ask-from-unknown", "ASK FROM <urn:x-none> { ?s ?p ?o }", {}, False),
    ("from-two-graphs", COUNT.format(**{"from": f"FROM {THEMES} FROM {RESOLUTIONS}"}), {}, 11),
    ("from-unknown-count", COUNT.format(**{"from": "FROM <urn:x-none>"}), {}, 0),
    ("from-named-alone-empty-default", COUNT.format(**{"from": f"FROM NAMED {PAGE}"}), {}, 0),
    ("from-named-graph-pattern", COUNT_NAMED.format(**{"from": f"FROM NAMED {PAGE}"}), {}, 10),
    ("from-alone-no-named-graphs", COUNT_NAMED.format(**{"from": f"FROM {THEMES}"}), {}, 0),
    ("from-and-from-named", COUNT_NAMED.format(**{"from": f"FROM {THEMES} FROM NAMED {PAGE}"}), {}, 10),
    ("prefixed-name-with-escape", f"PREFIX g: <{G}> " + COUNT.format(**{"from": r"FROM g:data\/themes"}), {}, 7),
    ("relative-to-base", f"BASE <{G}> " + COUNT.format(**{"from": "FROM <data/themes>"}), {}, 7),
    ("lower-case-keywords", f"select (count(*) as ?c) from {THEMES} where {{ ?s ?p ?o }}", {}, 7),
    ("from-in-string-and-comment", 'SELECT (COUNT(*) AS ?c) WHERE { ?s ?p ?o FILTER(?o != "FROM <urn:x>") }\n'
                                   "# FROM <urn:y>", {}, 40),
    ("construct-from", f"CONSTRUCT {{ ?s ?p ?o }} FROM {THEMES} WHERE {{ ?s ?p ?o }}", {}, 7),
    ("pointer-graph-is-not-readable", COUNT.format(**{"from": "FROM <urn:x-pledgegraph:release>"}), {}, 0),
    ("pointer-graph-not-by-name", COUNT_NAMED.format(**{"from": "FROM NAMED <urn:x-pledgegraph:release>"}), {}, 0),
    ("protocol-default-wins", COUNT.format(**{"from": f"FROM {PAGE}"}), {"default-graph-uri": [THEMES]}, 7),
    ("protocol-named-only-empty-default", COUNT.format(**{"from": ""}), {"named-graph-uri": [THEMES]}, 0),
    ("protocol-named-graph-pattern", COUNT_NAMED.format(**{"from": f"FROM NAMED {PAGE}"}),
     {"named-graph-uri": [THEMES]}, 7),
    ("protocol-default-only-no-named", COUNT_NAMED.format(**{"from": ""}), {"default-graph-uri": [THEMES]}, 0),
    ("protocol-unknown-graph", COUNT.format(**{"from": ""}), {"default-graph-uri": ["<urn:x-none>"]}, 0),
]
ROUTES = ["store", "sparql-get", "sparql-post-form", "sparql-post-direct", "named-query"]
KINDS = [k if k == "embedded" else pytest.param(k, marks=pytest.mark.slow) for k in STORE_KINDS]


@pytest.fixture(scope="module", params=KINDS)
def setup(request, store_servers, tmp_path_factory):  # noqa: F811
    """(store, test client) for one store kind, holding mini.trig, with one named query per row."""
    queries = tmp_path_factory.mktemp("dataset-queries")
    for name, query, protocol, _ in ROWS:
        if not protocol:
            (queries / f"{name}.rq").write_text(f"#+ title: {name}\n#+ description: a dataset row\n{query}\n")
    if request.param == "embedded":
        root = tmp_path_factory.mktemp("dataset-store")
        store = EmbeddedStore(root)
        config = {"STORE_DIR": str(root)}
    else:
        config = store_servers(request.param).config()
        store = RemoteStore.from_config(config)
    store.publish([MINI])
    app = create_app({"TESTING": True, "QUERIES_DIR": str(queries), **config})
    yield store, app.test_client()
    store.close()


def _graphs(values):
    return [ox.NamedNode(v.strip("<>")) for v in values] if values else None


def _via_store(store, query, protocol):
    result = store.query(query, default_graph=_graphs(protocol.get("default-graph-uri")),
                         named_graphs=_graphs(protocol.get("named-graph-uri")))
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if hasattr(result, "variables"):
        return int(next(iter(result))["c"].value)
    return len(list(result))


def _answer(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    if response.mimetype == "application/n-triples":
        return len([line for line in response.get_data(as_text=True).splitlines() if line.strip()])
    document = response.get_json()
    if "boolean" in document:
        return document["boolean"]
    rows = document["rows"] if "rows" in document else document["results"]["bindings"]
    value = rows[0]["c"]
    return int(value["value"] if isinstance(value, dict) else value)


def _via_http(client, route, name, query, protocol):
    params = [(k, v.strip("<>")) for k, values in protocol.items() for v in values]
    accept = {"Accept": "application/n-triples" if query.startswith("CONSTRUCT") else "application/sparql-results+json"}
    if route == "sparql-get":
        return client.get("/sparql", query_string=[("query", query), *params], headers=accept)
    if route == "sparql-post-form":
        return client.post("/sparql/", data=MultiDict([("query", query), *params]), headers=accept)
    if route == "sparql-post-direct":
        return client.post("/sparql", query_string=params, data=query.encode(),
                           headers={**accept, "Content-Type": "application/sparql-query"})
    extension = ".nt" if query.startswith("CONSTRUCT") else ".json"
    return client.get(f"/api/queries/{name}{extension}")


# The named-query API takes no protocol dataset: only the rows without one go through it.
CASES = [pytest.param(route, *row, id=f"{route}-{row[0]}") for route in ROUTES for row in ROWS
         if not (route == "named-query" and row[2])]


@pytest.mark.parametrize("route, name, query, protocol, expected", CASES)
def test_the_query_dataset_is_honoured(setup, route, name, query, protocol, expected):
    store, client = setup
    if route == "store":
        assert _via_store(store, query, protocol) == expected
    else:
        assert _answer(_via_http(client, route, name, query, protocol)) == expected


def test_the_issue_examples_on_the_real_data(real_client, real_store_dir):
    """The examples as the issue gives them, on the real data: FROM one page's graph counts its triples."""
    expected = len(list(EmbeddedStore(real_store_dir).oxigraph().quads_for_pattern(
        None, None, None, ox.NamedNode(G + "pages/SP320067"))))
    accept = {"Accept": "application/sparql-results+json"}
    count = real_client.get("/sparql", query_string={"query": COUNT.format(**{"from": f"FROM {PAGE}"})}, headers=accept)
    assert int(count.get_json()["results"]["bindings"][0]["c"]["value"]) == expected
    ask = real_client.get("/sparql", query_string={"query": "ASK FROM <urn:x-none> { ?s ?p ?o }"}, headers=accept)
    assert ask.get_json()["boolean"] is False

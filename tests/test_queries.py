"""Named queries: every queries/*.rq loads, binds and runs; broken files fail loudly."""

import pyoxigraph as ox
import pytest

from service.config import DEFAULTS
from service.errors import InputError
from service.namedqueries.catalog import QUERIES_DIR, QueryFileError, load_queries, load_query
from service.sparql.executor import Job, executor_for
from service.stores.embedded import EmbeddedStore

QUERIES = load_queries()
RCRC = "https://w3id.org/rcrc/"


def test_at_least_eight_documented_questions():
    assert len(QUERIES) >= 8
    for query in QUERIES.values():
        assert query.title and query.description
        for param in query.params:
            assert param.description and param.example is not None


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_runs_on_the_mini_store_with_its_examples(mini_store_dir, name):
    query = QUERIES[name]
    store = EmbeddedStore(mini_store_dir)
    results = store.query(query.text, substitutions=query.bind(query.example_values()))
    assert results is not None
    list(results) if query.form != "ASK" else bool(results)
    store.close()


def test_binding_through_the_isolated_executor(mini_store_dir):
    query = QUERIES["pledges-citing-resolution"]
    store = EmbeddedStore(mini_store_dir)
    config = {**DEFAULTS, "MAX_CONCURRENT_QUERIES": 2}
    job = Job(query.text, "csv", 100, substitutions=query.bind({"resolution": RCRC + "id/resolution/31/3"}))
    body = executor_for(store, config).run(job).body.decode()
    assert "SP320067" in body


def test_bind_is_typed():
    query = QUERIES["pledges-per-theme-and-conference"]
    bound = query.bind({"ordinal": "32"})
    assert bound[ox.Variable("ordinal")] == ox.Literal(
        "32", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    )
    assert query.bind({}) == {}  # optional without default: left unbound
    resolution = QUERIES["pledges-citing-resolution"].bind({"resolution": RCRC + "id/resolution/31/3"})
    assert resolution[ox.Variable("resolution")] == ox.NamedNode(RCRC + "id/resolution/31/3")


@pytest.mark.parametrize(
    "name, values, words",
    [
        ("pledges-per-theme-and-conference", {"ordinal": "thirty-two"}, "'ordinal' must be of type integer"),
        ("pledges-per-theme-and-conference", {"ordinal": "32 } ; DROP ALL"}, "'ordinal'"),
        ("pledges-citing-resolution", {"resolution": "not an iri"}, "'resolution' must be of type iri"),
        ("pledges-citing-resolution", {"resolution": "http://x/> } SERVICE <http://evil/"}, "'resolution'"),
        ("pledges-citing-resolution", {}, "'resolution' is required"),
        ("pledges-citing-resolution", {"resolution": RCRC, "extra": "1"}, "unknown parameter"),
    ],
)
def test_bad_values_name_the_parameter(name, values, words):
    with pytest.raises(InputError, match=words):
        QUERIES[name].bind(values)


GOOD = """#+ title: A query
#+ description: Something.
#+ params:
#+   - name: n
#+     type: integer
#+     description: a number
#+     example: 3
SELECT ?n WHERE { ?s ?p ?n }
"""


@pytest.mark.parametrize(
    "stem, text, words",
    [
        ("ok", GOOD, None),
        ("no-meta", "SELECT * WHERE { ?s ?p ?o }\n", "no '#+' metadata"),
        ("no-title", GOOD.replace("#+ title: A query\n", ""), "'title'"),
        ("extra-key", GOOD.replace("#+ title: A query", "#+ title: A query\n#+ colour: red"), "unknown metadata"),
        ("bad-type", GOOD.replace("type: integer", "type: number"), "type must be one of"),
        ("bad-example", GOOD.replace("example: 3", "example: three"), "must be of type integer"),
        ("no-example", GOOD.replace("#+     example: 3\n", ""), "needs an example"),
        ("not-a-variable", GOOD.replace("name: n", "name: m"), "not a variable"),
        ("not-projected", GOOD.replace("SELECT ?n WHERE", "SELECT ?s WHERE"), "projection"),
        ("syntax", GOOD.replace("{ ?s ?p ?n }", "{ ?s ?p ?n "), "syntax"),
        ("yaml", GOOD.replace("#+ title: A query", "#+ title: [unclosed"), ""),
        ("service", GOOD.replace("{ ?s ?p ?n }", "{ SERVICE <http://evil/> { ?s ?p ?n } }"), "SERVICE"),
        ("update", "#+ title: t\n#+ description: d\nDELETE WHERE { ?s ?p ?o }\n", "read-only"),
        ("Bad_Name", GOOD, "slug"),
    ],
)
def test_broken_query_files_fail_loudly(tmp_path, stem, text, words):
    path = tmp_path / f"{stem}.rq"
    path.write_text(text, encoding="utf-8")
    if words is None:
        assert load_query(path).params[0].name == "n"
        return
    with pytest.raises(QueryFileError, match=stem if stem != "Bad_Name" else "slug") as error:
        load_query(path)
    assert words in str(error.value)
    with pytest.raises(QueryFileError):
        load_queries(tmp_path)


def test_the_default_folder_is_the_projects():
    assert QUERIES_DIR.name == "queries" and set(QUERIES) == {p.stem for p in QUERIES_DIR.glob("*.rq")}


# -- against the real data ---------------------------------------------------------------


def run(store_dir, name, **values):
    query = QUERIES[name]
    store = EmbeddedStore(store_dir)
    try:
        results = store.query(query.text, substitutions=query.bind(values or query.example_values()))
        if query.form in ("CONSTRUCT", "DESCRIBE"):
            return list(results)
        return [
            {v.value: (r[v.value].value if r[v.value] is not None else None) for v in results.variables}
            for r in results
        ]
    finally:
        store.close()


@pytest.mark.slow
def test_real_pledges_citing_resolution_31_3(real_store_dir):
    rows = run(real_store_dir, "pledges-citing-resolution", resolution=RCRC + "id/resolution/31/3")
    assert "SP320067" in {r["number"] for r in rows}


@pytest.mark.slow
def test_real_icrc_and_ifrc_pledged_together(real_store_dir):
    rows = run(real_store_dir, "who-pledged-with-whom", organisation=RCRC + "id/organisation/icrc")
    assert RCRC + "id/organisation/ifrc" in {r["partner"] for r in rows}


@pytest.mark.slow
def test_real_migration_pledges(real_store_dir):
    rows = run(real_store_dir, "pledges-on-theme", theme=RCRC + "id/theme/migration")
    assert RCRC + "id/pledge/SP320067" in {r["pledge"] for r in rows}


@pytest.mark.slow
def test_real_conferences_overview(real_store_dir):
    rows = {int(r["ordinal"]): r for r in run(real_store_dir, "conferences-overview")}
    assert 31 in rows and 32 in rows
    assert int(rows[32]["pledges"]) >= 1


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_runs_on_the_real_data(real_store_dir, name):
    run(real_store_dir, name)


@pytest.mark.slow
def test_real_pledge_card(real_store_dir):
    triples = run(real_store_dir, "pledge-card", pledge=RCRC + "id/pledge/SP320067")
    predicates = {t.predicate.value for t in triples}
    assert RCRC + "def/citesResolution" in predicates


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_example_text_for_the_ui_gives_the_same_answer(mini_store_dir, name):
    """The editor's copy (examples in a VALUES clause) answers like the bound query."""
    query = QUERIES[name]
    store = EmbeddedStore(mini_store_dir)
    try:
        bound = store.query(query.text, substitutions=query.bind(query.example_values()))
        shown = store.query(query.example_text())
        assert "#+" not in query.example_text()
        if query.form == "SELECT":
            assert [list(r) for r in bound] == [list(r) for r in shown]
        else:
            assert set(map(str, bound)) == set(map(str, shown))
    finally:
        store.close()


def test_a_broken_query_file_stops_the_app_at_start(tmp_path, mini_store_dir):
    from service.app import create_app

    (tmp_path / "broken.rq").write_text("#+ title: t\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(QueryFileError, match="broken.rq"):
        create_app({"TESTING": True, "STORE_DIR": str(mini_store_dir), "QUERIES_DIR": str(tmp_path)})

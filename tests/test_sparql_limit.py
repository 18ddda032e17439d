"""The row cap applied by the engine: a SELECT query runs with a LIMIT of at most the cap plus one.

``capped_select`` adds or lowers the query's own outermost LIMIT and nothing else: a LIMIT in a
sub-select, a string or a comment, an OFFSET, ORDER BY and a trailing VALUES block keep their
meaning. Each case runs on the real data twice, as written and as rewritten, and the rewritten
answer must be the first rows of the one as written (in order where the query orders them
totally). ASK, CONSTRUCT and DESCRIBE are left alone. The answer the endpoint writes from a
capped table is the one it wrote by reading rows, byte for byte, in every result format.
"""

import re
from collections import Counter

import pytest

from service.formats import RESULT_FORMATS
from service.sparql.results import serialize
from service.stores.embedded import EmbeddedStore
from service.stores.sparql_text import capped_select

CAP = 5
ROWS = CAP + 1
P = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX rcrc: <https://w3id.org/rcrc/def/>\n"
ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
ORDERED = ALL + " ORDER BY ?s ?p ?o"

# (name, query, ordered: the query orders its rows totally, so the first rows are fixed)
CASES = [
    ("plain", ALL, False),
    ("lower case keywords", "select ?s where { ?s ?p ?o }", False),
    ("LIMIT smaller than the cap", ALL + " LIMIT 3", False),
    ("LIMIT equal to the cap", ALL + f" LIMIT {CAP}", False),
    ("LIMIT larger than the cap", ALL + " LIMIT 50", False),
    ("lower-case limit", ALL + " limit 50", False),
    ("ORDER BY", ORDERED, True),
    ("ORDER BY DESC", ALL + " ORDER BY DESC(?s) ?p ?o", True),
    ("ORDER BY and LIMIT", ORDERED + " LIMIT 40", True),
    ("OFFSET", ORDERED + " OFFSET 10", True),
    ("LIMIT then OFFSET", ORDERED + " LIMIT 40 OFFSET 10", True),
    ("OFFSET then LIMIT", ORDERED + " OFFSET 10 LIMIT 40", True),
    ("OFFSET then a small LIMIT", ORDERED + " OFFSET 10 LIMIT 2", True),
    ("sub-select with its own LIMIT", "SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 20 } } "
     "ORDER BY ?s", True),
    ("sub-select with a small LIMIT", "SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 2 } }", False),
    ("sub-select LIMIT, then a join", P + "SELECT ?s ?label WHERE { { SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s "
     "LIMIT 400 } ?s rdfs:label ?label } ORDER BY ?s ?label", True),
    ("sub-select LIMIT, outer LIMIT", "SELECT ?s WHERE { { SELECT DISTINCT ?s { ?s ?p ?o } LIMIT 30 } } "
     "ORDER BY ?s LIMIT 25", True),
    ("GROUP BY, HAVING, ORDER BY", P + "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p "
     "HAVING (COUNT(*) > 1) ORDER BY DESC(?n) ?p", True),
    ("aggregate without GROUP BY", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", True),
    ("trailing VALUES", P + ORDERED + " VALUES ?p { rdfs:label rcrc:theme }", True),
    ("trailing VALUES after LIMIT", P + ORDERED + " LIMIT 40 VALUES ?p { rdfs:label rcrc:theme }", True),
    ("EXISTS in the select clause", P + "SELECT ?s (EXISTS { ?s rdfs:label ?l } AS ?labelled) WHERE { ?s ?p ?o } "
     "ORDER BY ?s ?p ?o", True),
    ("FILTER NOT EXISTS with a sub-select LIMIT", "SELECT ?s WHERE { ?s ?p ?o FILTER NOT EXISTS { "
     "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1 } } ORDER BY ?s ?p ?o", True),
    ("comment after the query", ORDERED + " # LIMIT 1", True),
    ("comment inside the query", "SELECT ?s ?p ?o # } LIMIT 1\nWHERE { ?s ?p ?o } ORDER BY ?s ?p ?o", True),
    ("string with LIMIT and a brace", 'SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(?o != "} LIMIT 1") } '
     "ORDER BY ?s ?p ?o", True),
    ("long string with LIMIT", 'SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(?o != """\n} LIMIT 1\n""") } '
     "ORDER BY ?s ?p ?o", True),
    ("IRI, variable and prefixed name called limit", "PREFIX limit: <https://example.org/limit#>\n"
     "SELECT ?limit ?p ?o WHERE { ?limit ?p ?o FILTER(?p != limit:x && ?p != <https://example.org/LIMIT>) } "
     "ORDER BY ?limit ?p ?o", True),
    ("FROM clause", "SELECT ?s ?p ?o FROM <https://w3id.org/rcrc/graph/ontology/rcrc> WHERE { ?s ?p ?o } "
     "ORDER BY ?s ?p ?o", True),
    ("BASE and relative IRIs", "BASE <https://w3id.org/rcrc/id/> SELECT ?p ?o WHERE { <pledge/SP320067> ?p ?o } "
     "ORDER BY ?p ?o", True),
]
LEFT_ALONE = [
    ("ASK", "ASK { ?s ?p ?o }"),
    ("ASK with a sub-select", "ASK { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 50 } }"),
    ("CONSTRUCT", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"),
    ("CONSTRUCT with LIMIT", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 50"),
    ("CONSTRUCT WHERE", "CONSTRUCT WHERE { ?s ?p ?o }"),
    ("DESCRIBE", "DESCRIBE <https://w3id.org/rcrc/id/pledge/SP320067>"),
    ("DESCRIBE with a WHERE", "DESCRIBE ?s WHERE { ?s ?p ?o } LIMIT 50"),
    ("no LIMIT value", ALL + " LIMIT"),
    ("LIMIT not a number", ALL + " LIMIT ten"),
    ("unbalanced braces", "SELECT * WHERE { ?s ?p ?o"),
    ("no query at all", "# SELECT * WHERE { ?s ?p ?o }"),
]


@pytest.fixture(scope="module")
def store(real_store_dir):
    return EmbeddedStore(real_store_dir)


def _rows(store, text):
    results = store.query(text)
    names = [v.value for v in results.variables]
    return [tuple(None if row[n] is None else str(row[n]) for n in names) for row in results]


@pytest.mark.parametrize("name,query,ordered", CASES, ids=[c[0] for c in CASES])
def test_rewritten_query_gives_the_first_rows_of_the_written_one(store, name, query, ordered):
    rewritten = capped_select(query, ROWS)
    assert rewritten is not None, "a SELECT query whose modifiers can be read gets a LIMIT"
    written, capped = _rows(store, query), _rows(store, rewritten)
    assert len(capped) == min(len(written), ROWS)
    if ordered:
        assert capped == written[:ROWS]
    else:
        assert not Counter(capped) - Counter(written)  # rows of the written answer, none made up


@pytest.mark.parametrize("name,query,ordered", CASES, ids=[c[0] for c in CASES])
def test_rewrite_changes_only_the_outer_limit(name, query, ordered):
    rewritten = capped_select(query, ROWS)
    added = rewritten.replace(f" LIMIT {ROWS}", "", 1) == query
    limits = [m for m in re.findall(r"(?i)\bLIMIT \d+", query) if int(m.split()[1]) > ROWS]
    lowered = [m for m in limits if rewritten == query.replace(m, f"{m.split()[0]} {ROWS}")]
    assert added or len(lowered) == 1 or rewritten == query  # kept: a LIMIT at or under the cap


def test_smaller_limit_is_kept_and_larger_lowered():
    assert capped_select(ALL + " LIMIT 3", ROWS) == ALL + " LIMIT 3"
    assert capped_select(ALL + f" LIMIT {ROWS}", ROWS) == ALL + f" LIMIT {ROWS}"
    assert capped_select(ALL + " LIMIT 50 OFFSET 2", ROWS) == ALL + f" LIMIT {ROWS} OFFSET 2"
    assert capped_select(ALL + " # LIMIT 1", ROWS) == ALL + f" LIMIT {ROWS} # LIMIT 1"
    inner = "SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 20 } }"
    assert capped_select(inner, ROWS) == inner + f" LIMIT {ROWS}"
    exists = "SELECT ?s WHERE { ?s ?p ?o FILTER EXISTS { SELECT ?s WHERE { ?s ?p ?o } LIMIT 20 } }"
    assert capped_select(exists, ROWS) == exists + f" LIMIT {ROWS}"
    text = 'SELECT ?s WHERE { ?s ?p "} LIMIT 50" }'
    assert capped_select(text, ROWS) == text + f" LIMIT {ROWS}"


@pytest.mark.parametrize("name,query", LEFT_ALONE, ids=[c[0] for c in LEFT_ALONE])
def test_other_forms_and_unreadable_text_are_left_alone(name, query):
    assert capped_select(query, ROWS) is None


QUERIES = [  # (name, query, cut at the cap)
    ("more rows than the cap", ORDERED, True),
    ("exactly the cap", ORDERED + f" LIMIT {CAP}", False),
    ("one row over the cap", ORDERED + f" LIMIT {CAP + 1}", True),
    ("fewer rows", ORDERED + " LIMIT 2", False),
    ("no rows", "SELECT ?s WHERE { ?s <https://example.org/nothing> ?o }", False),
    ("unbound values and languages", P + "SELECT ?s ?label ?missing WHERE { ?s rdfs:label ?label "
     "OPTIONAL { ?s <https://example.org/nothing> ?missing } } ORDER BY ?s ?label LIMIT 4", False),
    ("typed and language literals, IRIs", 'SELECT ?v WHERE { VALUES ?v { 1 2.5 "x"@en "y" "z"^^<https://example.org/t> '
     "<https://example.org/a> } }", True),
    ("blank nodes", "SELECT ?b ?p WHERE { ?b ?p ?o FILTER isBlank(?b) } ORDER BY ?b ?p LIMIT 3", False),
    ("aggregates", "SELECT ?p (COUNT(*) AS ?n) (SAMPLE(?o) AS ?any) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p", True),
]


@pytest.mark.parametrize("fmt", [f.name for f in RESULT_FORMATS])
@pytest.mark.parametrize("name,query,cut", QUERIES, ids=[q[0] for q in QUERIES])
def test_engine_capped_answer_is_the_answer_read_row_by_row(store, fmt, name, query, cut):
    link = "https://example.org/sparql/limits"
    read = serialize(store.query(query), fmt, CAP, link)
    rewritten = capped_select(query, ROWS)
    capped = serialize(store.query(rewritten), fmt, CAP, link, capped=True)
    assert (capped.rows, capped.truncated, capped.media_type) == (read.rows, read.truncated, read.media_type)
    assert capped.truncated == cut
    assert capped.body == read.body  # byte for byte: permalinks keep the checksums of their answers

"""The checks a query passes before any engine sees it: tokens, not substrings."""

import pytest

from service.errors import InputError, PayloadTooLarge, UnsafeInput
from service.sparql.check import check_query


@pytest.mark.parametrize(
    "query, form",
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("PREFIX ask: <http://x/> BASE <http://y/> ask { ?s ?p ?o }", "ASK"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("describe <http://x>", "DESCRIBE"),
        # every place the forbidden words may appear harmlessly
        ('SELECT * WHERE { ?s ?p "SERVICE <http://evil/> {}" }', "SELECT"),
        ("SELECT * WHERE { ?s ?p '''DROP ALL; LOAD <http://evil/>''' }", "SELECT"),
        ("SELECT ?service ?load $insert WHERE { ?service ?load $insert }", "SELECT"),
        ("PREFIX ex: <http://x/> SELECT * WHERE { ?s ex:SERVICE ex:load . ?s ex:delete _:drop }", "SELECT"),
        ("SELECT * WHERE { ?s ?p ?o } # SERVICE <http://evil/> and CLEAR ALL in a comment", "SELECT"),
        ("SELECT * WHERE { <http://example.org/SERVICE/insert> ?p ?o }", "SELECT"),
        ('SELECT * WHERE { ?s ?p "x"@add }', "SELECT"),
        ('SELECT * WHERE { ?s ?p "a \\" SERVICE" }', "SELECT"),
        ("SELECT * WHERE { FILTER(?a<?b && ?c>?d) }", "SELECT"),
    ],
)
def test_accepted(query, form):
    assert check_query(query).form == form


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://169.254.169.254/latest/> { ?s ?p ?o } }",
        "SELECT * WHERE { service<http://evil/>{ ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE SILENT <http://evil/> { } }",
        "SELECT * WHERE { SERVICE ?endpoint { } }",
        'SELECT * WHERE { ?s ?p "unterminated SERVICE <http://evil/> { } }',
    ],
)
def test_service_refused(query):
    with pytest.raises(UnsafeInput, match="SERVICE"):
        check_query(query)


@pytest.mark.parametrize(
    "update",
    [
        "LOAD <http://evil/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <http://x/>",
        "INSERT DATA { <a:b> <a:c> <a:d> }",
        "DELETE WHERE { ?s ?p ?o }",
        "PREFIX ex: <http://x/> WITH ex:g DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "CREATE GRAPH <http://x/>",
        "ADD DEFAULT TO <http://x/>",
        "MOVE DEFAULT TO <http://x/>",
        "COPY DEFAULT TO <http://x/>",
        "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
        "load <http://evil/>",
    ],
)
def test_updates_refused_as_read_only(update):
    with pytest.raises(UnsafeInput, match="read-only"):
        check_query(update)


def test_nesting_capped_before_the_engine():
    deep = "SELECT * WHERE " + "{" * 4000 + "}" * 4000
    with pytest.raises(UnsafeInput, match="nests deeper"):
        check_query(deep, max_nesting=64)
    parens = "SELECT (" + "(" * 100 + "1" + ")" * 100 + " AS ?x) {}"
    with pytest.raises(UnsafeInput):
        check_query(parens, max_nesting=64)
    assert check_query("SELECT * WHERE " + "{" * 10 + "}" * 10, max_nesting=64).form == "SELECT"


def test_braces_in_strings_do_not_count():
    assert check_query('SELECT * WHERE { ?s ?p "' + "{" * 500 + '" }', max_nesting=4).form == "SELECT"


def test_size_capped():
    with pytest.raises(PayloadTooLarge):
        check_query("SELECT * WHERE { ?s ?p ?o } #" + "x" * 200, max_bytes=100)


@pytest.mark.parametrize("junk", ["", "   ", "# only a comment", "hello world", "PREFIX ex: <http://x/>"])
def test_no_query_form_is_a_syntax_error(junk):
    with pytest.raises(InputError, match="syntax"):
        check_query(junk)


def test_escaped_keywords_are_not_keywords_to_the_engine_either():
    """pyoxigraph does not unescape \\u sequences outside strings and IRIs: no way around the check."""
    import pyoxigraph as ox

    sneaky = r"SELECT * WHERE { \u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    with pytest.raises(SyntaxError):
        ox.Store().query(sneaky)
    in_string = r'SELECT * WHERE { ?s ?p "a\u0022 } SERVICE <http://127.0.0.1:9/> { ?x ?y ?z } # " }'
    assert check_query(in_string).form == "SELECT"
    assert list(ox.Store().query(in_string)) == []  # the escaped quote did not end the string

"""Every writer round-trips: what we write reads back to the same terms with a strict parser.

Property-based (hypothesis) over generated IRIs and literals, through every result format and
every RDF format, read back by pyoxigraph, by Python's csv module and by expat (a strict XML 1.0
parser); Turtle also through our own importer. XML cannot carry some control characters at all:
there the answer is a clear 406, never ill-formed XML. The issue's examples are rows of a table
run through the SPARQL endpoint, the named-query API and the resource pages.
"""

import csv
import io
import xml.parsers.expat

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.errors import NotAcceptable
from service.formats import RDF_FORMATS, RESULT_FORMATS, write_rdf, write_results
from service.importers.rdf_files import parse_rdf
from service.namespaces import PREFIXES

XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "http://ex.org/"
NOT_XML = {chr(c) for c in [*range(0x0, 0x9), 0xB, 0xC, *range(0xE, 0x20), 0xFFFE, 0xFFFF]}
IRI_TAIL = st.lists(st.sampled_from(list("abcXYZ019-._~!$&'()*+,;=:@/é中?#") + ["%41", "%2C"]),
                   max_size=16).map("".join)
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=24)


def _iri(base):
    def valid(tail):
        try:
            return ox.NamedNode(base + tail)
        except ValueError:
            return None

    return IRI_TAIL.map(valid).filter(lambda node: node is not None)


IRIS = st.one_of(_iri(EX), _iri("https://w3id.org/rcrc/id/theme/"), _iri("urn:x:"))
LITERALS = st.one_of(
    TEXT.map(ox.Literal),
    st.tuples(TEXT, st.sampled_from(["en", "fr-CA", "ar"])).map(lambda p: ox.Literal(p[0], language=p[1])),
    st.tuples(TEXT, st.sampled_from([EX + "dt", XSD + "token"])).map(
        lambda p: ox.Literal(p[0], datatype=ox.NamedNode(p[1]))),
)
TERMS = st.one_of(IRIS, LITERALS)


def _value(term):
    """A pyoxigraph term as a SPARQL JSON results value."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    value = {"type": "literal", "value": term.value}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        value["datatype"] = term.datatype.value
    return value


def _xml_text(body):
    """Every character of text content, read by expat (strict XML 1.0: raises on ill-formed input)."""
    parser, texts = xml.parsers.expat.ParserCreate(), []
    parser.CharacterDataHandler = texts.append
    parser.Parse(body, True)
    return "".join(texts)


def _carried_by_xml(*terms):
    return not any(ch in NOT_XML for term in terms for ch in term.value)


@pytest.mark.parametrize("fmt", RESULT_FORMATS, ids=lambda f: f.name)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(subject=IRIS, obj=TERMS)
def test_result_writers_round_trip(fmt, subject, obj):
    document = {"head": {"vars": ["s", "o"]}, "results": {"bindings": [{"s": _value(subject), "o": _value(obj)}]}}
    if fmt.name == "xml" and not _carried_by_xml(subject, obj):
        with pytest.raises(NotAcceptable):
            write_results(document, fmt)
        return
    body = write_results(document, fmt)
    if fmt.name == "csv":  # text only, by design: the IRI and the literal's lexical form
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        assert rows == [["s", "o"], [subject.value, obj.value]]
        return
    if fmt.name == "xml":
        _xml_text(body)
    row = next(iter(ox.parse_query_results(body, fmt.oxigraph)))
    assert (row["s"], row["o"]) == (subject, obj)


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=lambda f: f.name)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(subject=IRIS, obj=TERMS)
def test_rdf_writers_round_trip(fmt, subject, obj):
    triples = [ox.Triple(subject, ox.NamedNode(EX + "p"), obj)]
    prefixes = {**PREFIXES, "ex": EX}
    if fmt.name == "rdfxml" and not _carried_by_xml(subject, obj):
        with pytest.raises(NotAcceptable):
            write_rdf(triples, fmt, prefixes)
        return
    body = write_rdf(triples, fmt, prefixes, note="a -- note")
    if fmt.name == "rdfxml":
        _xml_text(body)
    read = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt.oxigraph)}
    assert read == set(triples)


# rdflib, which the import hands its graphs to (SHACL runs on them), collapses the whitespace of
# xsd:token and xsd:normalizedString lexical forms whatever it is told; other literals keep theirs.
IMPORTABLE = st.one_of(IRIS, LITERALS.filter(lambda t: t.datatype.value != XSD + "token"),
                       st.sampled_from(["01", "1.50", " 7"]).map(lambda v: ox.Literal(v, datatype=ox.NamedNode(
                           XSD + "integer"))))


@settings(max_examples=150, deadline=None)
@given(subject=IRIS, obj=IMPORTABLE)
def test_our_turtle_re_imports(subject, obj):
    triples = [ox.Triple(subject, ox.NamedNode(EX + "p"), obj)]
    body = write_rdf(triples, RDF_FORMATS[0], {**PREFIXES, "ex": EX})
    graph = parse_rdf(body, "turtle", name="ours.ttl")
    ((s, p, o),) = list(graph)
    assert (str(s), str(p), str(o)) == (subject.value, EX + "p", obj.value)
    if isinstance(obj, ox.Literal):
        assert (o.language or "") == (obj.language or "")
        if not obj.language:
            assert str(o.datatype or XSD + "string") == obj.datatype.value


# -- the examples, through the routes that write them ----------------------------------

VALUES = (
    "SELECT ?x ?y WHERE { VALUES (?x ?y) { "
    '(<http://ex.org/a,b> "a\\rb") (<https://w3id.org/rcrc/id/theme/dotted.> "say \\"hi\\", then\\nleave") } }'
)
CONSTRUCT = VALUES.replace("SELECT ?x ?y WHERE", "CONSTRUCT { ?x <http://ex.org/p> ?y } WHERE")
EXPECTED = {("http://ex.org/a,b", "a\rb"), ("https://w3id.org/rcrc/id/theme/dotted.", 'say "hi", then\nleave')}


def _rows(response):
    body, media = response.data, response.mimetype
    if media == "text/csv":
        return {tuple(r) for r in list(csv.reader(io.StringIO(body.decode(), newline="")))[1:]}
    if media == "application/sparql-results+xml":
        _xml_text(body)
    fmt = next(f for f in RESULT_FORMATS if f.media_type == media).oxigraph
    return {(r["x"].value, r["y"].value) for r in ox.parse_query_results(body, fmt)}


@pytest.mark.parametrize("accept", [f.media_type for f in RESULT_FORMATS])
def test_endpoint_tables_round_trip(mini_client, accept):
    response = mini_client.get("/sparql", query_string={"query": VALUES}, headers={"Accept": accept})
    assert response.status_code == 200
    assert _rows(response) == EXPECTED


@pytest.mark.parametrize("accept", [f.media_type for f in RDF_FORMATS])
def test_endpoint_graphs_round_trip(mini_client, accept):
    response = mini_client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200
    if accept == "application/rdf+xml":
        _xml_text(response.data)
    fmt = next(f for f in RDF_FORMATS if f.media_type == response.mimetype)
    read = {(q.subject.value, q.object.value) for q in ox.parse(response.data, format=fmt.oxigraph)}
    assert read == EXPECTED
    if fmt.name == "turtle":  # our own output re-imports, and rdflib (SPARQLWrapper's parser) reads it too
        assert {(str(s), str(o)) for s, _, o in parse_rdf(response.data, "turtle", name="answer.ttl")} == EXPECTED
        assert {(str(s), str(o)) for s, _, o in rdflib.Graph().parse(data=response.data, format="turtle")} == EXPECTED


CONTROL_SELECT = 'SELECT ?y WHERE { VALUES ?y { "a\\u0001b" } }'
CONTROL_CONSTRUCT = 'CONSTRUCT { <http://ex.org/s> <http://ex.org/p> ?y } WHERE { VALUES ?y { "a\\u0001b" } }'


@pytest.mark.parametrize("query, xml, other", [
    (CONTROL_SELECT, "application/sparql-results+xml", "application/sparql-results+json"),
    (CONTROL_CONSTRUCT, "application/rdf+xml", "application/n-triples"),
    (CONTROL_CONSTRUCT, "application/sparql-results+xml", "text/turtle"),  # XML by fallback: the same rule
])
def test_what_xml_cannot_carry_is_a_clear_406(mini_client, query, xml, other):
    refused = mini_client.get("/sparql", query_string={"query": query}, headers={"Accept": xml})
    assert refused.status_code == 406
    assert "control character" in refused.get_data(as_text=True)
    answered = mini_client.get("/sparql", query_string={"query": query}, headers={"Accept": other})
    assert answered.status_code == 200
    assert "a\\u0001b" in answered.get_data(as_text=True)  # JSON and N-Triples escape it

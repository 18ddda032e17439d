"""Serialise query results with pyoxigraph's own writers, cut at a row cap with a signal.

pyoxigraph serialises a whole result or nothing, so a capped table is rebuilt: the first
rows are read, written as SPARQL JSON, parsed back by pyoxigraph and serialised in the
asked format. Graph results are capped with ``itertools.islice`` and written directly.
"""

import json
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox

from ..formats import RDF_FORMATS, RESULT_FORMATS, by_name
from ..namespaces import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Answer:
    """A serialised result: the bytes, their media type, and whether rows were cut."""

    body: bytes
    media_type: str
    rows: int = 0
    truncated: bool = False


def serialize(results, format_name, max_rows):
    """Serialise SELECT, ASK, CONSTRUCT or DESCRIBE results (pyoxigraph objects) as ``format_name``."""
    if isinstance(results, (ox.QueryBoolean, bool)):
        return _boolean(bool(results), _format(format_name, RESULT_FORMATS))
    if hasattr(results, "variables"):
        return _solutions(results, _format(format_name, RESULT_FORMATS), max_rows)
    return _triples(results, _format(format_name, RDF_FORMATS), max_rows)


def _format(name, table):
    found = by_name(name, table)
    if found is None:
        raise ValueError(f"no result format {name!r} for this kind of query")
    return found


def _boolean(value, fmt):
    parsed = ox.parse_query_results(json.dumps({"head": {}, "boolean": value}), ox.QueryResultsFormat.JSON)
    return Answer(parsed.serialize(format=fmt.oxigraph), fmt.media_type, 1)


def _solutions(results, fmt, max_rows):
    names = [variable.value for variable in results.variables]
    rows = list(islice(results, max_rows + 1))
    truncated = len(rows) > max_rows
    bindings = [_binding(names, row) for row in rows[:max_rows]]
    document = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}})
    table = ox.parse_query_results(document, ox.QueryResultsFormat.JSON)
    return Answer(table.serialize(format=fmt.oxigraph), fmt.media_type, len(bindings), truncated)


def _binding(names, row):
    return {name: _term(row[name]) for name in names if row[name] is not None}


def _term(term):
    """One RDF term as a SPARQL JSON results value."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        parts = ("subject", "predicate", "object")
        return {"type": "triple", "value": {p: _term(getattr(term, p)) for p in parts}}
    value = {"type": "literal", "value": term.value}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        value["datatype"] = term.datatype.value
    return value


def _triples(results, fmt, max_rows):
    triples = [t.triple if isinstance(t, ox.Quad) else t for t in islice(results, max_rows + 1)]
    truncated = len(triples) > max_rows
    triples = triples[:max_rows]
    if fmt.datasets:  # quad formats want quads: put the triples in the default graph
        triples = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    body = ox.serialize(triples, format=fmt.oxigraph, prefixes=_prefixes(fmt))
    return Answer(body, fmt.media_type, len(triples), truncated)


def _prefixes(fmt):
    # Prefixes make Turtle, TriG and RDF/XML readable; line formats ignore them anyway.
    return PREFIXES if fmt.name in ("turtle", "trig", "rdfxml") else None


__all__ = ["Answer", "serialize", "RDF_FORMATS", "RESULT_FORMATS"]

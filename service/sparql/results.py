"""Serialise query results, cut at a row cap with a signal.

A table the engine already capped (``capped``: the query's LIMIT is at most the cap plus one, see
``stores.sparql_text.capped_select``) is written by pyoxigraph as SPARQL JSON in one call and
read back as a document; the first rows of an uncapped table are read one by one into one. The
document is written in the asked format by ``formats.write_results``. Graph results are capped
with ``itertools.islice`` and written by ``formats.write_rdf``. A cut answer says so in-band
where the format can (``limits_url`` in the head of SPARQL JSON and XML, a comment in Turtle,
TriG, N-Triples, N-Quads and RDF/XML), besides the headers the web layer adds.
"""

import json
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox

from ..formats import RDF_FORMATS, RESULT_FORMATS, by_name, write_rdf, write_results
from ..namespaces import WRITER_PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Answer:
    """A serialised result: the bytes, their media type, and whether rows were cut."""

    body: bytes
    media_type: str
    rows: int = 0
    truncated: bool = False


def serialize(results, format_name, max_rows, limits_url=None, capped=False):
    """Serialise SELECT, ASK, CONSTRUCT or DESCRIBE results (pyoxigraph objects) as ``format_name``;
    ``limits_url`` is the page a cut answer points to; ``capped``: a table holds at most
    ``max_rows + 1`` rows (the engine applied the cap)."""
    if isinstance(results, (ox.QueryBoolean, bool)):
        return _boolean(bool(results), _format(format_name, RESULT_FORMATS))
    if hasattr(results, "variables") and capped:
        return _capped_solutions(results, _format(format_name, RESULT_FORMATS), max_rows, limits_url)
    if hasattr(results, "variables"):
        return _solutions(results, _format(format_name, RESULT_FORMATS), max_rows, limits_url)
    return _triples(results, _format(format_name, RDF_FORMATS), max_rows, limits_url)


def _format(name, table):
    found = by_name(name, table)
    if found is None:
        raise ValueError(f"no result format {name!r} for this kind of query")
    return found


def _boolean(value, fmt):
    return Answer(write_results({"head": {}, "boolean": value}, fmt), fmt.media_type, 1)


def _solutions(results, fmt, max_rows, limits_url):
    names = [variable.value for variable in results.variables]
    rows = list(islice(results, max_rows + 1))
    truncated = len(rows) > max_rows
    bindings = [_binding(names, row) for row in rows[:max_rows]]
    document = {"head": {"vars": names}, "results": {"bindings": bindings}}
    body = write_results(document, fmt, link=limits_url if truncated else None)
    return Answer(body, fmt.media_type, len(bindings), truncated)


def _capped_solutions(results, fmt, max_rows, limits_url):
    # pyoxigraph writes the table; it is read back (a C parser, microseconds a row) to count and cut
    # its rows, and written again by write_results, so the bytes are those a row-by-row read gives
    # (a permalink's recorded checksum depends on them).
    document = json.loads(results.serialize(format=ox.QueryResultsFormat.JSON))
    bindings = document["results"]["bindings"]
    truncated = len(bindings) > max_rows
    del bindings[max_rows:]
    body = write_results(document, fmt, link=limits_url if truncated else None)
    return Answer(body, fmt.media_type, len(bindings), truncated)


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


def _triples(results, fmt, max_rows, limits_url):
    triples = [t.triple if isinstance(t, ox.Quad) else t for t in islice(results, max_rows + 1)]
    truncated = len(triples) > max_rows
    note = f"results cut at {max_rows} triples; see {limits_url or 'the row limit'}" if truncated else None
    # Prefixes make Turtle, TriG and RDF/XML readable (write_rdf leaves them out elsewhere).
    body = write_rdf(triples[:max_rows], fmt, WRITER_PREFIXES if fmt.name != "jsonld" else None, note=note)
    return Answer(body, fmt.media_type, min(len(triples), max_rows), truncated)


__all__ = ["Answer", "serialize", "RDF_FORMATS", "RESULT_FORMATS"]

"""Named queries as an API: typed parameters, pages and formats, for the web and the CLI.

    parameters ──NamedQuery.bind──> substitutions (typed terms, never spliced into the text)
    runner(text, substitutions, engine format, rows) ──> Answer (the engine's bytes, capped)
    the page's rows ──render──> JSON rows, CSV, TSV, SPARQL results; Turtle, JSON-LD ... for graphs

The engine is asked for one window (the rows up to the end of the page, one more to know
whether a next page exists) in a lossless format (SPARQL JSON, N-Triples); the page is cut
from it and written in the asked format. The web layer runs queries through the process's
isolated executor (``service.sparql``); the CLI runs them in-process (``inline_runner``).
"""

import json
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..errors import InputError, NotAcceptable, NotFound
from ..formats import RDF_FORMATS, RESULT_FORMATS, Format, by_name, media_types, write_rdf, write_results
from ..importers.names import did_you_mean
from ..namespaces import PREFIXES
from ..sparql.results import serialize
from .catalog import load_queries

RESERVED = ("page", "per_page", "format", "release")  # request parameters that are not query parameters
DEFAULT_PER_PAGE = 100
PLAIN_JSON = Format("json", "json", "application/json")  # {columns, rows: [{column: value}]}
TABLE_FORMATS = (PLAIN_JSON, *RESULT_FORMATS)  # SELECT and ASK
GRAPH_FORMATS = RDF_FORMATS  # CONSTRUCT and DESCRIBE
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMBERS = {XSD + t: int for t in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger")}
NUMBERS.update({XSD + t: float for t in ("decimal", "double", "float")})


def is_graph(query):
    """True when the named query answers with RDF (CONSTRUCT, DESCRIBE) rather than a table."""
    return query.form in ("CONSTRUCT", "DESCRIBE")


def formats_for(query):
    return GRAPH_FORMATS if is_graph(query) else TABLE_FORMATS


def format_named(query, name):
    """The format a name or extension (``csv``, ``ttl``, ``json``) stands for with this query; 406 if none."""
    formats = formats_for(query)
    found = by_name(name, formats)  # a graph's "json" is JSON-LD, a table's is PLAIN_JSON
    if found is None:
        offered = ", ".join(f.extension for f in formats)
        raise NotAcceptable(
            f"query {query.name!r} is not offered as {name[:40]!r}; offered: {offered}", offered=media_types(formats)
        )
    return found


def find(queries, name):
    """The named query ``name``; NotFound (404) otherwise."""
    if name not in queries:
        raise NotFound(f"no named query {name[:80]!r}{did_you_mean(name[:80], queries)}")
    return queries[name]


def split_values(pairs):
    """(query parameter values, page, per_page, format name) from request (name, value) pairs."""
    values = {}
    for name, value in pairs:
        if name in values:
            raise InputError(f"parameter {name[:40]!r} is given more than once")
        values[name] = value
    values.pop("release", None)  # which release to ask: the web layer's (service.web.releases)
    page = _positive(values.pop("page", None), "page", 1)
    per_page = _positive(values.pop("per_page", None), "per_page", DEFAULT_PER_PAGE)
    return values, page, per_page, values.pop("format", None)


def _positive(value, name, default):
    if value in (None, ""):
        return default
    text = str(value).strip()
    if not text.isdigit() or int(text) < 1 or len(text) > 9:
        raise InputError(f"parameter {name!r} must be a positive integer")
    return int(text)


@dataclass
class Page:
    """One page of a named query's answer, ready to send."""

    query: object
    fmt: Format
    page: int
    per_page: int
    has_next: bool
    body: bytes = b""  # every format but plain JSON
    columns: list = field(default_factory=list)
    records: list = field(default_factory=list)  # plain JSON rows
    boolean: bool | None = None

    @property
    def rows(self):
        return len(self.records)

    def render(self, parameters=None, links=None):
        """The bytes to send; plain JSON carries the parameters and page links given."""
        if self.fmt is not PLAIN_JSON:
            return self.body
        document = {"query": self.query.name, "title": self.query.title, "parameters": parameters or {}}
        if self.boolean is not None:
            document["boolean"] = self.boolean
        else:
            document.update(columns=self.columns, rows=self.records, page=self.page, per_page=self.per_page)
            document.update({k: v for k, v in (links or {}).items()})
        return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def run(query, values, fmt, runner, page=1, per_page=DEFAULT_PER_PAGE, max_rows=10_000):
    """One page of ``query`` with ``values`` in ``fmt``; InputError names a bad parameter."""
    substitutions = query.bind(values)
    end = page * per_page
    if end > max_rows:
        raise InputError(f"page {page} of {per_page} rows lies beyond the cap of {max_rows} rows")
    if is_graph(query):
        answer = runner(query.text, substitutions, "ntriples", end)
        triples = list(ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES))[end - per_page : end]
        body = write_rdf(triples, fmt, PREFIXES)
        return Page(query, fmt, page, per_page, answer.truncated, body=body, records=triples)
    answer = runner(query.text, substitutions, "json", end)
    document = json.loads(answer.body)
    if "boolean" in document:
        return _boolean_page(query, fmt, document)
    columns = document["head"]["vars"]
    bindings = document["results"]["bindings"][end - per_page : end]
    result = Page(query, fmt, page, per_page, answer.truncated, columns=columns, records=bindings)
    if fmt is PLAIN_JSON:
        result.records = [{k: _plain(v) for k, v in b.items()} for b in bindings]
    else:
        table = {"head": {"vars": columns}, "results": {"bindings": bindings}}
        result.body = write_results(table, fmt)
    return result


def _boolean_page(query, fmt, document):
    result = Page(query, fmt, 1, 1, False, boolean=bool(document["boolean"]))
    if fmt is not PLAIN_JSON:
        result.body = write_results({"head": {}, "boolean": result.boolean}, fmt)
    return result


def _plain(value):
    """A SPARQL JSON value as plain JSON: IRIs and strings as text, numbers and booleans as such."""
    text, datatype = value.get("value"), value.get("datatype")
    if value.get("type") == "literal" and datatype in NUMBERS:
        try:
            return NUMBERS[datatype](text)
        except ValueError:
            return text
    if datatype == XSD + "boolean":
        return text == "true"
    return text


def inline_runner(store):
    """A runner that queries ``store`` in this process (the CLI; no worker isolation)."""

    def run_here(text, substitutions, format_name, max_rows):
        return serialize(store.query(text, substitutions=substitutions), format_name, max_rows)

    return run_here


def run_named_query(store, name, params, fmt=None, queries=None, max_rows=10_000):
    """The CLI twin: every row (up to ``max_rows``) of a named query as (bytes, media type).

    ``fmt`` is a format name or extension; None means CSV for tables and Turtle for graphs.
    """
    queries = queries if queries is not None else load_queries()
    query = find(queries, name)
    chosen = format_named(query, fmt or ("ttl" if is_graph(query) else "csv"))
    page = run(query, params, chosen, inline_runner(store), 1, max_rows, max_rows)
    return page.render(parameters=params), chosen.media_type


def describe(query, url=None):
    """The metadata of a named query, as the listing shows it."""
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "form": query.form,
        "formats": [f.extension for f in formats_for(query)],
        "params": [
            {
                "name": p.name,
                "type": p.type,
                "required": p.required,
                "default": p.default,
                "description": p.description,
                "example": p.example,
            }
            for p in query.params
        ],
        **({"url": url} if url else {}),
    }

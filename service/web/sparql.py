"""The SPARQL 1.1 Protocol endpoint at /sparql (read-only), its service description and query UI.

Protocol: GET ?query=, POST form (query=), POST application/sparql-query; default-graph-uri and
named-graph-uri; the result format by ``format`` or by Accept (q-values), else 406. A GET without
a query answers the service description (RDF), or the query UI when a browser asks for HTML.
Everything that can hurt the engine is refused before it runs (``service.sparql.check``);
queries run through the process's executor (``service.sparql.executor``).
"""

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request, url_for
from werkzeug.exceptions import UnsupportedMediaType

from ..errors import InputError, NotAcceptable
from ..formats import RDF_FORMATS, RESULT_FORMATS, by_name, media_types
from ..namedqueries.catalog import load_queries
from ..namespaces import PREFIXES, sparql_prologue
from ..sparql.check import check_query
from ..sparql.description import SD, service_description
from ..sparql.executor import Job, executor_for
from .common import store, vary_on_accept
from .conneg import choose

bp = Blueprint("sparql", __name__)

SD_PREFIXES = {"sd": SD, "dcterms": PREFIXES["dcterms"], "rdfs": PREFIXES["rdfs"]}


@bp.route("/sparql/", methods=["GET", "POST"])  # the W3C manifests' form of the path
@bp.route("/sparql", methods=["GET", "POST"])  # registered first, so url_for builds this one
def endpoint():
    request.max_content_length = int(current_app.config["MAX_QUERY_BYTES"])
    query, dataset, format_name = _protocol_request()
    if query is None:
        return _no_query()
    info = check_query(query, int(current_app.config["MAX_QUERY_BYTES"]), int(current_app.config["MAX_NESTING"]))
    table = RDF_FORMATS if info.is_graph else RESULT_FORMATS
    fmt = _choose(table, format_name, html=request.method == "GET")
    if fmt is None:  # a browser following a shared link: the UI, with the query in it
        return _ui()
    job = Job(query, fmt.name, int(current_app.config["MAX_RESULT_ROWS"]), base_iri=request.base_url, **dataset)
    answer = executor_for(store(), current_app.config).run(job)
    return _answer_response(answer)


@bp.record_once
def _check_queries(state):
    """Broken query files stop the app at start, not at a user's first request."""
    load_queries(state.app.config.get("QUERIES_DIR"))


bp.after_request(vary_on_accept)


def _protocol_request():
    """(query or None, dataset keyword arguments, format name) from any protocol form."""
    if "update" in request.args or "update" in request.form:
        raise InputError("this SPARQL endpoint is read-only: updates are not accepted")
    queries = request.args.getlist("query")
    if request.method == "POST":
        queries += _posted_queries()
    if len(queries) > 1:
        raise InputError("give exactly one query (the request has several)")
    values = request.values if request.mimetype == "application/x-www-form-urlencoded" else request.args
    dataset = {
        "default_graph": _graphs(values.getlist("default-graph-uri")),
        "named_graphs": _graphs(values.getlist("named-graph-uri")),
    }
    if dataset["named_graphs"] and not dataset["default_graph"]:
        dataset["default_graph"] = []  # the protocol: named graphs only means an empty default graph
    return (queries[0] if queries else None), dataset, values.get("format")


def _posted_queries():
    mimetype = request.mimetype
    if mimetype == "application/x-www-form-urlencoded":
        return request.form.getlist("query")
    if mimetype == "application/sparql-query":
        charset = request.mimetype_params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise UnsupportedMediaType("SPARQL queries must be sent as UTF-8")
        try:
            return [request.get_data().decode("utf-8")]
        except UnicodeDecodeError:
            raise InputError("the query is not valid UTF-8") from None
    if mimetype == "application/sparql-update":
        raise InputError("this SPARQL endpoint is read-only: updates are not accepted")
    raise UnsupportedMediaType(
        "POST a query as application/sparql-query or as application/x-www-form-urlencoded (query=...)"
    )


def _graphs(iris):
    try:
        return [ox.NamedNode(iri) for iri in iris] or None
    except ValueError:
        raise InputError("default-graph-uri and named-graph-uri must be absolute IRIs") from None


def _choose(table, format_name, html=False):
    """The format asked for by name or by Accept; None when HTML (the UI) is preferred."""
    if format_name:
        found = by_name(format_name, table)
        if found is None:
            raise NotAcceptable(f"no format {format_name!r} for this query", offered=media_types(table))
        return found
    return choose(request.accept_mimetypes, table, html=html)


def _answer_response(answer):
    response = Response(answer.body, content_type=_content_type(answer.media_type))
    limit = str(current_app.config["MAX_RESULT_ROWS"])
    response.headers["X-Pledgegraph-Row-Limit"] = limit
    if answer.truncated:
        response.headers["X-Pledgegraph-Truncated"] = "true"
        response.headers["Warning"] = f'199 pledgegraph "results cut at {limit} rows; page with LIMIT and OFFSET"'
    return response


def _content_type(media_type):
    textual = media_type.startswith("text/") or media_type.endswith(("json", "xml", "triples", "quads", "trig"))
    return f"{media_type}; charset=utf-8" if textual else media_type


def _no_query():
    if request.method == "POST":
        raise InputError("no query: send query=... or a body of type application/sparql-query")
    fmt = _choose(RDF_FORMATS, request.args.get("format"), html=True)
    if fmt is None:
        return _ui()
    triples = service_description(request.base_url, _named_graphs(), _limits())
    if fmt.datasets:
        return Response(_as_quads(triples, fmt), content_type=_content_type(fmt.media_type))
    prefixes = SD_PREFIXES if fmt.name in ("turtle", "rdfxml") else None
    body = ox.serialize(triples, format=fmt.oxigraph, prefixes=prefixes)
    return Response(body, content_type=_content_type(fmt.media_type))


def _as_quads(triples, fmt):
    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    return ox.serialize(quads, format=fmt.oxigraph)


def _named_graphs():
    try:
        return store().named_graphs()
    except Exception:  # noqa: BLE001 -- no release yet, or a remote store without the call
        return []


def _limits():
    c = current_app.config
    return (
        f"Read-only. SERVICE and updates are refused. Limits: {c['QUERY_TIMEOUT']} s per query (then 503), "
        f"{c['MAX_RESULT_ROWS']} rows per result (then cut, with the header X-Pledgegraph-Truncated: true), "
        f"{c['MAX_QUERY_BYTES']} bytes per query (then 413), nesting depth {c['MAX_NESTING']}, "
        f"{c['MAX_CONCURRENT_QUERIES']} queries at once per process (then 503 with Retry-After)."
    )


def _ui():
    examples = [
        {"name": q.name, "title": q.title, "description": q.description, "query": q.example_text()}
        for q in load_queries(current_app.config.get("QUERIES_DIR")).values()
    ]
    config = {
        "endpoint": url_for("sparql.endpoint", _external=True),
        "prefixes": PREFIXES,
        "prologue": sparql_prologue(),
        "examples": examples,
        "limits": _limits(),
    }
    c = current_app.config
    numbers = ("QUERY_TIMEOUT", "MAX_RESULT_ROWS", "MAX_QUERY_BYTES", "MAX_NESTING", "MAX_CONCURRENT_QUERIES")
    config["limit_values"] = {name.lower(): c[name] for name in numbers}  # the page says the limits in its language
    return Response(render_template("sparql.html", config=config), content_type="text/html; charset=utf-8")

"""The SPARQL 1.1 Protocol endpoint at /sparql (read-only), its service description and query UI.

Protocol: GET ?query=, POST form (query=), POST application/sparql-query; default-graph-uri and
named-graph-uri; the result format by ``format`` or by Accept (q-values), else 406. A GET without
a query answers the service description (RDF), or the query UI when a browser asks for HTML.
Everything that can hurt the engine is refused before it runs (``service.sparql.check``);
queries run through the process's executor (``service.sparql.executor``).
"""

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request, url_for
from werkzeug.exceptions import MethodNotAllowed, UnsupportedMediaType

from ..errors import InputError
from ..formats import RDF_FORMATS, RESULT_FORMATS, write_rdf
from ..namedqueries.catalog import load_queries
from ..namespaces import PREFIXES, sparql_prologue
from ..sparql.check import check_query
from ..sparql.description import SD, service_description
from ..sparql.executor import Job, executor_for
from . import graph_store, jsonld
from .common import current_release, store, vary_on_accept
from .conneg import FORMAT_PARAMETERS, best_type, choose

bp = Blueprint("sparql", __name__)

CUT = (
    "A cut answer is marked in-band where its format allows (a link in the head of SPARQL JSON and XML, "
    "a comment in Turtle, TriG, N-Triples, N-Quads and RDF/XML) and always by the headers "
    "X-Pledgegraph-Truncated: true and Warning. Page through a larger answer with ORDER BY, LIMIT and OFFSET."
)
DESCRIPTIONS_KEPT = 64  # written service descriptions kept per app (releases x endpoint URLs x formats)
SD_PREFIXES = {"sd": SD, "dcterms": PREFIXES["dcterms"], "rdfs": PREFIXES["rdfs"]}


WRITES = ["PUT", "DELETE", "PATCH"]  # routed here only to be refused with the right Allow header


@bp.route("/sparql/", methods=["GET", "POST", *WRITES])  # the W3C manifests' form of the path
@bp.route("/sparql", methods=["GET", "POST", *WRITES])  # registered first, so url_for builds this one
def endpoint():
    request.max_content_length = int(current_app.config["MAX_QUERY_BYTES"])
    if graph_store.is_graph_request():
        return graph_store.read(_answer_response)
    if request.method in WRITES:
        raise MethodNotAllowed(["GET", "HEAD", "POST"], "this SPARQL endpoint is read-only")
    query, dataset, format_names = _protocol_request()
    if query is None:
        return _no_query()
    info = check_query(query, int(current_app.config["MAX_QUERY_BYTES"]), int(current_app.config["MAX_NESTING"]))
    table = RDF_FORMATS if info.is_graph else RESULT_FORMATS
    fmt = choose(request.headers.get("Accept"), table, html=request.method == "GET", values=format_names)
    if fmt is None:  # a browser following a shared link: the UI, with the query in it
        return _ui()
    limits = url_for("sparql.limits", _external=True)
    job = Job(query, fmt.name, int(current_app.config["MAX_RESULT_ROWS"]), base_iri=request.base_url,
              limits_url=limits, **dataset)
    answer = executor_for(store(), current_app.config).run(job)
    return _answer_response(answer, fmt)


@bp.record_once
def _check_queries(state):
    """Broken query files stop the app at start, not at a user's first request."""
    load_queries(state.app.config.get("QUERIES_DIR"))


bp.after_request(vary_on_accept)


def _protocol_request():
    """(query or None, dataset keyword arguments, format parameter values) from any protocol form."""
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
    names = [value for name, value in values.items(multi=True) if name in FORMAT_PARAMETERS]
    return (queries[0] if queries else None), dataset, names


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


def _answer_response(answer, fmt):
    response = Response(answer.body, content_type=_content_type(answer.media_type))
    limit = str(current_app.config["MAX_RESULT_ROWS"])
    response.headers["X-Pledgegraph-Row-Limit"] = limit
    if answer.truncated:
        response.headers["X-Pledgegraph-Truncated"] = "true"
        response.headers["Warning"] = f'199 pledgegraph "results cut at {limit} rows; page with LIMIT and OFFSET"'
    return jsonld.finish(response, fmt)


def _content_type(media_type):
    textual = media_type.startswith("text/") or media_type.endswith(("json", "xml", "triples", "quads", "trig"))
    return f"{media_type}; charset=utf-8" if textual else media_type


def _no_query():
    if request.method == "POST":
        raise InputError("no query: send query=... or a body of type application/sparql-query")
    names = [value for name, value in request.args.items(multi=True) if name in FORMAT_PARAMETERS]
    fmt = choose(request.headers.get("Accept"), RDF_FORMATS, html=True, values=names)
    if fmt is None:
        return _ui()
    return jsonld.finish(Response(_description(fmt), content_type=_content_type(fmt.media_type)), fmt)


def _description(fmt):
    """The service description in ``fmt``, written once per release, endpoint URL and format (per app)."""
    written = current_app.extensions.setdefault("pledgegraph.service_descriptions", {})
    key = (current_release(), request.base_url, fmt.key)
    if key not in written:
        triples = service_description(request.base_url, _named_graphs(), _limits())
        if len(written) >= DESCRIPTIONS_KEPT:
            written.clear()
        written[key] = write_rdf(triples, fmt, SD_PREFIXES if fmt.name in ("turtle", "rdfxml") else None)
    return written[key]


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


@bp.get("/sparql/limits")
def limits():
    """What the limits are and what a cut answer means: the page a cut answer's head links to."""
    if best_type(request.headers.get("Accept"), ["text/plain", "text/html"]) == "text/html":
        body = render_template("limits.html", limits=_limits(), rows=current_app.config["MAX_RESULT_ROWS"])
        return Response(body, content_type="text/html; charset=utf-8")
    return Response(_limits() + "\n" + CUT + "\n", content_type="text/plain; charset=utf-8")


def _ui():
    examples = [
        {"name": q.name, "title": q.title, "description": q.description, "query": q.example_text(),
         "download": ("ttl", "Turtle") if q.form in ("CONSTRUCT", "DESCRIBE") else ("csv", "CSV")}
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

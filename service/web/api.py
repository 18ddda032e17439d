"""The named-query API and its OpenAPI description.

    GET /api                          a browsable rendering of the OpenAPI document
    GET /openapi.json                 the OpenAPI 3 document, generated from the queries' metadata
    GET /api/queries[.json]           every named query and its parameters
    GET /api/queries/<name>[.<ext>]   one page of a query's answer: JSON, CSV, TSV, SPARQL results,
                                      or (CONSTRUCT) Turtle, JSON-LD ...; HTML with a form for browsers

The format comes from the extension, else ``format=``, else Accept. Query parameters are bound
through ``NamedQuery.bind``; ``page`` and ``per_page`` choose the page.
"""

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from ..errors import InputError, NotAcceptable
from ..namedqueries import api
from ..namedqueries.catalog import load_queries
from ..namedqueries.openapi import openapi
from ..sparql.executor import Job, executor_for
from . import jsonld
from .common import store, vary_on_accept
from .conneg import best_type, choose

bp = Blueprint("api", __name__)
HTML = "text/html"


def queries():
    return load_queries(current_app.config.get("QUERIES_DIR"))


bp.after_request(vary_on_accept)


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(openapi(queries(), request.url_root.rstrip("/") or "/"))


@bp.get("/api")
@bp.get("/api/")
def docs():
    spec = openapi(queries(), request.url_root.rstrip("/") or "/")
    return render_template("api.html", spec=spec, queries=list(queries().values()))


@bp.get("/api/queries")
@bp.get("/api/queries.<ext>")
def listing(ext=None):
    if ext not in (None, "json", "html"):
        raise NotAcceptable(
            f"the listing is offered as json or html, not {ext[:20]!r}", offered=["application/json", HTML]
        )
    wants_html = ext == "html" or (ext is None and _prefers_html(["application/json"]))
    if wants_html:
        return docs()
    found = [api.describe(q, url_for("api.named_query", name=q.name, _external=True)) for q in queries().values()]
    return jsonify(found)


@bp.get("/api/queries/<name>")
def named_query(name):
    name, _, ext = name.partition(".")
    query = api.find(queries(), name)
    values, page, per_page, format_name = api.split_values(request.args.items(multi=True))
    fmt = _choose(query, ext, format_name)
    if fmt is None:
        return _page(query, values, page, per_page)
    result = api.run(query, values, fmt, _runner(), page, per_page, int(current_app.config["MAX_RESULT_ROWS"]))
    links = _links(query, result, ext)
    response = Response(result.render(values, links), content_type=_content_type(fmt.media_type))
    response.headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())
    return jsonld.finish(response, fmt)


def _choose(query, ext, format_name):
    """The format the extension names (406 if none), else ``format=`` if understood, else Accept;
    None when a browser should get the HTML page."""
    if "html" in (ext, format_name):
        return None
    if ext:
        return api.format_named(query, ext)
    values = [format_name] if format_name else []
    return choose(request.headers.get("Accept"), api.formats_for(query), html=True, values=values)


def _prefers_html(offered):
    # HTML is offered last: a client that accepts anything (*/*) gets data, a browser the page.
    return best_type(request.headers.get("Accept"), [*offered, HTML]) == HTML


def _runner():
    executor = executor_for(store(), current_app.config)

    def run(text, substitutions, format_name, max_rows):
        return executor.run(Job(text, format_name, max_rows, substitutions=substitutions))

    return run


def _links(query, result, ext):
    """next / prev page URLs, keeping the parameters and the format of this request."""
    links = {}
    args = request.args.to_dict()
    name = f"{query.name}.{ext}" if ext else query.name
    if result.has_next:
        links["next"] = url_for("api.named_query", name=name, **{**args, "page": result.page + 1}, _external=True)
    if result.page > 1:
        links["prev"] = url_for("api.named_query", name=name, **{**args, "page": result.page - 1}, _external=True)
    return links


def _content_type(media_type):
    textual = media_type.startswith("text/") or media_type.endswith(("json", "xml", "triples", "quads", "trig"))
    return f"{media_type}; charset=utf-8" if textual else media_type


def _page(query, values, page, per_page):
    """The HTML page: a form, and the first rows when parameters were given."""
    context = {"query": query, "values": values, "result": None, "error": None, "status": 200}
    formats = [(f.extension, f.media_type) for f in api.formats_for(query)]
    if values or not any(p.required for p in query.params):
        try:
            fmt = api.format_named(query, "nt") if api.is_graph(query) else api.PLAIN_JSON
            context["result"] = api.run(
                query, values, fmt, _runner(), page, per_page, int(current_app.config["MAX_RESULT_ROWS"])
            )
        except InputError as error:
            context.update(error=error.message, status=400)
    args = request.args.to_dict()
    downloads = [(ext, url_for("api.named_query", name=f"{query.name}.{ext}", **args)) for ext, _ in formats]
    body = render_template(
        "api_query.html", formats=formats, downloads=downloads, page=page, per_page=per_page, **context
    )
    return Response(body, status=context["status"], content_type="text/html; charset=utf-8")

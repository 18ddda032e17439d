"""The SPARQL 1.1 Graph Store HTTP Protocol, read side, on the endpoint's URL (indirect identification).

    GET|HEAD /sparql?graph=IRI    the named graph IRI (404 if no published graph has it)
    GET|HEAD /sparql?default      the default graph: the union of every published graph

Negotiated like any RDF answer (``conneg``), with an ETag per release and representation, and cut
at MAX_RESULT_ROWS triples with the same signals as a SPARQL answer. The store is read-only: a
POST, PUT or DELETE naming a graph is 405 with ``Allow: GET, HEAD``.
"""

import pyoxigraph as ox
from flask import Response, current_app, request, url_for
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.http import is_resource_modified

from ..errors import InputError, NotFound
from ..formats import RDF_FORMATS
from ..pages.describe import graph_triples
from ..sparql.results import serialize
from ..stores.releases import release_time
from . import conneg
from .common import current_release, store

READ_ONLY = ["GET", "HEAD"]


def is_graph_request():
    """Whether the request names a graph (``graph=`` or ``default``) rather than a query."""
    return "graph" in request.args or "default" in request.args


def read(answer_response):
    """The graph the request names, as ``answer_response`` (the endpoint's) writes an Answer."""
    if request.method not in READ_ONLY:
        raise MethodNotAllowed(READ_ONLY, "the graph store is read-only: graphs can be read (GET, HEAD), not changed")
    graph = _graph()
    names = [value for name, value in request.args.items(multi=True) if name in conneg.FORMAT_PARAMETERS]
    fmt = conneg.choose(request.headers.get("Accept"), RDF_FORMATS, values=names)
    release = current_release()
    tag, modified = conneg.etag(release, "graph-store", graph or "", fmt.key), release_time(release)
    headers = conneg.cache_headers(tag, modified)
    if not is_resource_modified(request.environ, etag=tag, last_modified=modified):
        return Response(status=304, headers=headers)
    limit = int(current_app.config["MAX_RESULT_ROWS"])
    limits = url_for("sparql.limits", _external=True)
    response = answer_response(serialize(graph_triples(store(), graph, limit), fmt.name, limit, limits), fmt)
    response.headers.update(headers)
    return response


def _graph():
    """The named graph's IRI, or None for the default graph; 400 for an ambiguous or bad request."""
    graphs = request.args.getlist("graph")
    if len(graphs) + ("default" in request.args) != 1:
        raise InputError("name one graph: either graph=IRI or default, once")
    if "query" in request.values or "update" in request.values:
        raise InputError("a request names either a graph (graph=, default) or a query, not both")
    if not graphs:
        return None
    try:
        node = ox.NamedNode(graphs[0])
    except ValueError:
        raise InputError("graph must be an absolute IRI") from None
    if node not in set(store().named_graphs()):
        raise NotFound(f"no published graph is called <{node.value}>")
    return node.value

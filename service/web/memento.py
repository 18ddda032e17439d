"""Memento (RFC 7089) for every resource document: the document is its own TimeGate (Pattern 1.1 of
§4.1.1: URI-R = URI-G, 302-style negotiation, distinct URI-M).

    GET /doc/X  (and /def/..., /shapes/..., /graph/...)
        without Accept-Datetime: the current representation, ``Vary: accept-datetime`` and
        ``Link: <URI-R>; rel="original timegate", <URI-T>; rel="timemap"``
        with Accept-Datetime: 302 Found to the memento current then (``Location``), ``Vary:
        accept-datetime``, Link original timegate, timemap, first/last (and the chosen) memento;
        400 for a malformed datetime, 404 when the resource was not described then
    GET /releases/<id>/doc/X        a memento: ``Memento-Datetime`` and Link original, timegate,
                                    timemap, memento
    GET /timemap/link/doc/X         the TimeMap, application/link-format (§5.1.1)
    GET /timemap/json/doc/X         the TimeMap, JSON

Which releases hold a version (``releases.memento``): those in which the description changed.
"""

from flask import Blueprint, Response, current_app, g, jsonify, request
from werkzeug.http import is_resource_modified

from ..errors import NotFound
from ..iris import path_candidates
from ..namespaces import BASE
from ..pages.describe import document_graphs
from ..releases.memento import LINK_FORMAT, as_json, link_format, mementos, parse_datetime, select, timeline
from ..stores.releases import http_date, release_time
from . import conneg
from .charset import raw_path
from .common import root_url, store
from .errors import error_response
from .releases import history
from .scope import RELEASE, ROOT

bp = Blueprint("memento", __name__)
ENDPOINTS = {"pages.document": "doc/", "pages.vocabulary": "def/", "pages.shapes": "shapes/", "pages.graph": "graph/"}
KINDS = {"doc/": "id/", "def/": "def/", "shapes/": "shapes/", "graph/": "graph/"}  # URL prefix -> IRI space


@bp.before_app_request
def timegate():
    """Accept-Datetime on a current document: redirect to the memento that was current then."""
    if request.endpoint not in ENDPOINTS or "Accept-Datetime" not in request.headers:
        return None
    if RELEASE in request.environ:
        return None  # a memento answers as it is, whatever datetime is asked
    when = parse_datetime(request.headers["Accept-Datetime"])
    rest = _rest()
    versions = _timeline(rest)
    chosen = select(versions, when)
    g.timegate = True
    if chosen is None:
        response = error_response(404, f"no memento of {rest[:100]} was current at {http_date(when)}")
    else:
        target = _memento_url(chosen.release, rest)
        if request.query_string:
            target += "?" + request.query_string.decode("latin-1")
        response = Response(status=302, headers={"Location": target})
    response.headers["Link"] = _links(rest, versions, chosen)
    response.vary.add("Accept-Datetime")
    return response


@bp.after_app_request
def memento_headers(response):
    """Datetime negotiation headers on every current document and every memento."""
    if request.endpoint not in ENDPOINTS or g.get("timegate"):
        return response
    rest, release = _rest(), request.environ.get(RELEASE)
    if release and response.status_code >= 400:
        return response  # not a memento
    if release:
        when = release_time(release)
        response.headers["Memento-Datetime"] = http_date(when)
        links = [f'<{root_url() + rest}>; rel="original"', f'<{root_url() + rest}>; rel="timegate"',
                 _timemap_link(rest), f'<{_memento_url(release, rest)}>; rel="memento"; datetime="{http_date(when)}"']
    else:
        response.vary.add("Accept-Datetime")
        links = [f'<{root_url() + rest}>; rel="original timegate"', _timemap_link(rest)]
    existing = response.headers.get("Link")
    response.headers["Link"] = ", ".join(([existing] if existing else []) + links)
    return response


@bp.get("/timemap/link/<path:path>", defaults={"kind": "link"})
@bp.get("/timemap/json/<path:path>", defaults={"kind": "json"})
def timemap(path, kind):
    """The TimeMap of a document: every memento with its datetime."""
    rest = raw_path().split(f"/timemap/{kind}/", 1)[-1]
    past = history()
    tag = conneg.etag(past.current(), "timemap", kind, ",".join(past.names()), rest, root_url())
    headers = conneg.cache_headers(tag, release_time(past.current() or ""), vary="Accept-Encoding")
    if not is_resource_modified(request.environ, etag=tag):
        return Response(status=304, headers=headers)
    found = [(_memento_url(v.release, rest), v.when) for v in mementos(_timeline(rest))]
    if not found:
        raise NotFound(f"no memento of {rest[:100]} is kept; /releases/ lists the releases")
    urls = (root_url() + rest, root_url() + rest, root_url() + "timemap/link/" + rest,
            root_url() + "timemap/json/" + rest, found)
    if kind == "json":
        response = jsonify(as_json(*urls))
    else:
        licence = current_app.config.get("DATA_LICENSE", "")
        response = Response(link_format(*urls, licence), content_type=f"{LINK_FORMAT}; charset=utf-8")
    response.headers.update(headers)
    return response


@bp.app_context_processor
def versions_processor():
    return {"memento_versions": memento_versions, "releases_url": lambda: root_url() + "releases/"}


def memento_versions(iri):
    """For a resource page: [{release, date, url, removed}] of the releases in which it changed."""
    if not iri.startswith(BASE + "id/"):
        return []
    rest = "doc/" + iri[len(BASE + "id/"):]
    return [{"release": v.release, "date": v.when, "removed": not v.exists,
             "url": _memento_url(v.release, rest) if v.exists else None}
            for v in timeline(history(), iri=iri)]


# -- helpers -------------------------------------------------------------------------------


def _rest():
    """The request path after the service root and any /releases/<id>/, percent-encoding kept."""
    raw = raw_path()
    root = request.environ.get(ROOT, request.script_root)
    if root and raw.startswith(root):
        raw = raw[len(root):]
    release = request.environ.get(RELEASE)
    if release and raw.startswith(f"/releases/{release}/"):
        raw = raw[len(f"/releases/{release}"):]
    return raw.lstrip("/")


def _timeline(rest):
    """The versions of the document at ``rest`` (``doc/pledge/SP320067.ttl``, ``def/``, ``graph/...``)."""
    prefix = next((p for p in KINDS if rest.startswith(p)), None)
    if prefix is None:
        return []
    kind, tail = KINDS[prefix], rest[len(prefix):]
    past = history()
    if kind in ("def/", "shapes/") and tail in ("", "index.html"):
        return timeline(past, graphs={graph.value for graph in document_graphs(store(), BASE + kind)})
    stem = tail.rpartition(".")[0] if "." in tail.rpartition("/")[2] else tail
    for candidate in dict.fromkeys([stem, tail]):
        for form in path_candidates(candidate):
            found = (timeline(past, graphs={BASE + kind + form}) if kind == "graph/"
                     else timeline(past, iri=BASE + kind + form))
            if found:
                return found
    return []


def _memento_url(release, rest):
    return f"{root_url()}releases/{release}/{rest}"


def _timemap_link(rest):
    return f'<{root_url()}timemap/link/{rest}>; rel="timemap"; type="{LINK_FORMAT}"'


def _links(rest, versions, chosen):
    """The TimeGate's Link header: original, timemap, and the first, last and chosen mementos."""
    links = [f'<{root_url() + rest}>; rel="original timegate"', _timemap_link(rest)]
    kept = mementos(versions)
    for version in dict.fromkeys([v for v in (kept[:1] + kept[-1:] + ([chosen] if chosen else []))]):
        rels = ["first"] * (version == kept[0]) + ["last"] * (version == kept[-1]) + ["memento"]
        links.append(f'<{_memento_url(version.release, rest)}>; rel="{" ".join(rels)}"; '
                     f'datetime="{http_date(version.when)}"')
    return ", ".join(links)

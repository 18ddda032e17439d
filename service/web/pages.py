"""Dereferenceable IRIs: /id/ answers 303 to /doc/, which negotiates; /def/ and /shapes/ answer in place.

| request                      | answer                                                   |
|------------------------------|----------------------------------------------------------|
| /id/pledge/SP320067          | 303 See Other -> /doc/pledge/SP320067                    |
| /doc/pledge/SP320067         | negotiated: HTML, Turtle, JSON-LD, RDF/XML, N-Triples    |
| /doc/pledge/SP320067.ttl     | that format, whatever Accept says (.html .jsonld .rdf .nt) |
| /def/ , /def/Pledge          | the ontology (whole graph) / one term, negotiated in place |
| /shapes/ , /shapes/X         | the shapes graph / one shape, negotiated in place        |
| /graph/pages/SP320067        | a named graph: its triples and its provenance, in place  |

A path names an IRI as sent first (percent-encoding kept), then with its percent-encoding in
upper case, then decoded (``iris.path_candidates``). A known extension is a format when the
path without it names a resource; otherwise the whole path is tried, so an IRI that itself ends
in ``.ttl`` still dereferences (negotiated; ``….ttl.ttl`` is its Turtle). Vocabulary terms
answer in place (200) rather than 303: every ontology tool fetches them, and a redirect per term
buys nothing there. A retired IRI (``dcterms:isReplacedBy``, data/retired-iris.tsv) has no page of
its own: both its addresses answer 301 to the same address of its successor, format kept, whose
page lists the IRIs it replaces among its incoming links.
"""

import json
from datetime import UTC, datetime
from urllib.parse import unquote_to_bytes

import pyoxigraph as ox
from flask import Blueprint, Response, redirect, request
from werkzeug.http import is_resource_modified
from werkzeug.urls import iri_to_uri

from ..errors import NotFound
from ..iris import path_candidates, url_path
from ..namespaces import BASE, PREFIXES
from ..pages.describe import describe, graph_document, serialize, whole_graph
from ..pages.kinds import KINDS
from ..pages.per_release import per_release
from ..pages.prepared import prepared
from ..stores.releases import release_time
from . import conneg, jsonld, resource_html
from .charset import path_text, raw_path
from .common import current_release, kept_releases, page_number, public_base, reader_language, store

bp = Blueprint("pages", __name__)
PAGE_SIZE = 100
TITLES = {"turtle": "Turtle", "jsonld": "JSON-LD", "rdfxml": "RDF/XML", "ntriples": "N-Triples"}
EXISTS = "SELECT ?r WHERE { { ?r ?p ?o } UNION { ?s ?q ?r } } LIMIT 1"
SUCCESSOR = "SELECT ?old ?new WHERE { ?old <http://purl.org/dc/terms/isReplacedBy> ?new }"


@bp.route("/id/<path:rest>")
def thing(rest):
    """303 See Other from the IRI of a thing to the document describing it (or to one format of it)."""
    moved = _moved(_raw_rest("/id/"), "/id/", conneg.resource_formats())
    if moved:
        return moved
    _find_iri("id/", _raw_rest("/id/"), conneg.resource_formats())
    target = public_base() + "doc/" + _raw_rest("/id/")  # PUBLIC_BASE's host and path when set
    if request.query_string:
        target += "?" + request.query_string.decode("latin-1")
    response = redirect(target, code=303)
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/doc/<path:rest>")
def document(rest):
    return _serve("id/", rest, "/doc/")


@bp.route("/def/", defaults={"rest": ""})
@bp.route("/def/<path:rest>")
def vocabulary(rest):
    return _serve("def/", rest, "/def/", document="ontology")


@bp.route("/shapes/", defaults={"rest": ""})
@bp.route("/shapes/<path:rest>")
def shapes(rest):
    return _serve("shapes/", rest, "/shapes/", document="shapes")


@bp.route("/graph/<path:rest>")
def graph(rest):
    """A named graph's IRI: the graph's triples and its provenance, negotiated in place."""
    return _serve("graph/", rest, "/graph/")


@bp.route("/def")
@bp.route("/shapes")
def add_slash():
    return redirect(request.script_root + request.path + "/", code=301)


# -- one handler for every document -------------------------------------------------------


def _serve(kind, rest, prefix, document=None):
    offered = conneg.resource_formats()
    raw = _raw_rest(prefix)
    stem, fmt = _split_extension(raw, offered)
    moved = _moved(raw, prefix, offered) if kind == "id/" else None
    if moved:
        return moved
    page = page_number()
    if stem == "" and document:
        iri, graph_name = _base() + kind, document
    elif kind == "graph/":
        iri, graph_name = _base() + kind + stem, f"graph {stem}"
    else:
        (iri, stem, fmt), graph_name = _find_iri(kind, raw, offered), None
    fmt = fmt or conneg.from_parameters(request.args.getlist("format"), offered)  # README "Negotiation", rule 1
    negotiated = fmt is None
    fmt = fmt or conneg.negotiate(request.headers.get("Accept"), offered)
    lang = reader_language()
    release = current_release()
    doc_url = _public_base() + prefix.lstrip("/") + stem
    # A page is in the reader's language and cites with today's date (a JSON-LD body does neither).
    # It also lists the kept releases the resource changed in: a prune changes that list.
    html = f"{lang}|{datetime.now(UTC).date()}|{kept_releases()}" if fmt.name == "html" else ""
    etag = conneg.etag(release, iri, fmt.key, page, html, doc_url)
    modified = release_time(release)
    headers = _headers(doc_url, iri, offered, negotiated, fmt, etag, modified, prefix, stem)
    if not is_resource_modified(request.environ, etag=etag, last_modified=modified):
        return Response(status=304, headers=headers)
    sections = ()
    if kind == "graph/":
        triples, desc = graph_document(store(), iri), None
        if triples is None:
            raise NotFound(f"no published graph is called <{iri}>")
    elif graph_name:
        triples, desc = whole_graph(store(), iri), None
        if not triples:
            raise NotFound(f"the {graph_name} is not published in this release")
    else:
        desc = describe(store(), iri, page=page, page_size=PAGE_SIZE)
        if desc is None:
            raise NotFound(f"nothing is known about <{iri}>")
        if fmt.name == "html":  # the page lists once what its related sections show
            sections, desc = resource_html.related_records(iri, desc)
        if page > desc.pages:
            raise NotFound(f"page {page} of the incoming links does not exist; the last is page {desc.pages}")
        triples = desc.triples
        if page < desc.pages:
            headers["Link"] += f', <{doc_url}?page={page + 1}>; rel="next"'
    if fmt.name == "html":
        body = _html(iri, triples, desc, lang, doc_url, offered, graph_name, sections)
    else:
        body = serialize(triples, fmt, PREFIXES)
    return jsonld.finish(Response(body, status=200, headers=headers, content_type=_content_type(fmt)), fmt)


def _headers(doc_url, iri, offered, negotiated, fmt, etag, modified, prefix, stem):
    canonical_doc = _base() + prefix.lstrip("/") + _canonical_tail(iri, prefix, stem)
    headers = {
        "Link": conneg.link_header(doc_url, offered, described=iri_to_uri(iri), canonical=canonical_doc),
        "ETag": f'"{etag}"',
        "Cache-Control": "public, max-age=60",
        "Vary": "Accept, Accept-Language" if negotiated else "Accept-Language",
    }
    if modified:
        headers["Last-Modified"] = modified.strftime("%a, %d %b %Y %H:%M:%S GMT")
    if negotiated:
        headers["Content-Location"] = f"{doc_url}.{fmt.extension}" if stem else doc_url
    return headers


def _canonical_tail(iri, prefix, stem):
    if not stem:
        return ""
    kind = "id/" if prefix == "/doc/" else prefix.lstrip("/")
    return url_path(iri[len(_base() + kind) :])


def _content_type(fmt):
    return f"{fmt.media_type}; charset=utf-8" if fmt.name in ("html", "turtle", "ntriples") else fmt.media_type


def _html(iri, triples, desc, lang, doc_url, offered, graph_name, sections):
    embedded = json.loads(serialize(triples, conneg.by_extension("jsonld"), PREFIXES) or b"[]")
    alternates = [(TITLES[f.name], f"{doc_url}.{f.extension}", f.media_type) for f in offered if f.name != "html"]
    return resource_html.render(iri, triples, desc, doc_url, alternates, embedded, graph_name, sections)


# -- IRIs, paths, settings -----------------------------------------------------------------


def _base():
    return BASE


def _public_base():
    """Where canonical IRIs are served: PUBLIC_BASE, else this request's host (ProxyFix-aware)."""
    return public_base()


def _raw_rest(prefix):
    """The path after ``prefix`` as the client sent it (percent-encoding kept)."""
    raw = raw_path()
    marker = raw.find(prefix)
    return raw[marker + len(prefix) :] if marker >= 0 else ""


def _find_iri(kind, raw, offered):
    """(stored IRI, path stem, format or None) a raw path names; NotFound, or a 400 if not UTF-8.

    The stem before a format extension is tried first, then the whole path (an IRI may itself
    end in ".ttl"); each as sent, with upper-case percent-encoding, then decoded.
    """
    stem, fmt = _split_extension(raw, offered)
    for tail, tail_fmt in dict.fromkeys([(stem, fmt), (raw, None)]):
        for candidate in path_candidates(tail):
            if _exists(_base() + kind + candidate):
                return _base() + kind + candidate, tail, tail_fmt
    path_text()  # a path that is neither a stored IRI nor UTF-8 is a 400
    asked = _base() + kind + unquote_to_bytes(stem).decode()
    near = per_release(store(), "records by lower case", _by_lower_case).get(asked.lower())
    hint = f"; IRIs are case-sensitive: did you mean <{near}>?" if near else ""
    raise NotFound(f"nothing is known about <{_base() + kind + unquote_to_bytes(raw).decode()}>{hint}")


def _by_lower_case(store):
    """{IRI in lower case: IRI} of the records the listings hold (a pledge, a theme, ...), for hints."""
    iris = (iri for slug in KINDS for iri in prepared(store).kind(slug).items)
    return {iri.lower(): iri for iri in iris}


def _moved(raw, prefix, offered):
    """301 to the same address (/id/ or /doc/, format kept) of the successor of a retired IRI, else None."""
    stem, _ = _split_extension(raw, offered)
    for tail in dict.fromkeys([stem, raw]):
        for candidate in path_candidates(tail):
            successor = _successor(_base() + "id/" + candidate)
            if successor is None:
                continue
            ours = _base() + "id/"
            if not successor.startswith(ours):
                return redirect(successor, code=301)
            target = request.script_root + prefix + url_path(successor[len(ours) :]) + raw[len(tail) :]
            if request.query_string:
                target += "?" + request.query_string.decode("latin-1")
            return redirect(target, code=301)
    return None


def _successor(iri):
    return per_release(store(), "retired IRIs", _retired).get(iri)


def _retired(store):
    """{retired IRI: its successor} (dcterms:isReplacedBy, data/retired-iris.tsv) of a release."""
    return {row["old"].value: row["new"].value for row in store.query(SUCCESSOR)
            if isinstance(row["old"], ox.NamedNode) and isinstance(row["new"], ox.NamedNode)}  # fmt: skip


def _exists(iri):
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return False
    return any(True for _ in store().query(EXISTS, substitutions={ox.Variable("r"): node}))


def _split_extension(rest, offered):
    stem, dot, extension = rest.rpartition(".")
    fmt = conneg.format_for_extension(extension, offered) if dot and "/" not in extension else None
    return (stem, fmt) if fmt else (rest, None)



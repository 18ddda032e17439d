"""Every kept release addressable: the series, each release, what it changed, and the change feed.

    GET /releases/                        the kept releases: HTML, or DCAT (dcat:DatasetSeries), negotiated
    GET /releases/feed.atom               Atom feed of releases and the resources each changed
    GET /releases/<id>/                   one release: HTML, or its dcat:Dataset, negotiated
    GET /releases/<id>/changes[.rdfp|.json]  its change set: RDF Patch, a JSON summary, or HTML
    GET /releases/<id>/citation.<bib|ris|json>  how to cite it
    GET /releases/<tag or current>/...    302 to the same address under the release's id
    GET /release/<id>                     (the release IRI of the provenance graph) 303 to /releases/<id>/
    ?release=<id or tag> on /api/queries/... runs a named query on that release

Everything else under ``/releases/<id>/`` (``sparql``, ``doc/...``, ``dumps/...``) is the service as it
was at that release (``service.web.scope``).
"""

import json
from urllib.parse import quote

from flask import Blueprint, Response, current_app, redirect, render_template, request, send_file
from werkzeug.http import is_resource_modified

from ..dataset.dumps import ensure_dumps
from ..errors import NotAcceptable, NotFound
from ..namespaces import BASE, PREFIXES
from ..pages.describe import serialize
from ..releases import changes as change_sets
from ..releases.citation import FORMATS, Work, render
from ..releases.dcat import describe_release, series
from ..releases.feed import ATOM, atom
from ..releases.history import History
from ..stores.releases import release_time
from . import conneg, jsonld
from .charset import raw_path
from .common import root_url, store
from .dataset import dump_folder
from .scope import RELEASE

bp = Blueprint("releases", __name__)
CHANGE_TYPES = {"rdfp": change_sets.MEDIA_TYPE, "json": "application/json", "html": "text/html"}


def history():
    """The history of the app's store (never a release's view: every release is listed)."""
    return History(current_app.extensions["pledgegraph.store"])


@bp.get("/releases")
def add_slash():
    return redirect(request.script_root + "/releases/", code=301)


@bp.get("/releases/")
def listing():
    """The kept releases, newest first; DCAT 3 as a dcat:DatasetSeries for programs."""
    past = history()
    names = past.names()
    cited = sorted(past.ledger.pinned().items()) if past.ledger else []
    tag = conneg.etag(past.current(), "releases", ",".join(names), sorted(past.tags().items()), cited, root_url())
    return _negotiated(tag, lambda: series(past, BASE, _dumps_of(past), _licence()),
                       lambda: render_template("releases.html", releases=_rows(past, reversed(names)),
                                               current=past.current(), feed=root_url() + "releases/feed.atom"))


@bp.get("/releases/feed.atom")
def feed():
    """Atom: one entry per release with its patch and the resources it changed."""
    past = history()
    tag = conneg.etag(past.current(), "feed", ",".join(past.names()), root_url())
    headers = conneg.cache_headers(tag, release_time(past.current() or ""), vary="Accept-Encoding")
    if not is_resource_modified(request.environ, etag=tag):
        return Response(status=304, headers=headers)
    return Response(atom(past, BASE, root_url()), headers=headers, content_type=f"{ATOM}; charset=utf-8")


@bp.get("/releases/<name>")
def release_no_slash(name):
    return redirect(f"{request.script_root}/releases/{_resolved(name)}/", code=301)


@bp.get("/releases/<name>/")
def release(name):
    """One release: its facts, tags, endpoint, dumps and change set."""
    past, release = history(), _resolved(name)
    if release != name:
        return _to_release(release, "")
    tag = conneg.etag(release, "release", past.previous(release), past.tags_of(release), root_url())
    dumps = _dumps_of(past)(release)
    return _negotiated(tag, lambda: describe_release(past, BASE, release, dumps, _licence()),
                       lambda: render_template("release.html", r=_rows(past, [release])[0],
                                               dumps=[(n, {**meta, "url": f"dumps/{n}"}) for n, meta in dumps.items()],
                                               citations=_citations(release), current=past.current()))


@bp.get("/releases/<name>/changes", defaults={"ext": None})
@bp.get("/releases/<name>/changes.<ext>")
def changes(name, ext):
    """The change set: RDF Patch (default), its JSON summary (.json) or a page (browsers)."""
    past, release = history(), _resolved(name)
    kind = _change_kind(ext)  # first: an unknown extension is a 404 under a tag too
    if release != name:
        return _to_release(release, "changes" + (f".{ext}" if ext else ""))
    tag = conneg.etag(release, "changes", past.previous(release), kind)  # a pruned previous changes it
    headers = conneg.cache_headers(tag, release_time(release), vary="Accept" if ext is None else "Accept-Encoding")
    if not is_resource_modified(request.environ, etag=tag):
        return Response(status=304, headers=headers)
    found = change_sets.change_set(past, release)
    if kind == "rdfp":
        response = send_file(found.patch, mimetype=change_sets.MEDIA_TYPE, conditional=False)
        response.headers.update(headers)
        return response
    summary = {"release": release, "previous": found.previous, "added": found.added, "removed": found.removed,
               "graphs": found.graphs, "resources": found.resources}
    if kind == "json":
        return Response(_json(summary), headers=headers, content_type="application/json")
    body = render_template("changes.html", c=summary, patch=f"{root_url()}releases/{release}/changes.rdfp")
    return Response(body, headers=headers, content_type="text/html; charset=utf-8")


@bp.get("/releases/<name>/citation.<ext>")
def citation(name, ext):
    if ext not in FORMATS:
        raise NotFound(f"citations are offered as {', '.join('citation.' + e for e in FORMATS)}")
    release = _resolved(name)
    text, media_type = render(release_work(release), ext)
    return Response(text, content_type=f"{media_type}; charset=utf-8")


@bp.route("/releases/<name>/<path:rest>", methods=["GET", "POST"])
def by_tag(name, rest):
    """A tag or ``current`` in place of a release id: 302 (a POST: 307) to the same address under the id."""
    release = _resolved(name)
    if release == name:  # a kept release whose id the scope did not recognise: nothing here
        raise NotFound(f"nothing at releases/{name}/{rest[:80]!r}")
    _, found, raw = raw_path().partition(f"/releases/{name}/")  # the rest as sent, percent-encoding kept
    return _to_release(release, raw if found else quote(rest))


@bp.get("/release/<name>")
def release_iri(name):
    """The release IRI the provenance graph names: 303 See Other to the release's page."""
    return redirect(f"{request.script_root}/releases/{_resolved(name)}/", code=303)


@bp.before_app_request
def release_scope():
    """A request scoped to a release that is not kept is a 404 before anything else; ``?release=<id or
    tag>`` on the named-query API scopes the request to that release."""
    if request.blueprint == "api" and "release" in request.args and RELEASE not in request.environ:
        request.environ[RELEASE] = history().resolve(request.args.get("release"))
    if request.environ.get(RELEASE):
        store()  # NotFound for a release that is not kept


def release_work(release):
    """A release as a citable Work."""
    return Work(f"pledgegraph-{release}", f"pledgegraph, release {release}", f"{root_url()}releases/{release}/",
                release_time(release), release, "Data of the International Conference of the Red Cross and Red "
                "Crescent as linked data; queryable at the release's SPARQL endpoint")


# -- helpers -------------------------------------------------------------------------------


def _resolved(name):
    return history().resolve(name)


def _to_release(release, rest):
    target = f"{request.script_root}/releases/{release}/{rest}"
    if request.query_string:
        target += "?" + request.query_string.decode("latin-1")
    return redirect(target, code=307 if request.method == "POST" else 302)


def _licence():
    return current_app.config.get("DATA_LICENSE", "")


def _dumps_of(past):
    return lambda release: ensure_dumps(past.view(release), dump_folder(), release)


def _rows(past, names):
    tags, pinned, current = past.tags(), (past.ledger.pinned() if past.ledger else {}), past.current()
    rows = []
    for name in names:
        facts = past.facts(name)
        rows.append({"id": name, "when": release_time(name), "current": name == current, "facts": facts,
                     "tags": sorted(t for t, r in tags.items() if r == name), "cited": pinned.get(name, 0),
                     "url": f"{root_url()}releases/{name}/", "previous": past.previous(name)})
    return rows


def _citations(release):
    work = release_work(release)
    return [(ext, render(work, ext)[0], f"{root_url()}releases/{release}/citation.{ext}") for ext in FORMATS]


def _change_kind(ext):
    if ext is not None:
        if ext not in CHANGE_TYPES or ext == "html":
            raise NotFound("a change set is offered as changes (RDF Patch), changes.rdfp and changes.json")
        return ext
    header = request.headers.get("Accept")
    if not conneg.parse_accept(header):  # no Accept (or none readable): the patch, as for */*
        return "rdfp"
    best = conneg.best_type(header, list(CHANGE_TYPES.values()))
    if best is None:
        raise NotAcceptable("a change set is offered as " + ", ".join(CHANGE_TYPES.values()),
                            offered=list(CHANGE_TYPES.values()))
    return next(k for k, v in CHANGE_TYPES.items() if v == best)


def _negotiated(tag, triples, html):
    """An RDF description (``triples()``) or a page (``html()``), as Accept or ``?format=`` asks."""
    offered = conneg.resource_formats()
    fmt = conneg.from_parameters(request.args.getlist("format"), offered)
    fmt = fmt or conneg.negotiate(request.headers.get("Accept"), offered)
    headers = conneg.cache_headers(conneg.etag(tag, fmt.key), None)
    if not is_resource_modified(request.environ, etag=headers["ETag"].strip('"')):
        return Response(status=304, headers=headers)
    if fmt.name == "html":
        return Response(html(), headers=headers, content_type="text/html; charset=utf-8")
    body = serialize(triples(), fmt, PREFIXES)
    return jsonld.finish(Response(body, headers=headers, content_type=fmt.media_type), fmt)


def _json(document):
    return json.dumps(document, ensure_ascii=False, indent=1)

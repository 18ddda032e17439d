"""Query permalinks: cite a query as it was answered, and get the same bytes back years later.

    POST /q                      form fields ``query`` and optional ``release`` (an id, a tag, or
                                 ``current``, the default): 201 Created with ``Location: /q/<id>`` and
                                 the permalink as JSON (200 if it existed: same query, same release,
                                 same id); a browser is sent on to the landing page (303)
    GET  /q/<id>                 negotiated like /sparql: the answer re-run on the pinned release,
                                 byte for byte the recorded one (``X-Checksum-SHA256``), or the
                                 landing page for browsers (query, release, preview, citation)
    GET  /q/<id>.<ext>           one format (srj, srx, csv, tsv; ttl, jsonld, rdf, nt, nq, trig)
    GET  /q/<id>/citation.<bib|ris|json>

Creation runs the query twice (through the same query processes, caps and deadline as /sparql) and
refuses (400, nothing recorded) a query whose answer could not be given again: one calling NOW(),
RAND(), UUID(), STRUUID() or BNODE(), or whose two answers differ (``releases.permalinks``). It is
limited: the body to MAX_QUERY_BYTES (413), each client address to PERMALINKS_PER_HOUR and all
clients together to PERMALINKS_PER_DAY (429 with Retry-After); only permalinks made count. Permalinks live in the ledger
beside the releases (``stores.ledger``); their releases are never pruned.
"""

import base64
import json
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from flask import Blueprint, Response, current_app, g, redirect, render_template, request
from werkzeug.exceptions import NotImplemented as NotOffered
from werkzeug.exceptions import UnsupportedMediaType
from werkzeug.http import is_resource_modified

from ..errors import InputError, NotAcceptable, NotFound, TooManyRequests
from ..formats import JSONLD_EXPANDED, by_name
from ..namespaces import BASE
from ..releases import permalinks as links
from ..releases.citation import FORMATS, Work, render
from ..sparql.check import check_query
from ..sparql.executor import Job, executor_for
from . import conneg, jsonld
from .common import root_url, store
from .releases import history
from .scope import RELEASE

bp = Blueprint("permalinks", __name__)
PREVIEW = 20


@bp.post("/q")
def create():
    """Make (or find) the permalink of a query on a release."""
    past = history()
    if past.ledger is None:
        raise NotOffered("query permalinks need kept releases: a remote store keeps only its current release")
    query, asked = _field("query"), _field("release")
    if not query:
        raise InputError("no query: send the form field query=... (and release=... to pin another release)")
    release = past.resolve(asked or request.environ.get(RELEASE) or "current")  # /releases/<id>/q: that one
    config = current_app.config
    max_rows = int(config["MAX_RESULT_ROWS"])
    form = "graph" if check_query(query, int(config["MAX_QUERY_BYTES"]), int(config["MAX_NESTING"])).is_graph \
        else "table"
    ident = links.permalink_id(query, release)
    created = past.ledger.permalink(ident) is None
    if created:
        links.refuse_volatile(query)
        with _admitted(past):  # counts against the limits only if the permalink is made
            answer = _run(query, release, form, max_rows)
            links.refuse_unless_same(answer.body, _run(query, release, form, max_rows).body)
            rendered = {key: body for key, (body, _) in _every_format(answer.body, form, release).items()}
            past.ledger.add_permalink(links.record(query, release, form, max_rows, answer, rendered))
    url = f"{root_url()}q/{ident}"
    if conneg.best_type(request.headers.get("Accept"), ["application/json", "text/html"]) == "text/html":
        return redirect(url, code=303)
    response = Response(json.dumps(_described(past.ledger.permalink(ident)), indent=1),
                        status=201 if created else 200, content_type="application/json")
    response.headers["Location"] = url
    return response


@bp.get("/q/<name>")
def permalink(name):
    """The pinned answer, verified against its checksum; the landing page for browsers."""
    ident, _, ext = name.partition(".")
    found = _record(ident)
    scope = request.environ.get(RELEASE)
    if scope and scope != found["release"]:  # /releases/<another>/q/<id>: the permalink is pinned elsewhere
        query = request.query_string.decode("latin-1")
        return redirect(f"{root_url()}q/{name}" + (f"?{query}" if query else ""), code=301)
    fmt = _format(found, ext)
    if fmt is None:
        return _landing(found)
    checksum = found["checksums"].get(fmt.key)
    if checksum is None:  # the answer cannot be written in this format (XML and control characters)
        raise NotAcceptable(f"this answer has no {fmt.name} form; ask for another format")
    headers = {"ETag": f'"{checksum["sha256"][:32]}"', "Cache-Control": "public, max-age=31536000, immutable",
               "Vary": "Accept" if not ext else "Accept-Encoding", "X-Checksum-SHA256": checksum["sha256"],
               "Digest": "sha-256=" + base64.b64encode(bytes.fromhex(checksum["sha256"])).decode(),
               "Link": f'<{root_url()}q/{ident}>; rel="canonical", <{root_url()}releases/{found["release"]}/>; '
                       'rel="related"'}
    if not is_resource_modified(request.environ, etag=headers["ETag"].strip('"')):
        return Response(status=304, headers=headers)
    body, content_type = _answer(found, fmt)
    return Response(body, headers=headers, content_type=content_type)


@bp.get("/q/<ident>/citation.<ext>")
def citation(ident, ext):
    if ext not in FORMATS:
        raise NotFound(f"citations are offered as {', '.join('citation.' + e for e in FORMATS)}")
    text, media_type = render(_work(_record(ident)), ext)
    return Response(text, content_type=f"{media_type}; charset=utf-8")


# -- running and checking ------------------------------------------------------------------


def _run(query, release, form, max_rows):
    """The canonical answer of ``query`` on ``release``: fixed base IRI and limits link, so the bytes
    never depend on the host that serves them."""
    request.environ[RELEASE] = release  # store() is now that release, for the run and JSON-LD contexts
    g.pop("release_store", None)
    job = Job(query, links.canonical_format(form), max_rows, base_iri=f"{BASE}releases/{release}/sparql",
              limits_url=f"{BASE}sparql/limits")
    return executor_for(store(), current_app.config).run(job)


def _every_format(body, form, release):
    """{format key: (bytes, content type)} for every format the answer can be written in."""
    offered = list(links.formats(form))
    if form == "graph":  # expanded JSON-LD is a representation of its own
        offered.append(replace(by_name("jsonld", offered), profile="expanded"))
    written = {}
    for fmt in offered:
        try:
            response = jsonld.finish(Response(links.convert(body, form, fmt), content_type=_type(fmt)), fmt)
        except NotAcceptable:
            continue  # XML cannot carry every character: that format is not offered for this answer
        written[fmt.key] = (response.get_data(), response.headers["Content-Type"])
    return written


def _answer(found, fmt):
    """(bytes, content type) of the permalink's answer in ``fmt``, re-run and checked."""
    answer = _run(found["query"], found["release"], found["form"], found["max_rows"])
    links.verify(found, None, answer.body)
    written = _every_format(answer.body, found["form"], found["release"])
    body, content_type = written[fmt.key]
    links.verify(found, fmt.key, body)
    return body, content_type


@contextmanager
def _admitted(past):
    """Within the per-client and all-client limits (429 past them) for the block; a failed block
    (a query refused or that failed to run) is not counted."""
    limits = current_app.extensions.setdefault("pledgegraph.permalink_limit",
                                               links.RateLimit(int(current_app.config["PERMALINKS_PER_HOUR"])))
    with limits.spend(request.remote_addr or "unknown"):
        day = (datetime.now(UTC) - timedelta(days=1)).isoformat(timespec="seconds")
        if past.ledger.permalinks_since(day) >= int(current_app.config["PERMALINKS_PER_DAY"]):
            raise TooManyRequests("this service has made as many permalinks as it may today; retry tomorrow",
                                  retry_after=3600)
        yield


# -- request and page helpers --------------------------------------------------------------


def _field(name):
    if request.get_data() and request.mimetype not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raise UnsupportedMediaType("POST the form fields query (and release) as application/x-www-form-urlencoded")
    values = request.form.getlist(name)
    if len(values) > 1:
        raise InputError(f"{name} takes one value; the request gives it {len(values)} times")
    return values[0].strip() if values and name == "release" else (values[0] if values else "")


def _record(ident):
    found = history().ledger.permalink(ident) if links.is_permalink_id(ident) and history().ledger else None
    if found is None:
        raise NotFound(f"no query permalink {ident[:40]!r}")
    return found


def _format(found, ext):
    offered = links.formats(found["form"])
    if ext:
        fmt = links.format_of(found, ext)
        if fmt is None:
            raise NotFound(f"permalink answers are offered as {', '.join(f.extension for f in offered)}")
        return fmt
    names = [value for key, value in request.args.items(multi=True) if key in conneg.FORMAT_PARAMETERS]
    return conneg.choose(request.headers.get("Accept"), offered, html=True, values=names)


def _type(fmt):
    textual = fmt.media_type.startswith("text/") or fmt.media_type.endswith(("json", "xml", "triples", "quads",
                                                                             "trig"))
    return f"{fmt.media_type}; charset=utf-8" if textual else fmt.media_type


def _described(found):
    url = f"{root_url()}q/{found['id']}"
    keys = {f.key: f.extension for f in links.formats(found["form"])}
    urls = {key: f"{url}.{extension}" for key, extension in keys.items()}
    urls["jsonld+expanded"] = f"{url}?format=" + quote(f'application/ld+json; profile="{JSONLD_EXPANDED}"')
    return {"id": found["id"], "url": url, "query": found["query"], "release": found["release"],
            "release_url": f"{root_url()}releases/{found['release']}/", "created": found["created"],
            "rows": found["rows"], "truncated": found["truncated"], "sha256": found["sha256"],
            "bytes": found["bytes"],
            "formats": {keys.get(k, k): {**v, "url": urls[k]} for k, v in found["checksums"].items()},
            "citation": {ext: f"{url}/citation.{ext}" for ext in FORMATS}}


def _work(found):
    first = found["query"].strip().splitlines()[0] if found["query"].strip() else ""
    title = first.lstrip("#").strip() if first.startswith("#") else f"SPARQL query {found['id']}"
    return Work(f"pledgegraph-q-{found['id']}", f"{title} (pledgegraph query {found['id']})",
                f"{root_url()}q/{found['id']}", datetime.fromisoformat(found["created"]), found["release"],
                f"SPARQL query on release {found['release']}; answer: {found['rows']} rows, SHA-256 "
                f"{found['sha256']} (SPARQL JSON or N-Triples, {found['bytes']} bytes)")


def _landing(found):
    answer = _run(found["query"], found["release"], found["form"], found["max_rows"])
    links.verify(found, None, answer.body)
    work = _work(found)
    citations = [(ext, render(work, ext)[0], f"{root_url()}q/{found['id']}/citation.{ext}") for ext in FORMATS]
    body = render_template("permalink.html", p=_described(found), preview=_preview(answer.body, found["form"]),
                           citations=citations)
    return Response(body, content_type="text/html; charset=utf-8", headers={"Vary": "Accept"})


def _preview(body, form):
    """The first rows of the canonical answer, for the landing page: {columns, rows} or {lines} or {boolean}."""
    if form == "graph":
        lines = [line for line in body.decode("utf-8").splitlines() if line and not line.startswith("#")]
        return {"lines": lines[:PREVIEW], "more": max(0, len(lines) - PREVIEW)}
    document = json.loads(body)
    if "boolean" in document:
        return {"boolean": document["boolean"]}
    columns, rows = document["head"]["vars"], document["results"]["bindings"]
    shown = [[row.get(c, {}).get("value", "") for c in columns] for row in rows[:PREVIEW]]
    return {"columns": columns, "rows": shown, "more": max(0, len(rows) - PREVIEW)}

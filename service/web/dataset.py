"""The dataset as a whole: /.well-known/void (VoID + DCAT), /dumps/<file>, /sitemap.xml."""

import base64
import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from flask import Blueprint, Response, current_app, request, send_file
from werkzeug.http import is_resource_modified

from ..dataset.dumps import DUMPS, dump_by_name, ensure_dumps
from ..dataset.void import SITEMAP_LIMIT, dataset_iri, describe_dataset, resource_iris
from ..errors import NotFound
from ..namespaces import BASE, PREFIXES
from ..pages.describe import document_graphs, serialize
from ..pages.listing import KINDS
from ..pages.present import Presenter
from ..stores.releases import release_time
from . import conneg, dataset_html, jsonld
from .common import public_base, reader_language, store
from .pages import TITLES

bp = Blueprint("dataset", __name__)
_descriptions = {}


def _release():
    current = getattr(store(), "current_release", None)
    release = current() if current else None
    if not release:
        raise NotFound("no release is published yet; run `pledgegraph build`")
    return release


def dump_folder():
    """Beside the embedded store's releases; a temporary folder for a remote store."""
    root = getattr(store(), "root", None)
    return Path(root) / "dumps" if root else Path(tempfile.gettempdir()) / "pledgegraph-dumps"


def _base():
    return BASE


def _public():
    return public_base()


def _description(release):
    key = (id(store()), release, _base())
    if key not in _descriptions:
        dumps = ensure_dumps(store(), dump_folder(), release)
        licence = current_app.config.get("DATA_LICENSE", "")
        _descriptions.clear()
        _descriptions[key] = describe_dataset(store(), _base(), release, dumps, licence)
    return _descriptions[key]


@bp.get("/.well-known/void")
def void():
    """VoID + DCAT of the current release, negotiated like a resource document (Turtle by default)."""
    offered = conneg.resource_formats()
    fmt = conneg.from_parameters(request.args.getlist("format"), offered)
    fmt = fmt or conneg.negotiate(request.headers.get("Accept"), offered)
    release = _release()
    # The HTML page is in the reader's language and cites with today's date.
    html = [f"{reader_language()}|{datetime.now(UTC).date()}"] if fmt.name == "html" else []
    etag, modified = conneg.etag(release, "void", fmt.key, _public(), *html), release_time(release)
    headers = conneg.cache_headers(etag, modified, vary="Accept, Accept-Language")
    if not is_resource_modified(request.environ, etag=etag, last_modified=modified):
        return Response(status=304, headers=headers)
    triples = _description(release)
    if fmt.name != "html":
        response = Response(serialize(triples, fmt, PREFIXES), headers=headers, content_type=fmt.media_type)
        return jsonld.finish(response, fmt)
    alternates = [
        (TITLES[f.name], f"{request.base_url}?format={f.extension}", f.media_type) for f in offered if f.name != "html"
    ]
    embedded = json.loads(serialize(triples, conneg.by_extension("jsonld"), PREFIXES))
    body = dataset_html.render(dataset_iri(_base()).value, triples, release, alternates, embedded)
    return Response(body, headers=headers, content_type="text/html; charset=utf-8")


@bp.get("/dumps/")
@bp.get("/dumps/SHA256SUMS")
def dumps_index():
    """SHA256SUMS of the current release's dumps (plain text, `sha256sum -c` format), at /dumps/
    and under the file name that tools and people expect."""
    dumps = ensure_dumps(store(), dump_folder(), _release())
    body = "".join(f"{meta['sha256']}  {name}\n" for name, meta in dumps.items())
    return Response(body, content_type="text/plain; charset=utf-8")


@bp.get("/dumps/<name>")
def dump(name):
    """One dump file of the current release, with its checksum in headers."""
    if dump_by_name(name) is None:
        raise NotFound(f"no dump called {name!r}; there are: {', '.join(d.name for d in DUMPS)}")
    release = _release()
    meta = ensure_dumps(store(), dump_folder(), release)[name]
    spec = dump_by_name(name)
    response = send_file(
        meta["path"],
        mimetype=spec.media_type,
        as_attachment=True,
        download_name=name,
        etag=meta["sha256"][:32],
        last_modified=release_time(release),
        conditional=True,
    )
    if spec.compressed:
        response.headers["Content-Type"] = "application/gzip"
    response.headers["Digest"] = "sha-256=" + _b64(meta["sha256"])
    response.headers["X-Checksum-SHA256"] = meta["sha256"]
    return response


def _b64(hexdigest):
    return base64.b64encode(bytes.fromhex(hexdigest)).decode()


@bp.get("/sitemap.xml", defaults={"part": 0})
@bp.get("/sitemap-<int:part>.xml")
def sitemap(part):
    """sitemaps.org: the home page, listings, vocabulary and every resource's HTML page."""
    release = _release()
    iris = resource_iris(store(), _base())
    pages = [""] + list(KINDS) + [p for p in ("def/", "shapes/") if document_graphs(store(), _base() + p)]
    show = Presenter(_base(), _public(), ["en"], {})
    urls = [_public() + p for p in pages] + [show.href(i) for i in iris]
    lastmod = release_time(release)
    chunks = max(1, -(-len(urls) // SITEMAP_LIMIT))
    if part == 0 and chunks > 1:
        body = _xml("sitemapindex", "sitemap", [f"{_public()}sitemap-{n}.xml" for n in range(1, chunks + 1)], lastmod)
    elif part == 0 or 1 <= part <= chunks:
        start = (max(part, 1) - 1) * SITEMAP_LIMIT
        body = _xml("urlset", "url", urls[start : start + SITEMAP_LIMIT], lastmod)
    else:
        raise NotFound(f"there are {chunks} sitemap files")
    return Response(body, content_type="application/xml; charset=utf-8")


def _xml(root, element, locations, lastmod):
    when = f"<lastmod>{lastmod.strftime('%Y-%m-%d')}</lastmod>" if lastmod else ""
    entries = "".join(f"<{element}><loc>{escape(url)}</loc>{when}</{element}>\n" for url in locations)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<{root} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</{root}>\n'
    )

"""Content negotiation: which format answers a request, and the headers that go with it.

Rules (documented in the README, "Negotiation"), the same on every negotiated route:

* A format URL (``/doc/pledge/SP320067.ttl``) answers in that format whatever Accept says; so
  does a ``format`` parameter (also ``output`` and ``results``, as SPARQL clients send them)
  naming a format: the first value understood wins, and values not understood are ignored.
* Otherwise Accept decides (RFC 9110 §12.5.1): media ranges match on type/subtype whatever
  their parameters (``;charset=utf-8``), the most specific range gives the q-value, and among
  equal q-values the server's order wins (resources: Turtle, HTML, JSON-LD, RDF/XML, N-Triples).
  JSON-LD's ``profile`` parameter is honoured: ``...#expanded`` asks for expanded form.
* No Accept header, ``*/*`` alone, or a header with no well-formed media range: the first
  format (Turtle for documents). Browsers always name ``text/html``, so a bare ``*/*`` is a
  program (curl, requests, wget), better served with data than with markup; RFC 9110 lets a
  server ignore a malformed Accept header, and we do.
* Nothing on offer matches: the closest format of the family asked for (``Format.fallbacks``:
  RDF/XML for XML-ish types, JSON-LD for JSON, Turtle for N3), else 406 with the offered list.
"""

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path

from werkzeug.http import parse_list_header, parse_options_header

from ..errors import NotAcceptable
from ..formats import JSONLD_EXPANDED, Format, by_extension, by_name, media_types

HTML = Format("html", "html", "text/html", ("application/xhtml+xml",))
RESOURCE_FORMAT_NAMES = ("turtle", "html", "jsonld", "rdfxml", "ntriples")  # server preference order
FORMAT_PARAMETERS = ("format", "output", "results")  # what SPARQL clients name the result format with
_MEDIA_TYPE = re.compile(r"[\w!#$&^.+*-]+/[\w!#$&^.+*-]+")


@dataclass(frozen=True)
class Range:
    """One media range of an Accept header: type/subtype, its parameters, its q-value."""

    media_type: str
    params: dict
    q: float

    def specificity(self, media_type):
        """3 for type/subtype, 2 for type/*, 1 for */*, 0 when the range does not cover ``media_type``."""
        if self.media_type == media_type:
            return 3
        kind, _, sub = self.media_type.partition("/")
        if sub == "*" and (kind == "*" or media_type.startswith(kind + "/")):
            return 1 if kind == "*" else 2
        return 0


def resource_formats():
    """The formats a resource document is offered in, in server preference order."""
    return [HTML if name == "html" else by_extension(name) for name in RESOURCE_FORMAT_NAMES]


def format_for_extension(extension, offered=None):
    """The offered format with this file extension, or None."""
    return next((f for f in offered or resource_formats() if f.extension == extension.lower()), None)


def parse_accept(header):
    """The well-formed media ranges of an Accept header, in the order given (malformed ones dropped)."""
    ranges = []
    for item in parse_list_header(header or ""):
        media_type, params = parse_options_header(item)
        media_type = media_type.lower()
        try:
            q = float(params.pop("q", 1))
        except ValueError:
            continue
        if _MEDIA_TYPE.fullmatch(media_type) and 0 <= q <= 1:
            ranges.append(Range(media_type, {k.lower(): v for k, v in params.items()}, q))
    return ranges


def negotiate(header, offered=None):
    """The format to answer with for this Accept header; NotAcceptable when none fits (rules above)."""
    offered = offered or resource_formats()
    ranges = parse_accept(header)
    if not ranges or [(r.media_type, r.q) for r in ranges] == [("*/*", 1)]:
        return offered[0]
    chosen = _best(ranges, offered, lambda f: [f.media_type, *f.aliases], wildcards=True)
    chosen = chosen or _best(ranges, offered, lambda f: f.fallbacks, wildcards=False)
    if chosen is None:
        raise NotAcceptable(
            "none of the requested media types is offered; offered: " + ", ".join(media_types(offered)),
            offered=media_types(offered),
        )
    return chosen


def _best(ranges, offered, types_of, wildcards):
    """The offered format the ranges like most (q > 0; the server's order breaks ties), with its profile."""
    best, best_q = None, 0.0
    for fmt in offered:
        q, matched = _quality(ranges, types_of(fmt), fmt.media_type if wildcards else None)
        if q > best_q:
            best, best_q = _with_profile(fmt, matched), q
    return best


def _quality(ranges, types, own):
    """(q, the range that gave it) for the best of ``types``: for each, the most specific range
    covering it decides; wildcards cover only ``own`` (the format's own media type)."""
    best_q, best_range = 0.0, None
    for media_type in types:
        scored = [(r.specificity(media_type) if media_type == own else 3 * (r.media_type == media_type), r)
                  for r in ranges]
        top = max((score for score, _ in scored), default=0)
        if top:
            q, chosen = max(((r.q, r) for score, r in scored if score == top), key=lambda pair: pair[0])
            if q > best_q:
                best_q, best_range = q, chosen
    return best_q, best_range


def quality(header, media_type):
    """The q-value the Accept header gives ``media_type`` (its most specific covering range; 0 if none)."""
    return _quality(parse_accept(header), [media_type], media_type)[0]


def best_type(header, candidates):
    """The candidate media type the Accept header likes most (ties: the candidates' order), or None."""
    scored = [(quality(header, media_type), -i, media_type) for i, media_type in enumerate(candidates)]
    q, _, best = max(scored, default=(0, 0, None))
    return best if q > 0 else None


def _with_profile(fmt, matched):
    profiles = (matched.params.get("profile", "") if matched else "").split()
    return replace(fmt, profile="expanded") if fmt.name == "jsonld" and JSONLD_EXPANDED in profiles else fmt


def choose(header, formats, html=False, values=()):
    """For the SPARQL and API answers: the format named by ``values`` (the request's format
    parameters, first understood wins), else the one ``header`` (Accept) prefers among ``formats``.

    None means an HTML page is preferred (offered last, so ``*/*`` gets data); no Accept gets the
    first format; nothing acceptable: NotAcceptable naming what is offered.
    """
    named = from_parameters(values, formats)
    if named is not None:
        return named
    try:
        chosen = negotiate(header, [*formats, HTML] if html else list(formats))
    except NotAcceptable:
        unknown = [v for v in values if v]
        reason = f"no format {unknown[0][:40]!r} for this query, and " if unknown else ""
        raise NotAcceptable(
            reason + "none of the accepted media types is offered; offered: " + ", ".join(media_types(formats)),
            offered=media_types(formats),
        ) from None
    return None if chosen is HTML else chosen


def from_parameters(values, formats):
    """The first of ``values`` (format= / output= / results= values, in request order) naming one of
    ``formats``, or None; a JSON-LD media type's ``profile`` parameter is kept."""
    for value in values:
        found = by_name(value, formats) if value else None
        if found is not None:
            return _with_profile(found, (parse_accept(value) or [None])[0])
    return None


def link_header(doc_url, offered, described=None, canonical=None):
    """Link header value: each alternate format URL, the IRI described and the canonical document."""
    links = [f'<{doc_url}.{f.extension}>; rel="alternate"; type="{f.media_type}"' for f in offered]
    if described:
        links.append(f'<{described}>; rel="describes"')
    if canonical:
        links.append(f'<{canonical}>; rel="canonical"')
    return ", ".join(links)


def cache_headers(tag, modified, vary="Accept"):
    """ETag, Last-Modified (a datetime or None), Vary and Cache-Control of a release's representation."""
    headers = {"ETag": f'"{tag}"', "Vary": vary, "Cache-Control": "public, max-age=60"}
    if modified:
        headers["Last-Modified"] = modified.strftime("%a, %d %b %Y %H:%M:%S GMT")
    return headers


def etag(release, *parts):
    """A strong ETag for one representation of one release: changes whenever the store is rebuilt,
    and whenever this code base changes (a page's markup or a writer's output may change with it)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in (CODE_VERSION, release, *parts)).encode()).hexdigest()
    return digest[:32]


def _code_version():
    """A digest of the files of ``service/`` that shape an answer (code, templates, catalogues)."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".html", ".mo", ".js", ".css", ".rq", ".json") and path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


CODE_VERSION = _code_version()

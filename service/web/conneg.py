"""Content negotiation for resource documents: which format, and the headers that go with it.

Rules (documented in the README):

* A format URL (``/doc/pledge/SP320067.ttl``) answers in that format whatever Accept says.
* Otherwise the Accept header decides, q-values honoured (werkzeug's parser); among equal
  q-values the server's order wins: Turtle, HTML, JSON-LD, RDF/XML, N-Triples.
* No Accept header, ``*/*`` alone, or a header with no well-formed media range: **Turtle**.
  Browsers always name ``text/html`` explicitly, so a bare ``*/*`` is a program (curl,
  requests, wget), better served with data than with markup; RFC 9110 lets a server ignore a
  malformed Accept header, and we do.
* Acceptable types exist but none is on offer: 406 with the offered list.
"""

import hashlib

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from ..errors import NotAcceptable
from ..formats import Format, by_extension, by_media_type, media_types

HTML = Format("html", "html", "text/html", ("application/xhtml+xml",))
RESOURCE_FORMAT_NAMES = ("turtle", "html", "jsonld", "rdfxml", "ntriples")  # server preference order
DEFAULT = "turtle"


def resource_formats():
    """The formats a resource document is offered in, in server preference order."""
    return [HTML if name == "html" else by_extension(name) for name in RESOURCE_FORMAT_NAMES]


def format_for_extension(extension, offered=None):
    """The offered format with this file extension, or None."""
    return next((f for f in offered or resource_formats() if f.extension == extension.lower()), None)


def parse_accept(header):
    """The Accept header as a werkzeug MIMEAccept, keeping only well-formed media ranges."""
    parsed = parse_accept_header(header or "", MIMEAccept)
    good = [(value, q) for value, q in parsed if _well_formed(value)]
    return MIMEAccept(good)


def _well_formed(value):
    kind, _, sub = value.partition("/")
    return bool(kind) and bool(sub) and "/" not in sub and " " not in value


def negotiate(header, offered=None):
    """The format to answer with for this Accept header; NotAcceptable when none fits."""
    offered = offered or resource_formats()
    accept = parse_accept(header)
    if not accept or list(accept) == [("*/*", 1)]:
        return next((f for f in offered if f.name == DEFAULT), offered[0])
    candidates = [f.media_type for f in offered] + [a for f in offered for a in f.aliases]
    best = accept.best_match(candidates)
    if best is None:
        raise NotAcceptable(
            "none of the requested media types is offered; offered: "
            + ", ".join(f.media_type for f in offered),
            offered=[f.media_type for f in offered],
        )
    return next(f for f in offered if best == f.media_type or best in f.aliases)


def choose(accept, formats, html=False):
    """For the SPARQL and API answers: the format ``accept`` (a MIMEAccept) prefers among ``formats``.

    None means an HTML page is preferred (offered last, so ``*/*`` gets data); no Accept gets the
    first format; acceptable types none of which is offered: NotAcceptable.
    """
    if not accept:
        return formats[0]
    offered = media_types(formats, with_aliases=True) + ([HTML.media_type] if html else [])
    best = accept.best_match(offered)
    if best is None:
        raise NotAcceptable("none of the accepted media types is offered", offered=media_types(formats))
    return None if best == HTML.media_type else by_media_type(best, formats)


def link_header(doc_url, offered, described=None, canonical=None):
    """Link header value: each alternate format URL, the IRI described and the canonical document."""
    links = [f'<{doc_url}.{f.extension}>; rel="alternate"; type="{f.media_type}"' for f in offered]
    if described:
        links.append(f'<{described}>; rel="describes"')
    if canonical:
        links.append(f'<{canonical}>; rel="canonical"')
    return ", ".join(links)


def etag(release, *parts):
    """A strong ETag for one representation of one release: changes whenever the store is rebuilt."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in (release, *parts)).encode()).hexdigest()
    return digest[:32]

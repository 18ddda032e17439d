r"""Parse RDF files safely: refuse hostile input before any parser sees it (DESIGN §6).

* RDF/XML with a DOCTYPE or ENTITY declaration is refused: a 1 KB "billion laughs" file aborts
  pyoxigraph and hangs rdflib, and external entities read local files.
* JSON-LD whose ``@context`` is, or includes, a string (an IRI to fetch), or that uses
  ``@import``, is refused: rdflib fetches remote contexts and has no switch to stop it.
  As a second line, every parse runs under an audit hook that refuses any URL open or socket
  connection made by this thread while parsing, so nothing can be fetched even if the
  first check missed a case.
* Input larger than ``max_bytes`` raises PayloadTooLarge; bytes that are not UTF-8 text raise
  InputError; syntax errors become InputError naming the file and the parser's message.

Every format but JSON-LD is parsed by pyoxigraph (strict, and it reads all of Turtle, such as the
escaped local names ``rcrcid:theme\/dotted\.`` our own writers produce, which rdflib refuses):
as pyoxigraph quads (``parse_quads``: the build's way) or as rdflib terms (``parse_rdf``); JSON-LD
is parsed by rdflib after the context check above.
"""

import json
import re
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.parser import PythonInputSource

from .. import formats
from ..errors import InputError, PayloadTooLarge, UnsafeInput
from ..text import decode_utf8, read_capped
from .terms import to_ox, to_rdflib

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
XML_DECLARATIONS = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
NETWORK_EVENTS = {"urllib.Request", "socket.connect", "socket.getaddrinfo", "socket.gethostbyname"}

_guard = threading.local()


def parse_rdf(source, format=None, *, max_bytes=DEFAULT_MAX_BYTES, name=None, base=None):
    """Parse a path or bytes into an rdflib Graph (Dataset for N-Quads/TriG); refuse hostile input."""
    quads, datasets = _parse(source, format, max_bytes, name, base)
    target = Dataset() if datasets else Graph()
    for quad in quads:
        triple = (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))
        graph = quad.graph_name
        target.add(triple if isinstance(graph, ox.DefaultGraph) else (*triple, to_rdflib(graph)))
    return target


def parse_quads(source, format=None, *, max_bytes=DEFAULT_MAX_BYTES, name=None, base=None):
    """Parse a path or bytes into a list of pyoxigraph Quads (triples in the default graph), with
    fresh blank nodes (files merge without clashes); refuse hostile input, as ``parse_rdf``."""
    return _parse(source, format, max_bytes, name, base)[0]


def _parse(source, format, max_bytes, name, base):
    """([ox.Quad], whether the format holds named graphs)."""
    data, name, base = _read(source, max_bytes, name, base)
    fmt = _choose_format(format, name)
    text = _decode(data, name)
    if fmt.name == "rdfxml":
        _refuse_xml_declarations(text, name)
    if fmt.name == "jsonld":
        graph = _parse_jsonld(text, name, base)
        return [ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph], False
    try:
        with no_network():
            quads = list(ox.parse(text.encode("utf-8"), format=fmt.oxigraph, base_iri=base, rename_blank_nodes=True))
    except SyntaxError as exc:
        raise InputError(f"{name}: {re.sub(r'^Parser error (at )?', '', str(exc))}") from None
    except RecursionError:
        raise InputError(f"{name}: nested too deeply to parse") from None
    return quads, fmt.datasets


def _read(source, max_bytes, name, base):
    if isinstance(source, (bytes, bytearray)):
        if len(source) > max_bytes:
            raise PayloadTooLarge(f"{name or 'input'}: {len(source)} bytes is over the limit of {max_bytes}")
        return bytes(source), name or "input", base
    path = Path(source)
    return read_capped(path, max_bytes, "an RDF file"), name or str(path), base or path.resolve().as_uri()


def _choose_format(format, name):
    if format:
        fmt = format if isinstance(format, formats.Format) else formats.by_name(format)
        if fmt is None:
            raise InputError(f"{name}: unknown RDF format {format!r}")
        return fmt
    fmt = formats.by_extension(Path(name).suffix) if Path(name).suffix else None
    if fmt is None:
        known = ", ".join("." + f.extension for f in formats.RDF_FORMATS)
        raise InputError(f"{name}: cannot tell the RDF format from the file name (known: {known})")
    return fmt


def _decode(data, name):
    """UTF-8 text or InputError: binary junk and empty files never reach a parser."""
    text = decode_utf8(data, name, "an RDF file")
    if not text.strip():
        raise InputError(f"{name}: empty file")
    return text


def _refuse_xml_declarations(text, name):
    match = XML_DECLARATIONS.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise UnsafeInput(f"{name}: line {line}: RDF/XML with <!{match.group(1).upper()} is refused "
                          "(entity expansion and external entities are unsafe)")


def _parse_jsonld(text, name, base):
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name}: line {exc.lineno} column {exc.colno}: invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise InputError(f"{name}: JSON nested too deeply") from None
    refuse_remote_contexts(document, name)
    graph = Graph()
    with _syntax_errors(name), no_network():
        # PythonInputSource: rdflib reads exactly the document we checked, never re-opens a source.
        graph.parse(source=PythonInputSource(document), format="json-ld", base=base)
    return graph


def refuse_remote_contexts(document, name="input"):
    """Raise UnsafeInput if a JSON-LD document would make a processor fetch a context."""
    stack = [document]
    while stack:  # iterative: hostile documents may nest deeper than the recursion limit
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "@import":
                    raise UnsafeInput(f"{name}: JSON-LD @import is refused (it fetches a remote context)")
                if key == "@context" and _names_remote(value):
                    raise UnsafeInput(f"{name}: JSON-LD @context naming a URL is refused "
                                      "(remote contexts would be fetched); inline the context")
                stack.append(value)


def _names_remote(context):
    # rdflib flattens nested arrays of contexts, so look through them too
    if isinstance(context, list):
        return any(_names_remote(item) for item in context)
    return isinstance(context, str)


@contextmanager
def _syntax_errors(name):
    try:
        yield
    except UnsafeInput:
        raise
    except RecursionError:
        raise InputError(f"{name}: nested too deeply to parse") from None
    except Exception as exc:  # rdflib's JSON-LD parser raises many unrelated types for bad input
        raise InputError(f"{name}: {_describe(exc)}") from None


def _describe(exc):
    message = " ".join(str(exc).split()) or type(exc).__name__
    return message if len(message) < 600 else message[:600] + " ..."


@contextmanager
def no_network():
    """While active, this thread cannot open a URL or a socket (the audit hook refuses it)."""
    previous = getattr(_guard, "active", False)
    _guard.active = True
    try:
        yield
    finally:
        _guard.active = previous


def _audit(event, args):
    if event in NETWORK_EVENTS and getattr(_guard, "active", False):
        raise UnsafeInput(f"refused a network access while parsing ({event})")


sys.addaudithook(_audit)

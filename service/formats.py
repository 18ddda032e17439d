"""One table: file extension <-> media type <-> serializer, for RDF and for SPARQL results; the writers.

Everything that chooses, names or writes a format looks it up here, so the endpoint, the
resource pages, the dumps and the CLI agree on what `.ttl` or `application/sparql-results+json`
means, and every answer is written by ``write_results`` or ``write_rdf``, which make each format
read back to the same terms with a strict parser.
"""

import csv
import io
import json
import re
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox

from .errors import NotAcceptable

JSONLD_EXPANDED = "http://www.w3.org/ns/json-ld#expanded"  # the JSON-LD profile asking for expanded form


@dataclass(frozen=True)
class Format:
    name: str  # short name, as in ?format=turtle or --format turtle
    extension: str
    media_type: str
    aliases: tuple = ()  # other media types clients send for the same thing
    oxigraph: object = None  # pyoxigraph RdfFormat or QueryResultsFormat
    rdflib: str = ""  # rdflib serializer / parser name
    datasets: bool = False  # can carry named graphs
    names: tuple = ()  # other short names clients send in format= / output= / results=
    fallbacks: tuple = ()  # media types answered with this format when nothing on offer matches
    profile: str = ""  # JSON-LD: "expanded" when the client asked for it; compacted otherwise

    @property
    def key(self):
        """What tells two representations apart (ETags): the name, and the JSON-LD profile."""
        return f"{self.name}+{self.profile}" if self.profile else self.name


# Fallbacks (README, "Negotiation"): a family's closest format rather than 406 -- RDF/XML for
# XML-ish requests, JSON-LD for JSON-ish ones, Turtle (valid N3) for N3 -- only when no range of
# the Accept header matches a format on offer.
RDF_FORMATS = (
    Format("turtle", "ttl", "text/turtle", ("application/x-turtle", "application/turtle"), ox.RdfFormat.TURTLE,
           "turtle", names=("n3",), fallbacks=("text/n3", "text/rdf+n3", "application/n3")),
    Format("jsonld", "jsonld", "application/ld+json", ("application/json", "application/x-json+ld"),
           ox.RdfFormat.JSON_LD, "json-ld", names=("json-ld", "json"), fallbacks=("application/sparql-results+json",)),
    Format("rdfxml", "rdf", "application/rdf+xml", ("application/xml", "text/xml"), ox.RdfFormat.RDF_XML, "xml",
           names=("rdf+xml", "xml"), fallbacks=("application/sparql-results+xml",)),
    Format("ntriples", "nt", "application/n-triples", ("text/plain",), ox.RdfFormat.N_TRIPLES, "nt",
           names=("n-triples",)),
    Format("nquads", "nq", "application/n-quads", (), ox.RdfFormat.N_QUADS, "nquads", True, names=("n-quads",)),
    Format("trig", "trig", "application/trig", (), ox.RdfFormat.TRIG, "trig", True),
)

RESULT_FORMATS = (
    Format("json", "srj", "application/sparql-results+json", ("application/json",), ox.QueryResultsFormat.JSON,
           fallbacks=("application/ld+json",)),
    Format("xml", "srx", "application/sparql-results+xml", ("application/xml", "text/xml"),
           ox.QueryResultsFormat.XML, fallbacks=("application/rdf+xml",)),
    Format("csv", "csv", "text/csv", (), ox.QueryResultsFormat.CSV),
    Format("tsv", "tsv", "text/tab-separated-values", (), ox.QueryResultsFormat.TSV),
)


def by_extension(extension, formats=RDF_FORMATS):
    """The format for a file extension (without the dot) or its own short name, or None."""
    extension = extension.lower().lstrip(".")
    return next((f for f in formats if f.extension == extension or f.name == extension), None)


def by_name(name, formats=RDF_FORMATS):
    """The format for a short name (``turtle``, ``json-ld``, ``rdf+xml``), extension (``ttl``) or
    media type (parameters ignored), or None. ``xml`` and ``json`` name the RDF formats among
    RDF_FORMATS and the result formats among RESULT_FORMATS."""
    name = name.strip().lower()
    found = by_extension(name, formats) or next((f for f in formats if name in f.names), None)
    return found or by_media_type(name, formats)


def by_media_type(media_type, formats=RDF_FORMATS):
    """The format for a media type, its own or an alias, or None."""
    media_type = media_type.split(";")[0].strip().lower()
    return next((f for f in formats if f.media_type == media_type), None) or next(
        (f for f in formats if media_type in f.aliases), None
    )


def media_types(formats=RDF_FORMATS):
    """Media types on offer, preferred first."""
    return [f.media_type for f in formats]


# -- writers: every serialisation goes through these two, so each reads back with a strict parser --

_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")  # not XML 1.0 characters


def write_results(document, fmt, link=None):
    """A SPARQL JSON results ``document`` (dict) as bytes in the result format ``fmt``.

    ``link`` (an IRI) goes into the head where the format has one (JSON ``head.link``, XML
    ``<link href>``). CSV is written here, quoted per RFC 4180 (pyoxigraph leaves an IRI with a
    comma bare); XML answers are checked by ``xml_safe``. NotAcceptable when XML cannot carry it.
    """
    if link:
        document = {**document, "head": {**document.get("head", {}), "link": [link]}}
    if fmt.name == "json":
        return json.dumps(document, ensure_ascii=False).encode("utf-8")
    if fmt.name == "csv" and "results" in document:
        return _csv(document)
    parsed = ox.parse_query_results(json.dumps(document), ox.QueryResultsFormat.JSON)
    body = parsed.serialize(format=fmt.oxigraph)
    if fmt.name != "xml":
        return body
    body = xml_safe(body, "SPARQL XML results")
    href = f'<link href={quoteattr(link)}/>'.encode() if link else b""
    return body.replace(b"</head>", href + b"</head>", 1).replace(b"<head/>", b"<head>" + href + b"</head>", 1)


def _csv(document):
    """SPARQL 1.1 CSV: IRIs and literals as their text, blank nodes as _:id, CRLF, quoted as needed."""
    names = document["head"]["vars"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    for row in document["results"]["bindings"]:
        writer.writerow([_csv_value(row.get(name)) for name in names])
    return out.getvalue().encode("utf-8")


def _csv_value(value):
    if value is None:
        return ""
    if value["type"] == "bnode":
        return "_:" + value["value"]
    if value["type"] == "triple":
        parts = value["value"]
        return "<< " + " ".join(_csv_value(parts[p]) for p in ("subject", "predicate", "object")) + " >>"
    return value["value"]


def write_rdf(triples, fmt, prefixes=None, note=None):
    """Triples (pyoxigraph) as bytes in the RDF format ``fmt``; prefixes where the format has them.

    ``note`` (one line of text) is written as a comment where the format has comments (Turtle,
    TriG, N-Triples, N-Quads, RDF/XML). RDF/XML is checked by ``xml_safe``.
    """
    if fmt.datasets:  # quad formats want quads: the triples go in the default graph
        triples = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    kwargs = {"prefixes": prefixes} if prefixes and fmt.name in ("turtle", "trig", "rdfxml", "jsonld") else {}
    body = ox.serialize(triples, format=fmt.oxigraph, **kwargs)
    note = " ".join((note or "").split()).replace("--", "- -")
    if fmt.name == "rdfxml":
        body = xml_safe(body, "RDF/XML")
        if note:
            head, _, rest = body.partition(b"\n")
            body = head + f"\n<!-- {note} -->\n".encode() + rest
    elif note and fmt.name != "jsonld":
        body = f"# {note}\n".encode() + body
    return body


def xml_safe(body, what):
    """XML as written by pyoxigraph, made to read back exactly: a carriage return in text becomes
    ``&#13;`` (XML parsers turn a raw one into a line feed). Characters XML 1.0 cannot carry at all
    (U+0000-U+0008, U+000B, U+000C, U+000E-U+001F, U+FFFE, U+FFFF) make it NotAcceptable (406)."""
    if _NOT_XML.search(body):
        raise NotAcceptable(
            f"this answer holds a control character that {what} (XML 1.0) cannot carry; "
            "ask for another format (JSON, CSV or TSV results; Turtle, N-Triples or JSON-LD)",
        )
    return body.replace(b"\r", b"&#13;")

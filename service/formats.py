"""One table: file extension <-> media type <-> serializer, for RDF and for SPARQL results.

Everything that chooses, names or writes a format looks it up here, so the endpoint, the
resource pages, the dumps and the CLI agree on what `.ttl` or `application/sparql-results+json`
means.
"""

from dataclasses import dataclass

import pyoxigraph as ox

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


def media_types(formats=RDF_FORMATS, with_aliases=False):
    """Media types on offer, preferred first."""
    own = [f.media_type for f in formats]
    return own + [a for f in formats for a in f.aliases if a not in own] if with_aliases else own

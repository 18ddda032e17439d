"""One table: file extension <-> media type <-> serializer, for RDF and for SPARQL results.

Everything that chooses, names or writes a format looks it up here, so the endpoint, the
resource pages, the dumps and the CLI agree on what `.ttl` or `application/sparql-results+json`
means.
"""

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class Format:
    name: str  # short name, as in ?format=turtle or --format turtle
    extension: str
    media_type: str
    aliases: tuple = ()  # other media types clients send for the same thing
    oxigraph: object = None  # pyoxigraph RdfFormat or QueryResultsFormat
    rdflib: str = ""  # rdflib serializer / parser name
    datasets: bool = False  # can carry named graphs


RDF_FORMATS = (
    Format("turtle", "ttl", "text/turtle", ("application/x-turtle",), ox.RdfFormat.TURTLE, "turtle"),
    Format("jsonld", "jsonld", "application/ld+json", ("application/json",), ox.RdfFormat.JSON_LD, "json-ld"),
    Format("rdfxml", "rdf", "application/rdf+xml", ("application/xml",), ox.RdfFormat.RDF_XML, "xml"),
    Format("ntriples", "nt", "application/n-triples", ("text/plain",), ox.RdfFormat.N_TRIPLES, "nt"),
    Format("nquads", "nq", "application/n-quads", (), ox.RdfFormat.N_QUADS, "nquads", True),
    Format("trig", "trig", "application/trig", (), ox.RdfFormat.TRIG, "trig", True),
)

RESULT_FORMATS = (
    Format("json", "srj", "application/sparql-results+json", ("application/json",), ox.QueryResultsFormat.JSON),
    Format("xml", "srx", "application/sparql-results+xml", ("application/xml", "text/xml"), ox.QueryResultsFormat.XML),
    Format("csv", "csv", "text/csv", (), ox.QueryResultsFormat.CSV),
    Format("tsv", "tsv", "text/tab-separated-values", (), ox.QueryResultsFormat.TSV),
)


def by_extension(extension, formats=RDF_FORMATS):
    """The format for a file extension (without the dot), or None."""
    extension = extension.lower().lstrip(".")
    return next((f for f in formats if f.extension == extension or f.name == extension), None)


def by_name(name, formats=RDF_FORMATS):
    """The format for a short name (``turtle``), extension (``ttl``) or media type, or None."""
    name = name.strip().lower()
    return by_extension(name, formats) or by_media_type(name, formats)


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

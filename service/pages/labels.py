"""Labels in the reader's language, along one fallback chain.

A resource may carry labels in several languages. The reader's preferred language (from
Accept-Language by RFC 4647 lookup among the languages we publish in) comes first, then the configured chain
(en, fr, es, ar by default), then a label without a language tag, then any label at all, so a
page never shows a bare IRI when some label exists.
"""

import functools
import re
from urllib.parse import unquote, urlsplit

from ..namespaces import PREFIXES

LABEL_PREDICATES = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/title",
)


def label_patterns(subject="?s", label="?l", predicate="?lp"):
    """SPARQL: the labels of ``subject`` with their predicate, one UNION branch per label predicate.

    Written out with constant predicates because Oxigraph plans ``VALUES ?lp {...} ?s ?lp ?l``
    as a scan of every label in the store (2 s at 1 M triples) rather than an index lookup.
    """
    return " UNION ".join(f"{{ {subject} <{p}> {label} BIND(<{p}> AS {predicate}) }}" for p in LABEL_PREDICATES)


def N_(message):
    """Marks an interface string for the message catalogues; it is translated where it is shown."""
    return message


# Terms from outside our ontology that pages show; their labels are not in the store.
WELL_KNOWN = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": N_("type"),
    "http://www.w3.org/2000/01/rdf-schema#label": N_("label"),
    "http://www.w3.org/2000/01/rdf-schema#comment": N_("comment"),
    "http://www.w3.org/2000/01/rdf-schema#seeAlso": N_("see also"),
    "http://www.w3.org/2000/01/rdf-schema#subClassOf": N_("subclass of"),
    "http://www.w3.org/2000/01/rdf-schema#subPropertyOf": N_("subproperty of"),
    "http://www.w3.org/2000/01/rdf-schema#domain": N_("domain"),
    "http://www.w3.org/2000/01/rdf-schema#range": N_("range"),
    "http://www.w3.org/2000/01/rdf-schema#isDefinedBy": N_("defined by"),
    "http://www.w3.org/2004/02/skos/core#prefLabel": N_("preferred label"),
    "http://www.w3.org/2004/02/skos/core#altLabel": N_("alternative name"),
    "http://www.w3.org/2004/02/skos/core#notation": N_("document symbol"),
    "http://www.w3.org/2004/02/skos/core#inScheme": N_("in scheme"),
    "http://www.w3.org/2004/02/skos/core#exactMatch": N_("exact match"),
    "http://www.w3.org/2004/02/skos/core#closeMatch": N_("close match"),
    "http://www.w3.org/2004/02/skos/core#editorialNote": N_("editorial note"),
    "http://www.w3.org/2004/02/skos/core#definition": N_("definition"),
    "http://www.w3.org/2004/02/skos/core#hasTopConcept": N_("top concept"),
    "http://www.w3.org/2004/02/skos/core#topConceptOf": N_("top concept of"),
    "http://www.w3.org/2002/07/owl#sameAs": N_("same as"),
    "http://purl.org/dc/terms/title": N_("title"),
    "http://purl.org/dc/terms/source": N_("official document"),
    "http://purl.org/dc/terms/date": N_("date"),
    "http://purl.org/dc/terms/issued": N_("issued"),
    "http://purl.org/dc/terms/description": N_("description"),
    "http://purl.org/dc/terms/license": N_("licence"),
    "http://purl.org/dc/terms/rights": N_("rights"),
    "http://purl.org/dc/terms/rightsHolder": N_("rights holder"),
    "http://purl.org/dc/terms/isReplacedBy": N_("is replaced by"),
    "http://www.w3.org/2002/07/owl#Class": N_("class"),
    "http://www.w3.org/2002/07/owl#ObjectProperty": N_("property"),
    "http://www.w3.org/2002/07/owl#DatatypeProperty": N_("property"),
    "http://www.w3.org/2002/07/owl#AnnotationProperty": N_("property"),
    "http://www.w3.org/2002/07/owl#FunctionalProperty": N_("functional property"),
    "http://www.w3.org/2002/07/owl#Ontology": N_("ontology"),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property": N_("property"),
    "http://www.w3.org/2004/02/skos/core#Concept": N_("concept"),
    "http://www.w3.org/2004/02/skos/core#ConceptScheme": N_("concept scheme"),
    "http://www.w3.org/2004/02/skos/core#scopeNote": N_("scope note"),
    "http://www.w3.org/ns/shacl#NodeShape": N_("node shape"),
    "http://www.w3.org/ns/shacl#PropertyShape": N_("property shape"),
    "http://www.w3.org/ns/shacl#PropertyGroup": N_("property group"),
    "http://purl.org/dc/terms/RightsStatement": N_("rights statement"),
    "http://purl.org/dc/terms/identifier": N_("identifier"),
    "http://www.w3.org/ns/shacl#SPARQLExecutable": N_("SPARQL query"),
    "http://www.w3.org/ns/shacl#SPARQLSelectExecutable": N_("SPARQL query"),
    "http://www.w3.org/ns/shacl#SPARQLConstructExecutable": N_("SPARQL query"),
    "http://www.w3.org/ns/shacl#select": N_("SPARQL query"),
    "http://www.w3.org/ns/shacl#construct": N_("SPARQL query"),
    "https://schema.org/target": N_("runs at"),
    "https://schema.org/url": N_("address"),
}


# Codes of our own that stand as literal values (the values a shape's sh:in allows): what each
# means, in words a page can show in the reader's language. The data keeps the code.
CODES = {
    "https://w3id.org/rcrc/def/confidence": {
        "confirmed": N_("all of it: every field of the source was read"),
        "partial": N_("part of it: some fields of the source were not seen"),
    },
}


def lookup(ranges, available):
    """RFC 4647 §3.4 lookup: the tag of ``available`` the reader prefers, or None.

    ``ranges`` are the reader's (language range, quality) pairs, as Accept-Language lists them.
    They are tried by quality, highest first, in the reader's order among equals (q=0 means
    "not this one", and ``*`` names nothing); each range is truncated from the end ("fr-CA",
    then "fr") until it equals an available tag, case-insensitively, so ``fr-CA, en;q=0.5``
    finds French before English. The tag comes back as ``available`` spells it.
    """
    tags = {tag.lower(): tag for tag in available}
    ordered = sorted(((r.strip().lower(), q) for r, q in ranges if q > 0), key=lambda rq: -rq[1])
    for language_range, _ in ordered:
        subtags = [s for s in language_range.split("-") if s]
        while subtags and subtags[0] != "*":
            if "-".join(subtags) in tags:
                return tags["-".join(subtags)]
            subtags.pop()
            if subtags and len(subtags[-1]) == 1:  # never end on a singleton such as "x"
                subtags.pop()
    return None


def choose(chosen, ranges, available):
    """The reader's language among ``available``: their explicit choice (``chosen``, from the
    language switcher's cookie) when it names one, else the RFC 4647 lookup over ``ranges``
    (Accept-Language), else the first of ``available``. One function for labels and interface."""
    return lookup([(chosen, 1.0)] if chosen else [], available) or lookup(ranges, available) or available[0]


def reader_chain(chain, preferred=None, ranges=()):
    """The fallback chain with the reader's preferred language (if given) first, then the other
    languages of ``chain`` the reader accepts (``ranges``, Accept-Language pairs), in the reader's
    order, then the rest of ``chain``: ``es, fr;q=0.9`` shows a French label before an English one."""
    accepted = [lookup([pair], chain) for pair in sorted(ranges, key=lambda rq: -rq[1])]
    ordered = [preferred, *accepted, *chain]
    return list(dict.fromkeys(lang.lower() for lang in ordered if lang))


def pick(labels, chain):
    """Best (text, lang) among ``labels`` [(text, lang or '')] for the chain, or None."""
    if not labels:
        return None
    by_lang = {}
    for text, lang in sorted(labels):  # sorted: the same label wins on every request
        by_lang.setdefault((lang or "").lower(), (text, lang or ""))
    for lang in list(chain) + [""]:
        if lang in by_lang:
            return by_lang[lang]
    for lang, label in sorted(by_lang.items()):
        if lang.split("-")[0] in chain:  # en-GB when the chain says en
            return label
    return sorted(by_lang.values())[0]


@functools.lru_cache(maxsize=8192)  # a listing names the same few hundred IRIs at every request
def prefixed(iri):
    """A compact name 'rcrc:Pledge' for an IRI in a published namespace, else the IRI itself."""
    best = max(((p, ns) for p, ns in PREFIXES.items() if iri.startswith(ns)), key=lambda x: len(x[1]), default=None)
    if best and iri[len(best[1]) :]:
        return f"{best[0]}:{iri[len(best[1]) :]}"
    return iri


OURS = "https://w3id.org/rcrc/def/"


@functools.lru_cache(maxsize=8192)
def fallback(iri):
    """A readable name for an IRI without a label: well-known name, our term in words, or a compact name."""
    if iri in WELL_KNOWN:
        return WELL_KNOWN[iri]
    local = iri[len(OURS) :] if iri.startswith(OURS) else ""
    if local and re.fullmatch(r"[A-Za-z]+", local):
        words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local)
        return words if local[0].isupper() else words.lower()  # classes keep their capital
    if iri.startswith(WIKIDATA) and re.fullmatch(r"Q\d+", iri[len(WIKIDATA) :]):
        return f"Wikidata {iri[len(WIKIDATA) :]}"
    if prefixed(iri) == iri:
        return web_address(iri) or iri
    return prefixed(iri)


WIKIDATA = "http://www.wikidata.org/entity/"


def web_address(iri):
    """A web page's address as a reader scans it: "rcrcconference.org › reaffirmation-of-nato-s-pledge"
    (the site, then the last part of the path, decoded); None for anything but http(s) without a fragment."""
    parts = urlsplit(iri)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.fragment:
        return None
    site = parts.hostname.removeprefix("www.")
    last = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]) if parts.path.strip("/") else ""
    last += f"?{unquote(parts.query)}" if parts.query else ""  # "?p=123": the page's only name
    last = last if len(last) <= 60 else last[:59] + "…"
    return f"{site} › {last}" if last else site

"""The JSON-LD context of our vocabulary, and compaction with it (PyLD, never over the network).

The context is built from the published ontology, so it always matches the release: a term per
class (``"Pledge": "rcrc:Pledge"``) and property, object properties coerced to IRIs
(``{"@type": "@id"}``), datatype properties to their XSD range (``rcrc:year`` is an
``xsd:gYear``); ``id`` and ``type`` stand for ``@id`` and ``@type``, ``label`` and friends for the
usual RDFS / SKOS / OWL terms, and our prefixes are there for everything else. A value that does
not fit a term's coercion keeps its full form, so compaction never loses a triple.

Compacted documents carry the context inline, so they read anywhere without a fetch (and our own
importer, which refuses remote contexts, takes them back); the web layer links the published copy.
PyLD is given a document loader that refuses every URL: it can never fetch anything.
"""

import json
import threading

import pyoxigraph as ox
from pyld import jsonld
from pyld.jsonld import JsonLdError

from ..namespaces import PREFIXES
from .describe import document_graphs

OWL, RDF, XSD = PREFIXES["owl"], PREFIXES["rdf"], PREFIXES["xsd"]
COMMON_TERMS = {
    "id": "@id",
    "type": "@type",
    "label": "rdfs:label",
    "comment": "rdfs:comment",
    "prefLabel": "skos:prefLabel",
    "altLabel": "skos:altLabel",
    "sameAs": {"@id": "owl:sameAs", "@type": "@id"},
    "seeAlso": {"@id": "rdfs:seeAlso", "@type": "@id"},
}
TERMS = f"""SELECT ?term ?kind ?range WHERE {{
  ?term a ?kind . FILTER(?kind IN (<{OWL}Class>, <{OWL}ObjectProperty>, <{OWL}DatatypeProperty>))
  OPTIONAL {{ ?term <{PREFIXES["rdfs"]}range> ?range }} }}"""
UNCOERCED = {XSD + "string", RDF + "langString"}  # plain strings and language strings stay as they are

_cache = {}
_lock = threading.Lock()


def context_document(store, base):
    """``{"@context": {...}}`` for the vocabulary under ``base`` + "def/", cached per release."""
    key = (id(store), getattr(store, "current_release", lambda: None)(), base)
    with _lock:
        if key in _cache:
            return _cache[key]
    vocabulary = base + "def/"
    terms = {p: ns for p, ns in PREFIXES.items() if p not in ("rcrcid", "rcrc")}
    terms["rcrc"] = vocabulary
    terms.update(COMMON_TERMS)
    graphs = document_graphs(store, vocabulary)
    rows = store.query(TERMS, default_graph=graphs) if graphs else []
    for row in sorted(rows, key=lambda r: r["term"].value):
        name = row["term"].value.removeprefix(vocabulary)
        if row["term"].value.startswith(vocabulary) and name.isidentifier() and name not in terms:
            terms[name] = _definition(name, row["kind"].value, row["range"])
    document = {"@context": terms}
    with _lock:
        _cache.clear()  # one release at a time
        _cache[key] = document
    return document


def _definition(name, kind, range_):
    if kind == OWL + "Class":
        return f"rcrc:{name}"
    if kind == OWL + "ObjectProperty":
        return {"@id": f"rcrc:{name}", "@type": "@id"}
    if isinstance(range_, ox.NamedNode) and range_.value.startswith(XSD) and range_.value not in UNCOERCED:
        return {"@id": f"rcrc:{name}", "@type": "xsd:" + range_.value.removeprefix(XSD)}
    return f"rcrc:{name}"


def compact(expanded, context):
    """Expanded JSON-LD (bytes) compacted with ``context`` (the document), which it carries inline."""
    document = _types_as_keyword(json.loads(expanded or b"[]"))
    options = {"documentLoader": only(None, None), "base": None}
    compacted = jsonld.compact(document, context, options)
    return json.dumps(compacted, ensure_ascii=False, indent=1).encode("utf-8")


def _types_as_keyword(nodes):
    """rdf:type written as ``@type`` (as JSON-LD's fromRdf does), so that it compacts to ``"type": "Pledge"``."""
    for node in nodes if isinstance(nodes, list) else []:
        values = node.get(RDF + "type", [])
        if values and all(set(v) == {"@id"} for v in values):
            node["@type"] = [v["@id"] for v in node.pop(RDF + "type")]
    return nodes


def only(context_url, context):
    """A PyLD document loader that serves ``context`` at ``context_url`` and refuses every other URL
    (``only(None, None)`` refuses them all)."""

    def load(url, options=None):
        if url != context_url:
            raise JsonLdError(f"refusing to fetch {url}: only our own context is loaded", "jsonld.LoadDocumentError",
                              code="loading document failed")
        return {"contextUrl": None, "documentUrl": url, "document": context}

    return load

"""Curators' notes for people: the source keys they cite ("S19, S35") become the sources' titles.

data/sources.tsv gives every source a key and a description; the build publishes each address
with ``dcterms:identifier`` (the key) and ``rdfs:label`` (the description), and a key without a
full address as a blank node with the same two. In a note, a key is replaced by its title, linked
to its address when there is one. A token that only looks like a key (R2 in ``32IC/15/R2``) is
left alone: a key stands between spaces or punctuation other than "/".
"""

import re

import pyoxigraph as ox

from .per_release import per_release

NOTED = frozenset({"http://www.w3.org/2004/02/skos/core#editorialNote", "https://w3id.org/rcrc/def/conferenceBasis"})
KEY = re.compile(r"(?<![\w/])([A-Z][0-9]{1,3})(?![\w/])")
SOURCES = """SELECT ?source ?key ?title WHERE {
  ?source <http://purl.org/dc/terms/identifier> ?key ; <http://www.w3.org/2000/01/rdf-schema#label> ?title }"""


def source_keys(store):
    """{key: [(address or "", title)]} of the sources table, read once per release."""
    return per_release(store, "sources", _read_sources)


def _read_sources(store):
    found = {}
    for row in store.query(SOURCES):
        if not isinstance(row["key"], ox.Literal) or not KEY.fullmatch(row["key"].value):
            continue
        address = row["source"].value if isinstance(row["source"], ox.NamedNode) else ""
        found.setdefault(row["key"].value, set()).add((address, row["title"].value))
    return {k: sorted(v) for k, v in found.items()}


def note_parts(text, sources, href):
    """[{"text"} or {"text", "href", "key"}]: ``text`` with each known key replaced by its source's title."""
    parts, at = [], 0
    for match in KEY.finditer(text):
        key = match.group(1)
        if key not in sources:
            continue
        parts.append({"text": text[at : match.start()]})
        for n, (address, title) in enumerate(sources[key]):
            if n:
                parts.append({"text": "; "})
            parts.append({"text": title, "href": href(address) if address else None, "key": key})
        at = match.end()
    parts.append({"text": text[at:]})
    return [p for p in parts if p["text"]]


def note_value(show, term, sources):
    """A note as the page shows it: its parts, its language, and its plain text for sorting."""
    lang = term.language or ""
    return {
        "kind": "note",
        "parts": note_parts(term.value, sources, show.href),
        "text": term.value,
        "lang": lang,
        "foreign": bool(lang) and lang.split("-")[0].lower() != show.lang,
    }

"""Write a release's page index: one SQLite file with what listings, search and the home page read.

Built once per release, by the command that publishes it (before the release becomes current),
or once on first use for a release that has none (``prepared``). What it holds:

* ``kinds``: per listing, its items in IRI order (an item's id is its position) and its facet
  codes; ``facets``: per facet value, its items as a bitmap (bit i set: item i has the value), so
  any combination of filters and every facet count is a few big-integer ANDs and bit counts;
* ``orders``: per listing, sortable column and label language chain, the item ids in reading
  order (items with no value apart, as ``listing_index.ordered`` keeps them);
* ``texts`` and its FTS5 trigram index ``search``: every searched literal, lower-cased, so a
  search is an index lookup plus an exact substring check in SQLite, never a scan in Python;
* ``incoming``: how many resources link to each resource, per property (``describe``);
* ``labels``: the labels of every facet value (what listings show beside their counts);
* ``meta``: the format, the release, and the home page's figures (JSON).

Everything is computed by the same code that computed it per process before (``listing_index``,
``search``, ``dataset``'s figures' queries), so the pages show exactly what they showed.
"""

import json
import os
import sqlite3
from array import array

import pyoxigraph as ox

from .kinds import KINDS
from .labels import reader_chain
from .listing_index import _build, labels_of, ordered

SKOS = "http://www.w3.org/2004/02/skos/core#"
RCRC = "https://w3id.org/rcrc/def/"
# What search reads: labels, other names, and pledge text (the kind column: 0, 1, 2)
LABELS = ("http://www.w3.org/2000/01/rdf-schema#label", SKOS + "prefLabel", "http://purl.org/dc/terms/title")
NAMES = (SKOS + "altLabel", SKOS + "notation", RCRC + "pledgeNumber")
TEXTS = (RCRC + "pledgeText", RCRC + "summary")
FORMAT = "3"
# describe()'s incoming-link counts of every resource: one scan here instead of a count per page
# (0.1 s for a theme's 17 k incoming links at 1 M triples)
INCOMING = "SELECT ?o ?p (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?s) && isIRI(?o)) } GROUP BY ?o ?p"
LANGUAGES = ("en", "fr", "es", "ar")  # the default LANGUAGES setting; other chains are sorted on demand
CHAINS = [tuple(reader_chain(LANGUAGES, lang)) for lang in LANGUAGES] + [("en",)]
TEXT_KINDS = {**{p: 0 for p in LABELS}, **{p: 1 for p in NAMES}, **{p: 2 for p in TEXTS}}
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE kinds (slug TEXT PRIMARY KEY, items TEXT NOT NULL, codes TEXT NOT NULL);
CREATE TABLE facets (slug TEXT, param TEXT, value TEXT, members BLOB, PRIMARY KEY (slug, param, value));
CREATE TABLE orders (slug TEXT, sort TEXT, chain TEXT, present BLOB, missing BLOB, PRIMARY KEY (slug, sort, chain));
CREATE TABLE labels (iri TEXT, text TEXT, lang TEXT);
CREATE TABLE incoming (o TEXT, p TEXT, n INTEGER, PRIMARY KEY (o, p));
CREATE TABLE texts (id INTEGER PRIMARY KEY, iri TEXT, predicate TEXT, kind INTEGER, text TEXT, lang TEXT,
                    lowered TEXT);
CREATE VIRTUAL TABLE search USING fts5(lowered, content='texts', content_rowid='id', tokenize='trigram');
"""


def write_index(store, path, release, figures=None):
    """Write the page index of ``store``'s current release to ``path`` (atomically: a partial file
    renamed into place). ``store`` needs ``query`` only (the release's union graph as default);
    ``figures(store)`` gives the home page's figures as JSON-ready data."""
    partial = path.with_name(f"{path.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    connection = sqlite3.connect(partial)
    try:
        connection.executescript(SCHEMA)
        _write_listings(connection, store)
        _write_texts(connection, store)
        rows = [(r["o"].value, r["p"].value, int(r["n"].value)) for r in store.query(INCOMING)]
        connection.executemany("INSERT INTO incoming VALUES (?, ?, ?)", rows)
        meta = {"format": FORMAT, "release": release, "figures": json.dumps(figures(store) if figures else None)}
        connection.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        connection.commit()
    except BaseException:
        connection.close()
        partial.unlink(missing_ok=True)
        raise
    connection.close()
    os.replace(partial, path)


def bitmap(ids, size):
    """The ids (each below ``size``) as a bitmap: bytes, little-endian, bit i for id i."""
    bits = bytearray((size + 7) // 8 or 1)
    for i in ids:
        bits[i >> 3] |= 1 << (i & 7)
    return bytes(bits)


def _write_listings(connection, store):
    built = {slug: _build(store, kind) for slug, kind in KINDS.items()}
    values = sorted({value for idx in built.values() for by_value in idx.values.values() for value in by_value})
    rows = [(iri, text, lang) for iri, labels in labels_of(store, values).items() for text, lang in labels]
    connection.executemany("INSERT INTO labels VALUES (?, ?, ?)", rows)
    pledge_values = built["pledges"].values
    for slug, kind in KINDS.items():
        idx = built[slug]
        position = {iri: i for i, iri in enumerate(idx.items)}
        connection.execute("INSERT INTO kinds VALUES (?, ?, ?)", (slug, json.dumps(idx.items), json.dumps(idx.codes)))
        for param, by_value in idx.values.items():
            rows = [(slug, param, value, bitmap((position[i] for i in members), len(idx.items)))
                    for value, members in by_value.items()]
            connection.executemany("INSERT INTO facets VALUES (?, ?, ?, ?)", rows)
        for sort in [None] + list(kind.sortable):
            column = kind.column(sort) if sort else None
            counts = pledge_values.get(column.count, {}) if column is not None and column.sort == "count" else None
            for n, chain in enumerate(CHAINS):
                if n == 0 or _by_label(kind, sort):  # else every chain gets the first chain's order
                    idx.orders.clear()  # listing_index caches by the chain's first language only
                    ordered(store, kind, idx, sort, False, list(chain), counts)
                    ((present, missing),) = idx.orders.values()  # items with a value, items without
                connection.execute("INSERT INTO orders VALUES (?, ?, ?, ?, ?)", (
                    slug, sort or "", ",".join(chain),
                    array("i", (position[i] for i in present)).tobytes(),
                    array("i", (position[i] for i in missing)).tobytes()))


def _by_label(kind, sort):
    """Whether the order of ``sort`` (None: the default) depends on the label language chain."""
    columns = [kind.column(k) for k in dict.fromkeys(((sort,) if sort else ()) + kind.sort)]
    return any(not c.path or c.sort == "label" for c in columns)


def _write_texts(connection, store):
    # Plain UNION branches, no FILTER: Virtuoso's compiler fails on a FILTER beside a BIND
    # (SP031); subjects and objects are checked here instead.
    branches = " UNION ".join(f"{{ ?s <{p}> ?o BIND(<{p}> AS ?p) }}" for p in TEXT_KINDS)
    rows = []
    for row in store.query(f"SELECT ?s ?p ?o WHERE {{ {branches} }}"):
        if not isinstance(row["s"], ox.NamedNode) or not isinstance(row["o"], ox.Literal):
            continue
        text, predicate = row["o"].value, row["p"].value
        rows.append((row["s"].value, predicate, TEXT_KINDS[predicate], text, row["o"].language or "", text.lower()))
    connection.executemany("INSERT INTO texts (iri, predicate, kind, text, lang, lowered) VALUES (?, ?, ?, ?, ?, ?)",
                           rows)
    connection.execute("INSERT INTO search (search) VALUES ('rebuild')")

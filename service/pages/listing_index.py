"""The index behind a listing: a class's items, their facet values and their sort orders, per release.

Built once per release and kept in memory: Oxigraph needs ~1.5 s per facet count and ~4 s to
sort 80 k pledges by label at 1 M triples, while set intersections over an index built from a few
flat queries answer any combination of filters in milliseconds. Column values and sort orders are
read the first time a sort asks for them (a label order once per language). A release never
changes, so the index never goes stale.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass, field

import pyoxigraph as ox

from .kinds import CODE, R
from .labels import LABEL_PREDICATES, label_patterns, pick
from .per_release import per_release

LAST = (1,)  # sorts after every present key, in both directions (see ordered)


@dataclass
class Index:
    items: list  # IRIs, in IRI order (the sort orders below give the reading orders)
    values: dict  # param -> {value IRI: set of item IRIs}
    codes: dict  # param -> {lower-cased code: code as published}
    columns: dict = field(default_factory=dict)  # column key -> {item IRI: [terms]}
    orders: dict = field(default_factory=dict)  # (sort name, language) -> [item IRIs]
    lock: threading.Lock = field(default_factory=threading.Lock)


def index(store, kind):
    """The Index of ``kind`` for the store's current release (built on first use)."""
    return per_release(store, "listing index " + kind.slug, lambda s: _build(s, kind))


def _build(store, kind):
    members = set()
    for cls in kind.classes:
        members.update(row["s"].value for row in store.query(f"SELECT ?s WHERE {{ ?s a <{R}{cls}> }}"))
    values, codes = {}, {}
    for facet in kind.facets:
        by_value = values.setdefault(facet.param, {})
        for row in store.query(f"SELECT DISTINCT ?s ?v WHERE {{ ?s {facet.path} ?v }}"):
            s, v = row["s"].value, row["v"]
            if s in members and isinstance(v, ox.NamedNode):
                by_value.setdefault(v.value, set()).add(s)
        codes[facet.param] = {
            iri[len(facet.prefix) :].lower(): iri[len(facet.prefix) :]
            for iri in by_value
            if iri.startswith(facet.prefix) and CODE.match(iri[len(facet.prefix) :])
        }
    return Index(sorted(members), values, codes)


def column_values(store, kind, idx, column):
    """{item IRI: [terms]} of one column for every item (read once per release)."""
    with idx.lock:
        if column.key not in idx.columns:
            found = {}
            if column.path:
                members = set(idx.items)
                for row in store.query(f"SELECT ?s ?o WHERE {{ ?s <{column.path}> ?o }}"):
                    if row["s"].value in members:
                        found.setdefault(row["s"].value, []).append(row["o"])
            idx.columns[column.key] = found
        return idx.columns[column.key]


def ordered(store, kind, idx, sort, descending, chain, counts=None):
    """Every item in the order of column ``sort`` (None: the kind's default order) for ``chain``.

    Items without a value for the column come last, in both directions. ``counts`` gives the
    {value IRI: set} of the pledge facet that a "count" column counts.
    """
    name = sort or "default"
    key = (name, chain[0] if chain else "")
    with idx.lock:
        found = idx.orders.get(key)
    if found is None:
        columns = [kind.column(k) for k in dict.fromkeys(((sort,) if sort else ()) + kind.sort)]
        ranks = [_ranks(store, kind, idx, c, chain, counts) for c in columns]
        decorated = sorted((tuple(r[i] for r in ranks), i) for i in idx.items)
        last = ranks[0].get(None)  # the rank of "no value" in the leading column, if any item has none
        found = ([i for k, i in decorated if k[0] != last], [i for k, i in decorated if k[0] == last])
        with idx.lock:
            idx.orders[key] = found
    present, missing = found
    return (present[::-1] if descending else present) + missing


def _ranks(store, kind, idx, column, chain, counts):
    """{item: rank of its sort key in ``column``} (equal keys, equal ranks), plus None: the rank of
    LAST when some item has no value. Comparing ranks orders items as comparing the keys would, at
    a fraction of the cost; kept per column (and per chain for labels) for the index's other orders."""
    by_label = not column.path or column.sort == "label"
    memo = ("ranks", column.key, tuple(chain) if by_label else None, column.sort == "count" and id(counts))
    with idx.lock:
        found = idx.columns.get(memo)
    if found is None:
        function = _key_function(store, kind, idx, column, chain, counts)
        keys = {i: function(i) for i in idx.items}
        rank = {k: r for r, k in enumerate(sorted(set(keys.values())))}
        found = {i: rank[k] for i, k in keys.items()}
        if LAST in rank:
            found[None] = rank[LAST]
        with idx.lock:
            idx.columns[memo] = found
    return found


def _key_function(store, kind, idx, column, chain, counts):
    if column.sort == "count":
        return lambda item: (0, len((counts or {}).get(item, ())))
    if not column.path:  # the item's own label
        labels = class_labels(store, kind, idx)
        return lambda item: _present(collation_key(pick(labels.get(item, []), chain)))
    values = column_values(store, kind, idx, column)
    if column.sort == "label":
        linked = linked_labels(store, idx, column, values)
        distinct = {v.value for vs in values.values() for v in vs}
        label_key = {v: collation_key(pick(linked.get(v, []), chain)) for v in distinct}  # once per value

        def first_label(item):
            return _present(min((label_key[v.value] for v in values.get(item, [])), default=None))

        return first_label
    if column.sort == "number":
        return lambda item: _present(min((_number(v.value) for v in values.get(item, [])), default=None))
    return lambda item: _present(min((natural_key(v.value) for v in values.get(item, [])), default=None))


def _present(key):
    return LAST if key is None or key == () else (0, key)


def _number(text):
    try:
        return float(text)
    except ValueError:
        return float("inf")


def class_labels(store, kind, idx):
    """{item IRI: [(text, lang)]} of every item of the kind (read once per release)."""
    with idx.lock:
        if "" not in idx.columns:
            members, found = set(idx.items), {}
            branches = " UNION ".join(f"{{ ?s <{p}> ?l }}" for p in LABEL_PREDICATES)
            for cls in kind.classes:
                for row in store.query(f"SELECT ?s ?l WHERE {{ ?s a <{R}{cls}> . {branches} }}"):
                    if row["s"].value in members:
                        found.setdefault(row["s"].value, set()).add((row["l"].value, row["l"].language or ""))
            idx.columns[""] = {k: sorted(v) for k, v in found.items()}
        return idx.columns[""]


def linked_labels(store, idx, column, values):
    """{IRI: [(text, lang)]} of the resources a link column names (read once per release)."""
    with idx.lock:
        cached = idx.columns.get("labels:" + column.key)
    if cached is None:
        cached = labels_of(store, [v.value for vs in values.values() for v in vs if isinstance(v, ox.NamedNode)])
        with idx.lock:
            idx.columns["labels:" + column.key] = cached
    return cached


def collation_key(label):
    """A label's sort key: accents and case set aside ("Éthiopie" beside "Etats"), then the text."""
    if not label:
        return ()
    text = label[0] if isinstance(label, tuple) else label
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()
    return (natural_key(folded), text)


def natural_key(text):
    """ "MP028" < "SP320067", "9" < "32", "31/3" < "31/10": digits compare as numbers."""
    parts = re.split(r"(\d+)", text)
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.lower()) for p in parts if p)


def labels_of(store, iris):
    """IRI -> [(text, lang)] for each IRI that has a label."""
    iris = list(dict.fromkeys(iris))
    labels = {}
    for start in range(0, len(iris), 500):
        values = " ".join(str(ox.NamedNode(i)) for i in iris[start : start + 500])
        query = f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} {label_patterns('?s')} }}"
        for row in store.query(query):
            labels.setdefault(row["s"].value, []).append((row["l"].value, row["l"].language or ""))
    return labels

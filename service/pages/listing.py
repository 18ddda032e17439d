"""Per-class listings with facets and pagination.

A listing is a class (or a few: organisations have subclasses), filtered by facet values given
as short codes (``conference=32``, ``theme=migration``, ``country=KE``): each facet knows its
property path and the IRI prefix its values live under. Codes are checked against a strict
pattern before they become IRIs, so a value can never change the shape of the query.

Several values of one facet mean any of them (OR); values of different facets must all hold
(AND); the order they come in never matters. A facet's counts are computed under the other
facets' filters, so each count says how many items that value would add or keep (drill-down
that stays multi-select).
"""

import re
import threading
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..errors import InputError, NotFound
from ..namespaces import ID, RCRC
from .labels import label_patterns

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,100}$")
PAGE_SIZE = 50
R = str(RCRC._NS)


@dataclass(frozen=True)
class Facet:
    param: str
    title: str
    path: str  # SPARQL property path, from this table only
    prefix: str  # values are prefix + code


def _facet(param, title, path, prefix=None):
    return Facet(param, title, path, prefix or f"{ID}{param}/")


PLEDGE_FACETS = (
    _facet("conference", "Conference", f"<{R}conference>"),
    _facet("theme", "Theme", f"<{R}theme>"),
    _facet("pledge-type", "Pledge type", f"<{R}pledgeType>"),
    _facet("pledger-category", "Pledger category", f"<{R}pledgerCategory>"),
    _facet("country", "Country", f"<{R}country>"),
    _facet("region", "Region", f"(<{R}pledgedBy>|<{R}signatory>)/<{R}region>"),
)
ORGANISATION_FACETS = (
    _facet("type", "Kind", "a", R),
    _facet("region", "Region", f"<{R}region>"),
    _facet("country", "Country", f"<{R}country>"),
)


@dataclass(frozen=True)
class Kind:
    slug: str
    title: str
    classes: tuple
    facets: tuple = ()
    columns: tuple = ()  # predicates shown beside each item


KINDS = {
    k.slug: k
    for k in (
        Kind("pledges", "Pledges", ("Pledge",), PLEDGE_FACETS, ("pledgeNumber", "conference", "pledgedBy")),
        Kind(
            "resolutions",
            "Resolutions",
            ("Resolution",),
            PLEDGE_FACETS[:1],
            ("conference", "resolutionNumber"),
        ),
        Kind("conferences", "Conferences", ("Conference",), (), ("year", "city")),
        Kind(
            "organisations",
            "Organisations",
            ("Organisation", "MovementComponent", "NationalSociety", "Government", "Observer"),
            ORGANISATION_FACETS,
            ("country", "region"),
        ),
        Kind("themes", "Themes", ("Theme",), (), ()),
    )
}


@dataclass
class Listing:
    kind: Kind
    selected: dict  # param -> sorted codes
    page: int
    total: int = 0
    items: list = field(default_factory=list)  # IRIs, this page
    facets: list = field(default_factory=list)  # [(Facet, [(value IRI, code, count)])]
    details: dict = field(default_factory=dict)  # item IRI -> [(predicate IRI, ox term)]
    labels: dict = field(default_factory=dict)  # IRI -> [(text, lang)]
    page_size: int = PAGE_SIZE

    @property
    def pages(self):
        return max(1, -(-self.total // self.page_size))


@dataclass
class Index:
    """One class's items in display order and, per facet value, the set of items that have it.

    Built once per release and kept in memory: Oxigraph needs ~1.5 s per facet count and ~4 s
    to sort 80 k pledges by label at 1 M triples, while set intersections over an index built
    from a few flat queries answer any combination of filters in milliseconds. A release never
    changes, so the index never goes stale.
    """

    items: list  # IRIs sorted by English (else any) label
    values: dict  # param -> {value IRI: set of item IRIs}


_indexes = {}
_index_lock = threading.Lock()


def index(store, kind):
    """The Index of ``kind`` for the store's current release (built on first use)."""
    key = (id(store), getattr(store, "current_release", lambda: None)(), kind.slug)
    with _index_lock:
        if key not in _indexes:
            for old in [k for k in _indexes if k[:2] != key[:2]]:
                del _indexes[old]  # one release at a time
            _indexes[key] = _build_index(store, kind)
        return _indexes[key]


def _build_index(store, kind):
    members, keys = set(), {}
    for cls in kind.classes:
        members.update(row["s"].value for row in store.query(f"SELECT ?s WHERE {{ ?s a <{R}{cls}> }}"))
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    for row in store.query(f"SELECT ?s ?l WHERE {{ ?s a <{R}{kind.classes[0]}> ; {label} ?l }}"):
        iri, text, lang = row["s"].value, row["l"].value, row["l"].language or ""
        if iri in members and (iri not in keys or lang == "en"):
            keys[iri] = text.lower()
    if len(kind.classes) > 1:
        keys.update(_sort_keys(store, members - keys.keys()))
    items = sorted(members, key=lambda i: (keys.get(i, "\uffff"), i))
    values = {}
    for facet in kind.facets:
        by_value = values.setdefault(facet.param, {})
        for row in store.query(f"SELECT DISTINCT ?s ?v WHERE {{ ?s {facet.path} ?v }}"):
            s, v = row["s"].value, row["v"]
            if s in members and isinstance(v, ox.NamedNode):
                by_value.setdefault(v.value, set()).add(s)
    return Index(items, values)


def _sort_keys(store, iris):
    keys = {}
    for iri, labels in labels_of(store, sorted(iris)).items():
        english = [t for t, lang in labels if lang == "en"] or [t for t, _ in labels]
        keys[iri] = min(english).lower()
    return keys


def listing(store, slug, selected=None, page=1, page_size=PAGE_SIZE):
    """One page of a class listing under the selected facet values {param: code or [codes]}.

    Codes of one facet are alternatives (OR), facets are combined (AND); see the module doc.
    """
    kind = KINDS.get(slug)
    if kind is None:
        raise NotFound(f"no listing called {slug!r}; there are: {', '.join(KINDS)}")
    filters = _filters(kind, selected or {})
    result = Listing(kind, {f.param: sorted(codes) for f, codes in filters.items()}, page, page_size=page_size)
    idx = index(store, kind)
    matching = _matching(idx, filters)
    ordered = idx.items if matching is None else [i for i in idx.items if i in matching]
    result.total = len(ordered)
    if page > result.pages:
        raise NotFound(f"page {page} does not exist; there are {result.pages}")
    result.items = ordered[(page - 1) * page_size : page * page_size]
    result.facets = [
        (f, _facet_counts(idx, f, _matching(idx, {g: c for g, c in filters.items() if g != f}))) for f in kind.facets
    ]
    linked = _details(store, kind, result)
    facet_values = [v for _, values in result.facets for v, _, _ in values]
    result.labels = labels_of(store, result.items + linked + facet_values)
    return result


def _filters(kind, selected):
    """{Facet: {codes}} for the selected values; an unknown facet or a malformed code is an InputError."""
    by_param = {f.param: f for f in kind.facets}
    filters = {}
    for param, codes in sorted(selected.items()):
        codes = [codes] if isinstance(codes, str) else list(codes)
        if param not in by_param:
            raise InputError(f"{kind.slug} have no facet {param!r}; facets: {', '.join(by_param) or 'none'}")
        for code in codes:
            if not CODE.match(code):
                raise InputError(f"facet {param} value must be a short code such as 32, migration or KE")
        if codes:
            filters[by_param[param]] = set(codes)
    return filters


def _matching(idx, filters):
    """Items having, for every facet, any of its codes; None when nothing is filtered."""
    matching = None
    for facet, codes in filters.items():
        by_value = idx.values.get(facet.param, {})
        chosen = set().union(*(by_value.get(facet.prefix + code, set()) for code in codes))
        matching = chosen if matching is None else matching & chosen
    return matching


def _facet_counts(idx, facet, matching, limit=200):
    # A set intersection walks the smaller set in C: cheap for 190 small country sets and for
    # a dozen large theme sets alike.
    by_value = idx.values.get(facet.param, {})
    tally = {iri: len(members) if matching is None else len(members & matching) for iri, members in by_value.items()}
    counts = []
    for iri, n in tally.items():
        code = iri[len(facet.prefix) :] if iri.startswith(facet.prefix) else ""
        if n and CODE.match(code):
            counts.append((iri, code, n))
    return sorted(counts, key=lambda c: (-c[2], c[0]))[:limit]


def _details(store, kind, result):
    if not result.items or not kind.columns:
        return []
    items = " ".join(str(ox.NamedNode(i)) for i in result.items)
    branches = " UNION ".join(f"{{ ?s <{R}{c}> ?o BIND(<{R}{c}> AS ?p) }}" for c in kind.columns)
    query = f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {items} }} {branches} }}"
    linked = []
    for row in store.query(query):
        result.details.setdefault(row["s"].value, []).append((row["p"].value, row["o"]))
        if isinstance(row["o"], ox.NamedNode):
            linked.append(row["o"].value)
    return linked


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

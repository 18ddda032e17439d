"""Per-class listings with facets and pagination.

A listing is a class (or a few: organisations have subclasses), filtered by facet values given
as short codes (``conference=32``, ``theme=migration``, ``country=KE``): each facet knows its
property path and the IRI prefix its values live under. Codes are checked against a strict
pattern before they become IRIs, so a value can never change the shape of the query. Facet
counts are computed under the current filters (drill-down).
"""

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from .errors import InputError, NotFound
from .labels import LABEL_PREDICATES
from .namespaces import ID, RCRC

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,100}$")
PAGE_SIZE = 50
LABELS = " ".join(f"<{p}>" for p in LABEL_PREDICATES)
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
    selected: dict
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


def listing(store, slug, selected=None, page=1, page_size=PAGE_SIZE):
    """One page of a class listing under the selected facet values {param: code}."""
    kind = KINDS.get(slug)
    if kind is None:
        raise NotFound(f"no listing called {slug!r}; there are: {', '.join(KINDS)}")
    filters = _filters(kind, selected or {})
    result = Listing(kind, {f.param: code for f, code, _ in filters}, page, page_size=page_size)
    pattern = _pattern(kind, filters)
    result.total = _count(store, pattern)
    if page > result.pages:
        raise NotFound(f"page {page} does not exist; there are {result.pages}")
    result.items = _page(store, pattern, page, page_size)
    result.facets = [(f, _facet_counts(store, pattern, f)) for f in kind.facets]
    linked = _details(store, kind, result)
    facet_values = [v for _, values in result.facets for v, _, _ in values]
    result.labels = labels_of(store, result.items + linked + facet_values)
    return result


def _filters(kind, selected):
    by_param = {f.param: f for f in kind.facets}
    filters = []
    for param, code in sorted(selected.items()):
        if param not in by_param:
            raise InputError(f"{kind.slug} have no facet {param!r}; facets: {', '.join(by_param) or 'none'}")
        if not CODE.match(code):
            raise InputError(f"facet {param} value must be a short code such as 32, migration or KE")
        filters.append((by_param[param], code, ox.NamedNode(by_param[param].prefix + code)))
    return filters


def _pattern(kind, filters):
    classes = " ".join(f"<{R}{c}>" for c in kind.classes)
    lines = [f"VALUES ?class {{ {classes} }} ?s a ?class ."]
    lines += [f"?s {facet.path} {node} ." for facet, _, node in filters]
    return "\n".join(lines)


def _count(store, pattern):
    rows = list(store.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {pattern} }}"))
    return int(rows[0]["n"].value) if rows else 0


def _page(store, pattern, page, page_size):
    query = f"""SELECT ?s (MIN(LCASE(STR(?l))) AS ?key) WHERE {{ {pattern}
      OPTIONAL {{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }} }}
      GROUP BY ?s ORDER BY ?key ?s LIMIT {int(page_size)} OFFSET {(int(page) - 1) * int(page_size)}"""
    return [row["s"].value for row in store.query(query)]


def _facet_counts(store, pattern, facet):
    query = f"""SELECT ?v (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {pattern} ?s {facet.path} ?v . FILTER(isIRI(?v)) }}
      GROUP BY ?v ORDER BY DESC(?n) ?v LIMIT 200"""
    values = []
    for row in store.query(query):
        iri = row["v"].value
        if iri.startswith(facet.prefix) and CODE.match(iri[len(facet.prefix) :]):
            values.append((iri, iri[len(facet.prefix) :], int(row["n"].value)))
    return values


def _details(store, kind, result):
    if not result.items or not kind.columns:
        return []
    items = " ".join(str(ox.NamedNode(i)) for i in result.items)
    preds = " ".join(f"<{R}{c}>" for c in kind.columns)
    query = f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {items} }} VALUES ?p {{ {preds} }} ?s ?p ?o }}"
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
        query = f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} VALUES ?lp {{ {LABELS} }} ?s ?lp ?l }}"
        for row in store.query(query):
            labels.setdefault(row["s"].value, []).append((row["l"].value, row["l"].language or ""))
    return labels

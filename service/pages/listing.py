"""Per-class listings with facets, sorting and pagination, and the counts other pages draw from them.

A listing is a class (or a few: organisations have subclasses), filtered by facet values given
as short codes (``conference=32``, ``theme=migration``, ``country=ke``; see ``kinds``). Codes are
checked against a strict pattern and matched case-insensitively against the values the data
has; a well-formed code the data does not know is reported in ``Listing.unknown``, not silently
counted as nothing.

Several values of one facet mean any of them (OR); values of different facets must all hold
(AND); the order they come in never matters. A facet's counts are computed under the other
facets' filters, so each count says how many items that value would add or keep (drill-down
that stays multi-select).

Every function here reads the release's page index (``prepared``): items by id, each facet
value's items as a bitmap, orders as arrays of ids, so a listing is a few big-integer ANDs and
bit counts and a walk along one prepared order. Views and templates only see the return shapes
below, so the index can change without touching them.
"""

from dataclasses import dataclass, field
from itertools import chain as chained
from itertools import islice

import pyoxigraph as ox

from ..errors import InputError, NotFound
from .kinds import CODE, KINDS, Facet, Kind  # noqa: F401 (Facet, Kind: the return shapes' parts)
from .labels import pick
from .listing_index import index, natural_key, ordered
from .prepared import prepared

PAGE_SIZE = 50
FACET_VALUES = 200  # a facet offers its 200 most frequent values (every country fits), in reading order
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
EXISTS = "SELECT ?r WHERE { { ?r ?p ?o } UNION { ?s ?q ?r } } LIMIT 1"


@dataclass
class Listing:
    kind: Kind
    selected: dict  # param -> sorted codes, as the data spells them
    page: int  # 0: every item (an export)
    sort: str = ""  # column key; "" is the kind's default order
    descending: bool = False
    total: int = 0
    items: list = field(default_factory=list)  # IRIs, this page
    facets: list = field(default_factory=list)  # [(Facet, [(value IRI, code, count)])] in reading order
    unknown: list = field(default_factory=list)  # [(param, code)] the data does not know
    details: dict = field(default_factory=dict)  # item IRI -> {column key: [ox terms]}
    labels: dict = field(default_factory=dict)  # IRI -> [(text, lang)]
    page_size: int = PAGE_SIZE

    @property
    def pages(self):
        return max(1, -(-self.total // self.page_size))


def kind_of(slug):
    kind = KINDS.get(slug)
    if kind is None:
        raise NotFound(f"no listing called {slug!r}; there are: {', '.join(KINDS)}")
    return kind


def listing(store, slug, selected=None, page=1, page_size=PAGE_SIZE, sort=None, chain=("en",)):
    """One page of a class listing (``page=0``: every item) under the selected facet values
    {param: code or [codes]}, in the order of ``sort`` ("title", "-conference"; None: the default)."""
    kind = kind_of(slug)
    idx = prepared(store).kind(slug)
    key, descending = parse_sort(kind, sort)
    filters, selected, unknown = _filters(store, kind, idx, selected or {})
    result = Listing(kind, selected, page, key or "", descending, unknown=unknown, page_size=page_size)
    matching = _matching(idx, filters)
    result.total = len(idx.items) if matching is None else matching.bit_count()
    if page and page > result.pages:
        raise NotFound(f"page {page} does not exist; the last is page {result.pages}")
    shown = _walk(_order(store, kind, key, descending, chain), matching)
    start = (page - 1) * page_size if page else 0
    result.items = [idx.items[i] for i in islice(shown, start, start + page_size if page else None)]
    result.facets = [
        (f, _facet_counts(idx, f, _matching(idx, {g: c for g, c in filters.items() if g != f}), FACET_VALUES))
        for f in kind.facets
    ]
    linked = _details(store, kind, idx, result)
    _count_details(store, kind, result)
    facet_values = [v for _, values in result.facets for v, _, _ in values]
    result.labels = labels_of(store, result.items + linked + facet_values)
    result.facets = [(f, _reading_order(f, values, result.labels, chain)) for f, values in result.facets]
    return result


def labels_of(store, iris):
    """IRI -> [(text, lang)] for each IRI that has a label, for any page: from the release's page
    index, else from the store once per process (``Prepared.labels_of``)."""
    return prepared(store).labels_of(store, iris)


def _order(store, kind, sort, descending, chain):
    """The item ids in the order of ``sort`` for the label chain, items without a value last."""
    found = prepared(store).order(kind.slug, sort or "", list(chain))
    if found is None:  # a chain the index does not hold (a LANGUAGES setting other than the default)
        idx = index(store, kind)
        ids = prepared(store).kind(kind.slug).ids
        ordered(store, kind, idx, sort, False, list(chain), _counts(store, kind, sort))
        present, missing = idx.orders[(sort or "default", chain[0] if chain else "")]
        found = ([ids[i] for i in present], [ids[i] for i in missing])
    present, missing = found
    return chained(reversed(present) if descending else present, missing)


def _walk(order, matching):
    """The ids of ``order`` that ``matching`` (a bitmap, None: every item) holds, lazily."""
    if matching is None:
        return order
    bits = matching.to_bytes((matching.bit_length() + 7) // 8 or 1, "little")
    size = len(bits) * 8
    return (i for i in order if i < size and bits[i >> 3] >> (i & 7) & 1)


def parse_sort(kind, sort):
    """(column key or None, descending) for ``?sort=``; an unknown column is an InputError."""
    if not sort:
        return None, False
    key = sort[1:] if sort.startswith("-") else sort
    if key not in kind.sortable:
        raise InputError(f"{kind.slug} sort by one of {', '.join(kind.sortable)} (a leading - reverses), not {sort!r}")
    return key, sort.startswith("-")


def breakdown(store, slug, selected, param, unrecorded=False):
    """[(value IRI, code, count)] of facet ``param`` among the items matching every filter of
    ``selected`` (the same facet included), most items first; with ``unrecorded``, a last row
    (None, None, count) of the items none of those values holds, when there are any."""
    kind = kind_of(slug)
    idx = prepared(store).kind(slug)
    facet = next(f for f in kind.facets if f.param == param)
    filters, _, _ = _filters(store, kind, idx, selected)
    matching = _matching(idx, filters)
    counts = _facet_counts(idx, facet, matching)
    rest = _rest(idx, param, matching, counts).bit_count() if unrecorded else 0
    return counts + [(None, None, rest)] if rest else counts


def count(store, slug, selected=None):
    """How many items match ``selected`` (every item when nothing is selected)."""
    kind = kind_of(slug)
    idx = prepared(store).kind(slug)
    filters, _, _ = _filters(store, kind, idx, selected or {})
    matching = _matching(idx, filters)
    return len(idx.items) if matching is None else matching.bit_count()


def matching_items(store, slug, selected=None, chain=("en",)):
    """Every item matching ``selected``, in the listing's default order: [IRIs]."""
    kind = kind_of(slug)
    idx = prepared(store).kind(slug)
    filters, _, _ = _filters(store, kind, idx, selected or {})
    return [idx.items[i] for i in _walk(_order(store, kind, None, False, chain), _matching(idx, filters))]


def grouped(store, slug, selected, param, chain=("en",), limit=50):
    """[(value IRI or None, count, [item IRIs])]: the items matching ``selected``, grouped by their
    values of facet ``param`` (an item with several values is in each group; items with none are
    in the last group, None), groups in the facet's reading order, each group's first ``limit``
    items in the listing's default order."""
    kind = kind_of(slug)
    idx = prepared(store).kind(slug)
    filters, _, _ = _filters(store, kind, idx, selected)
    matching = _matching(idx, filters)
    everything = (1 << len(idx.items)) - 1
    facet = next(f for f in kind.facets if f.param == param)
    counts = _facet_counts(idx, facet, matching)
    labels = labels_of(store, [iri for iri, _, _ in counts])
    groups = []
    for iri, _, n in _reading_order(facet, counts, labels, chain):
        members = idx.values[param][iri] & (everything if matching is None else matching)
        order = _walk(_order(store, kind, None, False, chain), members)
        groups.append((iri, n, [idx.items[i] for i in islice(order, limit)]))
    rest = _rest(idx, param, matching, counts)
    order = _walk(_order(store, kind, None, False, chain), rest)
    return groups + ([(None, rest.bit_count(), [idx.items[i] for i in islice(order, limit)])] if rest else [])


def _rest(idx, param, matching, counts):
    """A bitmap of the items ``matching`` (None: every item) that no value of ``counts`` holds."""
    placed = 0
    for iri, _, _ in counts:
        placed |= idx.values[param][iri]
    return ((1 << len(idx.items)) - 1 if matching is None else matching) & ~placed


def _counts(store, kind, key):
    column = kind.column(key) if key else None
    if column is None or column.sort != "count":
        return None
    return index(store, KINDS["pledges"]).values.get(column.count, {})


def _filters(store, kind, idx, selected):
    """({Facet: {codes}}, {param: [codes]}, [(param, code) unknown]); a bad facet or code is an InputError."""
    by_param = {f.param: f for f in kind.facets}
    filters, shown, unknown = {}, {}, []
    for param, codes in sorted(selected.items()):
        codes = [codes] if isinstance(codes, str) else list(codes)
        if param not in by_param:
            raise InputError(f"{kind.slug} have no facet {param!r}; facets: {', '.join(by_param) or 'none'}")
        facet, found = by_param[param], set()
        for code in codes:
            if not CODE.match(code):
                raise InputError(f"facet {param} value must be a short code such as 32, migration or KE")
            known = idx.codes.get(param, {}).get(code.lower()) or _stored(store, facet, code)
            if known is None:
                unknown.append((param, code))
            found.add(known or code)
        if found:
            filters[facet] = found
            shown[param] = sorted(found)
    return filters, shown, unknown


def _stored(store, facet, code):
    """The code as the store spells it when a resource with that IRI exists (a value nothing has yet)."""
    for candidate in dict.fromkeys((code, code.lower(), code.upper())):
        try:
            node = ox.NamedNode(facet.prefix + candidate)
        except ValueError:
            continue
        if any(True for _ in store.query(EXISTS, substitutions={ox.Variable("r"): node})):
            return candidate
    return None


def _matching(idx, filters):
    """A bitmap of the items having, for every facet, any of its codes; None when nothing is filtered."""
    matching = None
    for facet, codes in filters.items():
        by_value = idx.values.get(facet.param, {})
        chosen = 0
        for code in codes:
            chosen |= by_value.get(facet.prefix + code, 0)
        matching = chosen if matching is None else matching & chosen
    return matching


def _facet_counts(idx, facet, matching, limit=None):
    # An AND of two bitmaps and a bit count: microseconds for a facet value at 80 k items.
    by_value = idx.values.get(facet.param, {})
    tally = {iri: (m if matching is None else m & matching).bit_count() for iri, m in by_value.items()}
    counts = []
    for iri, n in tally.items():
        code = iri[len(facet.prefix) :] if iri.startswith(facet.prefix) else ""
        if n and CODE.match(code):
            counts.append((iri, code, n))
    return sorted(counts, key=lambda c: (-c[2], c[0]))[:limit]


def _reading_order(facet, values, labels, chain):
    """Facet values as a reader scans them: by date (natural order of codes) or by label."""
    if facet.order == "code":
        return sorted(values, key=lambda v: natural_key(v[1] or v[0]))
    return sorted(values, key=lambda v: ((pick(labels.get(v[0], []), list(chain)) or (v[1], ""))[0].casefold(), v[0]))


def _count_details(store, kind, result):
    """A count column's value for each shown item: how many pledges have the item as that facet's value."""
    for column in kind.columns:
        if column.sort == "count":
            members = prepared(store).kind("pledges").values.get(column.count, {})
            for item in result.items:
                n = ox.Literal(str(members.get(item, 0).bit_count()), datatype=ox.NamedNode(XSD_INTEGER))
                result.details.setdefault(item, {})[column.key] = [n]


def _details(store, kind, idx, result):
    """Fill result.details with each shown item's column values; returns the IRIs they link to."""
    paths = {c.path: c.key for c in kind.columns if c.path}
    if not paths:
        return []
    read = prepared(store).remembered
    found = read("columns " + kind.slug, result.items, lambda items: _columns(store, paths, items), {})
    linked = []
    for item in result.items:
        result.details[item] = {key: list(terms) for key, terms in found[item].items()}  # the caller adds to it
        linked += [t.value for terms in found[item].values() for t in terms if isinstance(t, ox.NamedNode)]
    return linked


def _columns(store, paths, items):
    """{item: {column key: [term]}} for the columns read from the store ({property IRI: key})."""
    columns = {item: {key: [] for key in paths.values()} for item in items}
    for start in range(0, len(items), 500):
        values = " ".join(str(ox.NamedNode(i)) for i in items[start : start + 500])
        # Every outgoing triple, its property checked here: Oxigraph answers this with one lookup
        # per item, where a UNION of one branch per column scans each column's property (3-6x slower).
        for row in store.query(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}"):
            key = paths.get(row["p"].value)
            if key is not None:
                columns[row["s"].value][key].append(row["o"])
    return columns

"""The records around a resource, for its page: drawn from the listings, so the numbers agree.

| the resource              | sections                                                       |
|---------------------------|----------------------------------------------------------------|
| Conference                | its resolutions in number order; its pledges grouped by theme  |
| Resolution                | the pledges citing it, by pledger category; reports citing it  |
| Organisation (any kind)   | its pledges by conference; the organisations it pledged with   |
| Theme, Country, Region, pledge type, pledger category | its pledges over the conferences   |
| Pledge                    | the reports on it                                              |

Each section is a dict: ``title`` (interface text), ``kind`` and its data:

* ``items``: ``items`` [IRIs], ``total``;
* ``groups``: ``groups`` [(value IRI or None, count, [IRIs])], ``param`` (the facet grouped by);
* ``counts``: ``counts`` [(value IRI or None, code, count)], ``param`` (the facet counted);

and, where a listing holds them all, ``listing`` = (slug, {param: code}) and ``total``. Every record
a section is about is in one of its rows: the pledges no value of the facet holds are a last group
or row, None ("not recorded"), so the rows add up to the total (more where a pledge has several).
"""

import pyoxigraph as ox

from ..namespaces import ID
from .kinds import CODE
from .labels import N_
from .listing import breakdown, count, grouped, matching_items

R = "https://w3id.org/rcrc/def/"
ORGANISATIONS = {R + c for c in ("Organisation", "MovementComponent", "NationalSociety", "Government", "Observer")}
FACET_OF_CLASS = {
    R + "Conference": "conference",
    R + "Resolution": "resolution",
    R + "Theme": "theme",
    R + "Country": "country",
    R + "Region": "region",
    R + "PledgeType": "pledge-type",
    R + "PledgerCategory": "pledger-category",
    **{c: "pledger" for c in ORGANISATIONS},
}
REPORTS_CITING = f"SELECT ?r WHERE {{ ?r <{R}citesResolution> ?this ; a <{R}PledgeReport> }}"
REPORTS_ON = f"SELECT ?r WHERE {{ ?r <{R}reportsOn> ?this }}"


def related(store, iri, types, chain=("en",)):
    """The sections of ``iri``'s page about the records around it (see the module docstring)."""
    return [s for s in _sections(store, iri, types, chain) if s.get("items") or s.get("groups") or s.get("counts")]


def _sections(store, iri, types, chain):
    if R + "Pledge" in types:
        return _items(N_("Reports on this pledge"), _subjects(store, REPORTS_ON, iri))
    param = next((FACET_OF_CLASS[t] for t in types if t in FACET_OF_CLASS), None)
    code = _code(param, iri)
    if code is None:
        return []
    selected = {param: code}
    pledges = count(store, "pledges", selected)
    if param == "conference":
        resolutions = matching_items(store, "resolutions", selected, chain)
        adopted = _items(N_("Resolutions adopted"), resolutions, ("resolutions", selected))
        groups = grouped(store, "pledges", selected, "theme", chain)
        return adopted + [_groups(N_("Pledges by theme"), "theme", groups, selected, pledges)]
    if param == "resolution":
        groups = grouped(store, "pledges", selected, "pledger-category", chain)
        title = N_("Pledges citing this resolution, by pledger category")
        reports = _subjects(store, REPORTS_CITING, iri)
        return [_groups(title, "pledger-category", groups, selected, pledges)] + _items(
            N_("Pledge reports citing this resolution"), reports
        )
    if param == "pledger":
        groups = grouped(store, "pledges", selected, "conference", chain)
        others = [c for c in breakdown(store, "pledges", selected, "pledger") if c[0] != iri]
        return [
            _groups(N_("Pledges by conference"), "conference", groups, selected, pledges),
            _counts(N_("Pledged together with"), "pledger", others, selected),
        ]
    counts = breakdown(store, "pledges", selected, "conference", unrecorded=True)
    return [_counts(N_("Pledges over the conferences"), "conference", counts, selected, pledges)]


def _code(param, iri):
    if param is None:
        return None
    prefix = str(ID) if param == "pledger" else f"{ID}{param}/"
    code = iri[len(prefix) :] if iri.startswith(prefix) else ""
    return code if CODE.match(code) else None  # an IRI no facet code can name has no listing


def _subjects(store, query, iri):
    rows = store.query(query.replace("?this", str(ox.NamedNode(iri))))  # a constant plans best (describe.py)
    return sorted({row["r"].value for row in rows if isinstance(row["r"], ox.NamedNode)})


def _items(title, items, listing_of=None):
    if not items:
        return []
    section = {"title": title, "kind": "items", "items": items, "total": len(items)}
    return [{**section, "listing": listing_of} if listing_of else section]


def _groups(title, param, groups, selected, total):
    section = {"title": title, "kind": "groups", "param": param, "groups": groups, "selected": selected}
    return {**section, "listing": ("pledges", selected), "total": total}


def _counts(title, param, counts, selected, total=None):
    section = {"title": title, "kind": "counts", "param": param, "counts": counts, "selected": selected}
    if total is not None:
        section.update(listing=("pledges", selected), total=total)
    return section


def iris_of(sections):
    """Every IRI the sections name, for one label lookup."""
    found = []
    for s in sections:
        found += s.get("items", [])
        for value, _, items in s.get("groups", []):
            found += ([value] if value else []) + items
        found += [value for value, _, _ in s.get("counts", []) if value]
    return found

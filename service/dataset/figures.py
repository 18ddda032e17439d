"""Figures for the home page: records per listing, and pledges per conference with their themes.

Every pledge counts once. A bar is one conference's pledges (pledges whose conference is not
known have a bar of their own); its segments share each pledge among its themes, so a pledge on
two themes gives half to each and the segments add up to the bar: the eight themes with the
largest shares over all conferences get a colour, the rest are "other themes", and pledges with
no theme recorded are a grey segment. The numbers come from the pledge listing's index, so the
chart, the listings and their exports agree.
"""

from ..pages.kinds import KINDS
from ..pages.listing import count, index
from ..pages.listing_index import natural_key
from ..pages.per_release import per_release

TOP_THEMES = 8
PALETTE = (
    "#b0000e",
    "#1f77b4",
    "#2ca02c",
    "#e6550d",
    "#9467bd",
    "#8c564b",
    "#d6338a",
    "#138a8a",
    "#737373",
    "#c7c7c7",
)
OTHER, NONE = "other", "none"


def counts(store):
    """[(listing slug, number of items)] for the five listings, unfiltered."""
    return [(slug, count(store, slug)) for slug in KINDS]


def pledges_by_conference(store):
    """[(conference IRI or "", pledges, {theme IRI or NONE: share})], conferences in date order."""
    return per_release(store, "pledges by conference", _pledges_by_conference)


def _pledges_by_conference(store):
    idx = index(store, KINDS["pledges"])
    themes_of = {}
    for theme, members in idx.values.get("theme", {}).items():
        for pledge in members:
            themes_of.setdefault(pledge, []).append(theme)
    conferences = sorted(idx.values.get("conference", {}).items(), key=lambda c: natural_key(c[0]))
    placed = set().union(*(members for _, members in conferences)) if conferences else set()
    unknown = [p for p in idx.items if p not in placed]
    rows = [(c, len(members), _shares(members, themes_of)) for c, members in conferences]
    if unknown:
        rows.append(("", len(unknown), _shares(unknown, themes_of)))
    return rows


def _shares(pledges, themes_of):
    shares = {}
    for pledge in pledges:
        themes = themes_of.get(pledge) or [NONE]
        for theme in themes:
            shares[theme] = shares.get(theme, 0.0) + 1 / len(themes)
    return shares


YEARS = "SELECT ?c ?year WHERE { ?c a <https://w3id.org/rcrc/def/Conference> ; <https://w3id.org/rcrc/def/year> ?year }"
TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def conference_years(store):
    """{conference IRI: year literal} of every conference, read once per release."""
    return per_release(store, "conference years", lambda s: {row["c"].value: row["year"] for row in s.query(YEARS)})


def triple_count(store):
    """Triples in the release (the union of its graphs), counted once per release."""
    return per_release(store, "triples", lambda s: int(next(iter(s.query(TRIPLES)))["n"].value))


def chart(rows, width=640, bar=22, gap=8, left=110):
    """Stacked bars as geometry for an SVG template: one bar per row of ``pledges_by_conference``."""
    totals = {}
    for _, _, shares in rows:
        for theme, share in shares.items():
            if theme != NONE:
                totals[theme] = totals.get(theme, 0.0) + share
    top = [t for t, _ in sorted(totals.items(), key=lambda x: (-x[1], x[0]))[:TOP_THEMES]]
    keys = top + [OTHER, NONE]
    longest = max((n for _, n, _ in rows), default=1) or 1
    scale = (width - left - 50) / longest
    bars = []
    for i, (conference, n, shares) in enumerate(rows):
        grouped = {}
        for theme, share in shares.items():
            slot = theme if theme in top or theme == NONE else OTHER
            grouped[slot] = grouped.get(slot, 0.0) + share
        x, segments = left, []
        for key in keys:
            if grouped.get(key):
                w = grouped[key] * scale
                colour = PALETTE[keys.index(key)]
                segments.append(
                    {"key": key, "x": round(x, 1), "width": round(w, 1), "share": grouped[key], "colour": colour}
                )
                x += w
        bars.append(
            {"conference": conference, "total": n, "y": i * (bar + gap), "segments": segments, "end": round(x, 1)}
        )
    used = {s["key"] for b in bars for s in b["segments"]}
    legend = [{"key": k, "colour": PALETTE[i]} for i, k in enumerate(keys) if k in used]
    height = max(len(bars) * (bar + gap), bar)
    return {"bars": bars, "legend": legend, "width": width, "height": height, "bar": bar, "left": left}

"""Figures for the home page: records per listing, and pledges per conference with their themes.

Every pledge counts once. A bar is one conference's pledges (pledges whose conference is not
known have a bar of their own); its segments share each pledge among its themes, so a pledge on
two themes gives half to each and the segments add up to the bar: the eight themes with the
largest shares over all conferences get a colour, the rest are "other themes", and pledges with
no theme recorded are a grey segment. The numbers are counted in SPARQL (``pages.home_figures``)
when the release's page index is built, and read from it (``pages.prepared``).
"""

import pyoxigraph as ox

from ..pages.home_figures import NONE
from ..pages.prepared import prepared

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
OTHER = "other"


def counts(store):
    """[(listing slug, number of items)] for the five listings, unfiltered."""
    return [tuple(row) for row in prepared(store).figures()["counts"]]


def pledges_by_conference(store):
    """[(conference IRI or "", pledges, {theme IRI or NONE: share})], conferences in date order."""
    return [tuple(row) for row in prepared(store).figures()["by_conference"]]


def conference_years(store):
    """{conference IRI: year literal} of every conference."""
    found = prepared(store)
    if not hasattr(found, "years"):  # pyoxigraph terms made once per index, not per page
        found.years = {iri: _literal(*value) for iri, value in found.figures()["years"].items()}
    return found.years


def _literal(value, datatype, language):
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(datatype))


def example_pledge(store):
    """A pledge to show as an example IRI (the first by number), or None."""
    return prepared(store).figures()["example"]


def triple_count(store):
    """Triples in the release (the union of its graphs)."""
    return prepared(store).figures()["triples"]


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

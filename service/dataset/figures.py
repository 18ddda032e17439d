"""Figures for the home page: records per listing, and pledges per conference with their themes.

Every pledge counts once. A bar is one conference's pledges (pledges whose conference is not
known have a bar of their own); its segments share each pledge among its themes, so a pledge on
two themes gives half to each and the segments add up to the bar: the eight themes with the
largest shares over all conferences get a colour, the rest are "other themes", and pledges with
no theme recorded are a grey segment. The numbers are counted in SPARQL over the same triples the
listings index, once per release, so the home page (a health check's target) never waits for the
listings' indexes to be built.
"""

from ..pages.kinds import KINDS
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
R = "https://w3id.org/rcrc/def/"
COUNT = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { VALUES ?class { %s } ?s a ?class }"
PER_CONFERENCE = f"""SELECT ?c (COUNT(DISTINCT ?p) AS ?n) WHERE {{
  ?p a <{R}Pledge> OPTIONAL {{ ?p <{R}conference> ?c }} }} GROUP BY ?c"""
# Each pledge shares itself among its themes (1/k each, k its number of themes; 1 to NONE if none).
SHARES = f"""SELECT ?c ?t (SUM(?share) AS ?shares) WHERE {{
  {{ SELECT ?p (COUNT(DISTINCT ?theme) AS ?k)
     WHERE {{ ?p a <{R}Pledge> OPTIONAL {{ ?p <{R}theme> ?theme }} }} GROUP BY ?p }}
  OPTIONAL {{ ?p <{R}conference> ?c }} OPTIONAL {{ ?p <{R}theme> ?t }}
  BIND(IF(?k = 0, 1.0, 1.0 / ?k) AS ?share)
}} GROUP BY ?c ?t"""


def counts(store):
    """[(listing slug, number of items)] for the five listings, unfiltered (once per release)."""
    return per_release(store, "listing counts", lambda s: [(slug, _count(s, kind)) for slug, kind in KINDS.items()])


def _count(store, kind):
    classes = " ".join(f"<{R}{c}>" for c in kind.classes)
    return int(next(iter(store.query(COUNT % classes)))["n"].value)


def pledges_by_conference(store):
    """[(conference IRI or "", pledges, {theme IRI or NONE: share})], conferences in date order."""
    return per_release(store, "pledges by conference", _pledges_by_conference)


def _pledges_by_conference(store):
    totals = {(row["c"].value if row["c"] else ""): int(row["n"].value) for row in store.query(PER_CONFERENCE)}
    shares = {}
    for row in store.query(SHARES):
        conference, theme = (row["c"].value if row["c"] else ""), (row["t"].value if row["t"] else NONE)
        shares.setdefault(conference, {})[theme] = float(row["shares"].value)
    order = sorted(totals, key=lambda c: (not c, natural_key(c)))  # by date; not known last
    return [(c, totals[c], shares.get(c, {})) for c in order]


YEARS = "SELECT ?c ?year WHERE { ?c a <https://w3id.org/rcrc/def/Conference> ; <https://w3id.org/rcrc/def/year> ?year }"
TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def conference_years(store):
    """{conference IRI: year literal} of every conference, read once per release."""
    return per_release(store, "conference years", lambda s: {row["c"].value: row["year"] for row in s.query(YEARS)})


FIRST_NUMBERED = f"SELECT ?p WHERE {{ ?p a <{R}Pledge> ; <{R}pledgeNumber> ?n }} ORDER BY ?n ?p LIMIT 1"


def example_pledge(store):
    """A pledge to show as an example IRI (the first by number), or None; once per release."""
    return per_release(
        store, "example pledge", lambda s: next((row["p"].value for row in s.query(FIRST_NUMBERED)), None)
    )


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

"""Figures for the home page: pledges per conference and theme, drawn as stacked bars."""

PLEDGES_BY_CONFERENCE_AND_THEME = """
SELECT ?c ?t (COUNT(DISTINCT ?p) AS ?n) WHERE {
  ?p a <https://w3id.org/rcrc/def/Pledge> .
  OPTIONAL { ?p <https://w3id.org/rcrc/def/conference> ?c }
  OPTIONAL { ?p <https://w3id.org/rcrc/def/theme> ?t }
} GROUP BY ?c ?t"""
ORDINALS = "SELECT ?c ?o WHERE { ?c <https://w3id.org/rcrc/def/ordinal> ?o }"
TOP_THEMES = 8
PALETTE = (
    "#b0000e",
    "#1f77b4",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#999999",
    "#cccccc",
)


def pledge_counts(store):
    """[(conference IRI or '', theme IRI or '', pledges)] and {conference IRI: ordinal}."""
    rows = [
        ((r["c"].value if r["c"] else ""), (r["t"].value if r["t"] else ""), int(r["n"].value))
        for r in store.query(PLEDGES_BY_CONFERENCE_AND_THEME)
    ]
    ordinals = {}
    for r in store.query(ORDINALS):
        try:
            ordinals[r["c"].value] = int(r["o"].value)
        except ValueError:
            continue
    return rows, ordinals


def chart(rows, ordinals, width=640, bar=22, gap=8, left=70):
    """Stacked bars, one per conference, one segment per theme: geometry for an SVG template.

    A pledge with several themes counts once in each, so a bar's length is pledge-theme pairs.
    The eight commonest themes get their own colour; the rest are "other themes"; pledges with
    no theme recorded are their own grey segment.
    """
    totals = {}
    for _, theme, n in rows:
        if theme:
            totals[theme] = totals.get(theme, 0) + n
    top = [t for t, _ in sorted(totals.items(), key=lambda x: (-x[1], x[0]))[:TOP_THEMES]]
    keys = top + ["other", "none"]
    per_conf = {}
    for conf, theme, n in rows:
        key = theme if theme in top else ("none" if not theme else "other")
        per_conf.setdefault(conf, {}).setdefault(key, 0)
        per_conf[conf][key] += n
    order = sorted(per_conf, key=lambda c: (c not in ordinals, ordinals.get(c, 0), c))
    longest = max((sum(v.values()) for v in per_conf.values()), default=1) or 1
    scale = (width - left - 40) / longest
    bars = []
    for i, conf in enumerate(order):
        y, x, segments = i * (bar + gap), left, []
        for key in keys:
            n = per_conf[conf].get(key, 0)
            if n:
                segments.append(
                    {
                        "key": key,
                        "x": round(x, 1),
                        "width": round(n * scale, 1),
                        "n": n,
                        "colour": PALETTE[keys.index(key)],
                    }
                )
                x += n * scale
        bars.append(
            {
                "conference": conf,
                "ordinal": ordinals.get(conf),
                "y": y,
                "segments": segments,
                "total": sum(per_conf[conf].values()),
                "end": round(x, 1),
            }
        )
    legend = [
        {"key": k, "colour": PALETTE[i]}
        for i, k in enumerate(keys)
        if any(s["key"] == k for b in bars for s in b["segments"])
    ]
    return {
        "bars": bars,
        "legend": legend,
        "width": width,
        "height": len(bars) * (bar + gap),
        "bar": bar,
        "left": left,
    }

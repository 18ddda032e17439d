"""The home page's figures, counted in SPARQL once per release when its page index is built.

Records per listing; pledges per conference with their themes (every pledge counts once; a
pledge on k themes gives 1/k to each, and 1 to "none" if it has no theme, so the shares add up to
the bar: ``dataset.figures.chart`` draws them); each conference's year; an example pledge; the
release's triples. Returned as JSON-ready data (``prepared_build`` stores it).
"""

from .kinds import KINDS, R
from .listing_index import natural_key

NONE = "none"
COUNT = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { VALUES ?class { %s } ?s a ?class }"
PER_CONFERENCE = f"""SELECT ?c (COUNT(DISTINCT ?p) AS ?n) WHERE {{
  ?p a <{R}Pledge> OPTIONAL {{ ?p <{R}conference> ?c }} }} GROUP BY ?c"""
SHARES = f"""SELECT ?c ?t (SUM(?share) AS ?shares) WHERE {{
  {{ SELECT ?p (COUNT(DISTINCT ?theme) AS ?k)
     WHERE {{ ?p a <{R}Pledge> OPTIONAL {{ ?p <{R}theme> ?theme }} }} GROUP BY ?p }}
  OPTIONAL {{ ?p <{R}conference> ?c }} OPTIONAL {{ ?p <{R}theme> ?t }}
  BIND(IF(?k = 0, 1.0, 1.0 / ?k) AS ?share)
}} GROUP BY ?c ?t"""
YEARS = f"SELECT ?c ?year WHERE {{ ?c a <{R}Conference> ; <{R}year> ?year }}"
FIRST_NUMBERED = f"SELECT ?p WHERE {{ ?p a <{R}Pledge> ; <{R}pledgeNumber> ?n }} ORDER BY ?n ?p LIMIT 1"
TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def figures(store):
    """{"counts": [[slug, n]], "by_conference": [[conference IRI or "", pledges, {theme or NONE: share}]],
    "years": {conference IRI: [lexical form, datatype IRI, language]}, "example": pledge IRI or None, "triples": n}."""
    return {
        "counts": [[slug, _count(store, kind)] for slug, kind in KINDS.items()],
        "by_conference": _pledges_by_conference(store),
        "years": {row["c"].value: _literal(row["year"]) for row in store.query(YEARS)},
        "example": next((row["p"].value for row in store.query(FIRST_NUMBERED)), None),
        "triples": int(next(iter(store.query(TRIPLES)))["n"].value),
    }


def _literal(term):
    return [term.value, term.datatype.value, term.language or ""]


def _count(store, kind):
    classes = " ".join(f"<{R}{c}>" for c in kind.classes)
    return int(next(iter(store.query(COUNT % classes)))["n"].value)


def _pledges_by_conference(store):
    totals = {(row["c"].value if row["c"] else ""): int(row["n"].value) for row in store.query(PER_CONFERENCE)}
    shares = {}
    for row in store.query(SHARES):
        conference, theme = (row["c"].value if row["c"] else ""), (row["t"].value if row["t"] else NONE)
        shares.setdefault(conference, {})[theme] = float(row["shares"].value)
    order = sorted(totals, key=lambda c: (not c, natural_key(c)))  # by date; not known last
    return [[c, totals[c], shares.get(c, {})] for c in order]

"""Search over labels and pledge text, and label autocomplete.

Every word of the query must occur (case-insensitively) in one literal of a searched property.
Hits are ranked: an exact label first, then a label starting with the query, a label containing
it, another name (alt label, document symbol, pledge number), and last the pledge text or
summary. Query words reach SPARQL only as literals written by pyoxigraph (quotes and
backslashes escaped), never as raw text.
"""

from dataclasses import dataclass, field

import pyoxigraph as ox

from .errors import InputError

SKOS = "http://www.w3.org/2004/02/skos/core#"
RCRC = "https://w3id.org/rcrc/def/"
LABELS = ("http://www.w3.org/2000/01/rdf-schema#label", SKOS + "prefLabel", "http://purl.org/dc/terms/title")
NAMES = (SKOS + "altLabel", SKOS + "notation", RCRC + "pledgeNumber")
TEXTS = (RCRC + "pledgeText", RCRC + "summary")
MAX_QUERY = 200
MAX_WORDS = 8
MAX_HITS = 1000  # distinct resources ranked per query; enough for any page a person reads


@dataclass
class Hit:
    iri: str
    score: int
    matched: str  # the literal that matched best
    lang: str
    predicate: str


@dataclass
class Results:
    query: str
    hits: list = field(default_factory=list)
    total: int = 0
    truncated: bool = False


def words(query):
    """The lower-cased words of a query, checked for size."""
    if len(query) > MAX_QUERY:
        raise InputError(f"a search is at most {MAX_QUERY} characters")
    found = [w for w in query.lower().split() if w][:MAX_WORDS]
    return found


def _sparql(predicates, terms, limit):
    values = " ".join(f"<{p}>" for p in predicates)
    checks = " && ".join(f"CONTAINS(LCASE(STR(?o)), {ox.Literal(w)})" for w in terms)
    return f"""SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o .
      FILTER(isIRI(?s) && isLiteral(?o) && {checks}) }} LIMIT {int(limit)}"""


def _score(predicate, text, phrase):
    lowered = text.lower()
    if predicate in LABELS:
        return 100 if lowered == phrase else 80 if lowered.startswith(phrase) else 60
    return 50 if predicate in NAMES else 20


def search(store, query, limit=20, offset=0):
    """Ranked hits for ``query`` (every word must match one literal)."""
    terms = words(query)
    results = Results(query)
    if not terms:
        return results
    phrase = " ".join(terms)
    best = {}
    rows = store.query(_sparql(LABELS + NAMES + TEXTS, terms, MAX_HITS * 5))
    for row in rows:
        iri, predicate, literal = row["s"].value, row["p"].value, row["o"]
        hit = Hit(
            iri, _score(predicate, literal.value, phrase), literal.value, literal.language or "", predicate
        )
        if iri not in best or (hit.score, -len(hit.matched)) > (best[iri].score, -len(best[iri].matched)):
            best[iri] = hit
    ranked = sorted(best.values(), key=lambda h: (-h.score, h.matched.lower(), h.iri))
    results.truncated = len(ranked) > MAX_HITS
    ranked = ranked[:MAX_HITS]
    results.total = len(ranked)
    results.hits = ranked[offset : offset + limit]
    return results


def suggest(store, prefix, limit=10):
    """Up to ``limit`` (IRI, label, lang) whose label or other name contains the typed text."""
    terms = words(prefix)
    if not terms or len(" ".join(terms)) < 2:
        return []
    phrase = " ".join(terms)
    best = {}
    for row in store.query(_sparql(LABELS + NAMES, terms, 500)):
        iri, text = row["s"].value, row["o"].value
        score = (not text.lower().startswith(phrase), row["p"].value not in LABELS, len(text))
        if iri not in best or score < best[iri][0]:
            best[iri] = (score, text, row["o"].language or "")
    ranked = sorted(best.items(), key=lambda item: (item[1][0], item[1][1].lower()))
    return [(iri, text, lang) for iri, (_, text, lang) in ranked[:limit]]

"""Search over labels and pledge text, and label autocomplete.

Every word of the query must occur (case-insensitively) in one literal of a searched property.
Hits are ranked: a resolution or conference the query cites ("Res. 3 of the 31st IC",
"32IC/15/R2", "31st IC": read the way reconciliation reads them, ``reconcile.keys``) first, then
an exact label, a label starting with the query, a label containing it, another name (alt label,
document symbol, pledge number), and last the pledge text or summary. The searched literals are
read once per release into memory (``text_index``) and scanned there, so query words never reach
SPARQL at all. ``contexts`` says what each hit is and where it belongs (its classes, its conference).
"""

import threading
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..errors import InputError
from ..namespaces import ID
from ..reconcile.keys import parse_conference, parse_resolution
from .listing_index import labels_of

SKOS = "http://www.w3.org/2004/02/skos/core#"
RCRC = "https://w3id.org/rcrc/def/"
LABELS = ("http://www.w3.org/2000/01/rdf-schema#label", SKOS + "prefLabel", "http://purl.org/dc/terms/title")
NAMES = (SKOS + "altLabel", SKOS + "notation", RCRC + "pledgeNumber")
TEXTS = (RCRC + "pledgeText", RCRC + "summary")
MAX_QUERY = 200
MAX_WORDS = 8
MAX_HITS = 1000  # distinct resources ranked per query; enough for any page a person reads
CITED = "reference"  # the Hit.predicate of a resolution or conference the query cites
ALL = frozenset(LABELS + NAMES + TEXTS)
NAMED = frozenset(LABELS + NAMES)


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


def _sparql(predicates):
    # Plain UNION branches, no FILTER: Virtuoso's compiler fails on a FILTER beside a BIND
    # (SP031); subjects and objects are checked in Python instead.
    branches = " UNION ".join(f"{{ ?s <{p}> ?o BIND(<{p}> AS ?p) }}" for p in predicates)
    return f"SELECT ?s ?p ?o WHERE {{ {branches} }}"


_indexes = {}
_lock = threading.Lock()


def text_index(store):
    """[(lower-cased text, IRI, predicate, text, lang)] of every searched literal, per release.

    A substring scan in Python over this list takes milliseconds at 1 M triples; the same scan in
    SPARQL (CONTAINS over every label) takes about a second, because Oxigraph decodes and
    lower-cases each literal per query. A release never changes, so the index never goes stale.
    """
    key = (id(store), getattr(store, "current_release", lambda: None)())
    with _lock:
        if key not in _indexes:
            entries = []
            for row in store.query(_sparql(LABELS + NAMES + TEXTS)):
                if not isinstance(row["s"], ox.NamedNode) or not isinstance(row["o"], ox.Literal):
                    continue
                text = row["o"].value
                entries.append((text.lower(), row["s"].value, row["p"].value, text, row["o"].language or ""))
            _indexes.clear()
            _indexes[key] = entries
        return _indexes[key]


def _matches(store, terms, predicates):
    return [e for e in text_index(store) if e[2] in predicates and all(t in e[0] for t in terms)]


def _score(predicate, text, phrase):
    lowered = text.lower()
    if predicate in LABELS:
        return 100 if lowered == phrase else 80 if lowered.startswith(phrase) else 60
    return 50 if predicate in NAMES else 20


def _rank(hit):
    """The best literal of one resource: highest score, then shortest, then a fixed order (not the store's)."""
    return (hit.score, -len(hit.matched), hit.predicate, hit.matched, hit.lang)


def search(store, query, limit=20, offset=0):
    """Ranked hits for ``query`` (every word must match one literal)."""
    terms = words(query)
    results = Results(query)
    if not terms:
        return results
    phrase = " ".join(terms)
    best = {hit.iri: hit for hit in cited(store, query)}
    for _, iri, predicate, text, lang in _matches(store, terms, ALL):
        hit = Hit(iri, _score(predicate, text, phrase), text, lang, predicate)
        if iri not in best or _rank(hit) > _rank(best[iri]):
            best[iri] = hit
    ranked = sorted(best.values(), key=lambda h: (-h.score, h.matched.lower(), h.iri))
    results.truncated = len(ranked) > MAX_HITS
    ranked = ranked[:MAX_HITS]
    results.total = len(ranked)
    results.hits = ranked[offset : offset + limit]
    return results


def cited(store, query):
    """Hits for the resolution or conference ``query`` cites, when the data has it (score 200)."""
    reference = parse_resolution(query)
    if reference:
        iri = f"{ID}resolution/{reference[0]}/{reference[1]}"
    else:
        conference = parse_conference(query)
        iri = f"{ID}conference/{conference}" if conference else None
    if iri is None:
        return []
    names = labels_of(store, [iri]).get(iri)
    if not names:
        return []
    text, lang = min(names, key=lambda n: (n[1] != "en", n[0]))
    return [Hit(iri, 200, text, lang, CITED)]


CONTEXT = """SELECT ?s ?type ?conference WHERE { VALUES ?s { %s }
  { ?s a ?type } UNION { ?s <https://w3id.org/rcrc/def/conference> ?conference } }"""


def contexts(store, iris):
    """{IRI: {"types": [class IRIs], "conferences": [conference IRIs]}} for search hits."""
    found = {iri: {"types": [], "conferences": []} for iri in iris}
    for start in range(0, len(iris), 500):
        values = " ".join(str(ox.NamedNode(i)) for i in iris[start : start + 500])
        for row in store.query(CONTEXT % values):
            entry = found[row["s"].value]
            if row["type"] is not None:
                entry["types"].append(row["type"].value)
            if row["conference"] is not None:
                entry["conferences"].append(row["conference"].value)
    return found


def suggest(store, prefix, limit=10):
    """Up to ``limit`` (IRI, label, lang) whose label or other name contains the typed text."""
    terms = words(prefix)
    if not terms or len(" ".join(terms)) < 2:
        return []
    phrase = " ".join(terms)
    best = {}
    for lowered, iri, predicate, text, lang in _matches(store, terms, NAMED):
        score = (not lowered.startswith(phrase), predicate not in LABELS, len(text))
        if iri not in best or (score, text, lang) < best[iri]:  # ties broken by the text, not the store's order
            best[iri] = (score, text, lang)
    ranked = sorted(best.items(), key=lambda item: (item[1][0], item[1][1].lower()))
    return [(iri, text, lang) for iri, (_, text, lang) in ranked[:limit]]

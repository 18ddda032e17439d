"""Search over labels and pledge text, and label autocomplete.

Every word of the query must occur (case-insensitively) in one literal of a searched property.
Hits are ranked: a resolution or conference the query cites ("Res. 3 of the 31st IC",
"32IC/15/R2", "31st IC": read the way reconciliation reads them, ``reconcile.keys``) first, then
an exact label, a label starting with the query, a label containing it, another name (alt label,
document symbol, pledge number), and last the pledge text or summary. The searched literals are
in the release's page index (``prepared``): its FTS5 trigram index finds the literals holding
every word of three letters or more, and an exact substring test of every word (``instr`` on the
lower-cased text, as Python's ``in``) keeps the matches; ranking is done there too. Query words
are bound as values (each word a quoted FTS5 string), never read as query syntax, and never reach
SPARQL. ``contexts`` says what each hit is and where it belongs (its classes, its conference).
"""

from dataclasses import dataclass, field

import pyoxigraph as ox

from ..errors import InputError
from ..namespaces import ID
from ..reconcile.keys import parse_conference, parse_resolution
from .listing_index import labels_of
from .prepared import prepared
from .prepared_build import LABELS, NAMES, TEXTS

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
    """The lower-cased words of a query, checked for size and for control characters (InputError)."""
    if len(query) > MAX_QUERY:
        raise InputError(f"a search is at most {MAX_QUERY} characters")
    if any(ord(c) < 32 and not c.isspace() or ord(c) == 127 for c in query):
        raise InputError("a search cannot hold control characters")
    found = [w for w in query.lower().split() if w][:MAX_WORDS]
    return found


# The literals holding every word; kind 0 is a label, 1 another name, 2 the pledge text.
MATCHES = """SELECT iri, predicate, kind, text, lang, lowered FROM texts WHERE {where}"""
FTS = "id IN (SELECT rowid FROM search WHERE search MATCH :fts)"
# A label or another name that is the phrase scores 100 ("ICRC", "SP320067"); a label starting with
# it 80, else 60; another name 50; text 20. Each resource keeps its best literal: highest score,
# then shortest, then a fixed order (not the store's); resources by score, the dataset's own before
# the source documents it cites, then their literal, then IRI.
RANKED = """WITH m AS ({matches}), scored AS (
  SELECT *, CASE WHEN kind < 2 AND lowered = :phrase THEN 100
                 WHEN kind = 0 THEN (CASE WHEN substr(lowered, 1, length(:phrase)) = :phrase THEN 80 ELSE 60 END)
                 WHEN kind = 1 THEN 50 ELSE 20 END AS score FROM m WHERE iri != :cited),
best AS (SELECT *, row_number() OVER (PARTITION BY iri
                    ORDER BY score DESC, length(text), predicate DESC, text DESC, lang DESC) AS r FROM scored)
SELECT iri, score, text, lang, predicate FROM best WHERE r = 1
ORDER BY score DESC, substr(iri, 1, length(:ours)) != :ours, lowered, iri LIMIT :limit"""


def _where(terms, named):
    """The WHERE clause and its parameters: the FTS5 lookup (words of 3+ letters, each a quoted
    string), then an exact substring test per word."""
    long_words = [t for t in terms if len(t) >= 3]
    clauses, parameters = [], {f"t{i}": t for i, t in enumerate(terms)}
    if long_words:
        clauses.append(FTS)
        parameters["fts"] = " ".join('"' + t.replace('"', '""') + '"' for t in long_words)
    clauses += [f"instr(lowered, :t{i}) > 0" for i in range(len(terms))]
    if named:
        clauses.append("kind < 2")
    return " AND ".join(clauses), parameters


def search(store, query, limit=20, offset=0):
    """Ranked hits for ``query`` (every word must match one literal)."""
    terms = words(query)
    results = Results(query)
    if not terms:
        return results
    ranked = cited(store, query)
    where, parameters = _where(terms, named=False)
    parameters.update(phrase=" ".join(terms), cited=ranked[0].iri if ranked else "", limit=MAX_HITS + 1, ours=str(ID))
    rows = prepared(store).rows(RANKED.format(matches=MATCHES.format(where=where)), parameters)
    ranked += [Hit(iri, score, text, lang, predicate) for iri, score, text, lang, predicate in rows]
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
    """{IRI: {"types": [class IRIs], "conferences": [conference IRIs]}} for search hits, read
    from the store once per process (``Prepared.remembered``)."""
    return prepared(store).remembered("search contexts", iris, lambda missing: _contexts(store, missing), {})


def _contexts(store, iris):
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
    where, parameters = _where(terms, named=True)
    best = {}
    for iri, _, kind, text, lang, lowered in prepared(store).rows(MATCHES.format(where=where), parameters):
        score = (lowered != phrase, not lowered.startswith(phrase), not iri.startswith(str(ID)), kind != 0, len(text))
        if iri not in best or (score, text, lang) < best[iri]:  # ties broken by the text, not the store's order
            best[iri] = (score, text, lang)
    ranked = sorted(best.items(), key=lambda item: (item[1][0], item[1][1].lower(), item[0]))
    return [(iri, text, lang) for iri, (_, text, lang) in ranked[:limit]]

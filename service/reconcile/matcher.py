"""Reconciliation: match names other datasets use to our IRIs, with scores from 0 to 100.

An in-memory index of every name (labels in all languages, alternative names, notations,
codes) of the reconcilable resources is built from the store lazily, and rebuilt when the
published release changes. A query is matched three ways, best score wins per resource:

* citations parsed from the text: "32IC/15/R2", "Res. 3 of the 31st IC", "31st Conference";
* exact look-ups: codes (ISO, FDRS, pledge numbers, notations, acronyms) and normalised names;
* fuzzy matching (rapidfuzz) of the normalised query against normalised names.

``match`` is true only when the best candidate is both high and clearly ahead of the next.
"""

import re
import threading
import time
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..errors import InputError
from .index import DEF, TYPE_BY_ID, TYPES, build_index
from .keys import code_key, normalise, numbers, parse_conference, parse_resolution

MATCH_SCORE = 85  # a match must score at least this ...
MATCH_GAP = 10  # ... and lead the runner-up by at least this much,
EXACT = 98  # ... unless it is the only exact one (exact names, codes, citations score 98-100)
NUMBERS_DIFFER = 75  # fuzzy similarity of names whose numbers differ is capped: "Res. 3" is not "Res. 4"
MAX_QUERY_CHARS = 500
MAX_LIMIT = 50
NS_COUNTRY_WEIGHT = 90  # "Kenya" as a National Society: likely, never certain
WEAK_KIND_GAP = 10  # untyped queries: another kind of thing than the best's must score within this


# -- matching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    text: str
    types: tuple = ()
    limit: int = 5
    properties: tuple = ()  # ((property IRI, [values]), ...)


def name_scores(index, query):
    """{iri: score} from citations, codes, exact names and fuzzy names."""
    text = query.text
    ns_prefix = re.match(r"^\s*NS\s*[-–:]\s*(.+)$", text)
    types = query.types
    if ns_prefix:  # the 31st Conference's pledge database writes "NS - Bulgaria"
        text, types = ns_prefix.group(1), (DEF + "NationalSociety",)
    scores = {}

    def offer(iri, score):
        scores[iri] = max(scores.get(iri, 0), score)

    for iri, score in _citations(index, text):
        offer(iri, score)
    for iri in index.codes.get(code_key(text), ()):
        offer(iri, 100)
    for iri, score in index.exact.get(normalise(text), {}).items():
        offer(iri, score)
    for iri, score in index.exact.get(normalise(text, drop_weak=True), {}).items():
        offer(iri, score - 2)
    if DEF + "NationalSociety" in types and normalise(text) in index.ns_by_country:
        offer(index.ns_by_country[normalise(text)], 100 if ns_prefix else NS_COUNTRY_WEIGHT)
    for iri, score in _fuzzy(index, text):
        offer(iri, score)
    return scores, types


def _citations(index, text):
    cited = parse_resolution(text)
    if cited:  # a resolution citation names a resolution, never just its conference
        if (cited[0], cited[1]) in index.resolutions:
            iri, year = index.resolutions[(cited[0], cited[1])]
            yield iri, 100 if year is None or cited[2] in (None, year) else 80
        return
    conference = parse_conference(text)
    if conference in index.conferences:
        yield index.conferences[conference], 100


def _fuzzy(index, text):
    """Fuzzy scores: whole-name similarity, or containment discounted by how much is left over."""
    key = normalise(text, drop_weak=True)
    if len(key) < 3 or not index.choices:
        return
    found, wanted = {}, numbers(text)
    for scorer in (fuzz.token_sort_ratio, fuzz.token_set_ratio):
        for _, score, pos in process.extract(key, index.choices, scorer=scorer, limit=None, score_cutoff=60):
            if scorer is fuzz.token_set_ratio:
                score *= _coverage(key, index.choices[pos])
            iri, weight = index.owners[pos]
            if wanted and index.numbers[pos] and wanted != index.numbers[pos]:
                score = min(score, NUMBERS_DIFFER)
            found[iri] = max(found.get(iri, 0), min(score, weight - 3))  # fuzzy never ties an exact name
    yield from found.items()


def _coverage(a, b):
    """0.7..1: how much of the longer name the shorter one covers, in words."""
    la, lb = len(a.split()), len(b.split())
    return 0.7 + 0.3 * min(la, lb) / max(la, lb)


def rank(index, query, languages, property_scores=None):
    """Candidates for one query, best first, with match flags."""
    scores, types = name_scores(index, query)
    candidates = []
    for iri, score in scores.items():
        entity = index.entities.get(iri)
        if entity is None or (types and not entity.types.intersection(types)):
            continue
        candidates.append([iri, score, score])
    if property_scores and query.properties:
        by_iri = property_scores([c[0] for c in candidates], query.properties)
        for candidate in candidates:
            props = by_iri[candidate[0]]
            candidate[1] = (2 * candidate[2] + sum(props)) / (2 + len(props))
    candidates.sort(key=lambda c: (-c[1], c[0]))
    if not types:
        candidates = _drop_weak_kinds(index, candidates)
    candidates = candidates[: query.limit]
    return [_candidate(index, c, i, candidates, languages) for i, c in enumerate(candidates)]


def _drop_weak_kinds(index, candidates):
    """Without a type asked for, keep other kinds of thing than the best's only when they come close.

    Clients guess a column's type from the candidates' types (OpenRefine sums them), so a
    Conference scoring 72 beside an Organisation scoring 100 would be a wrong guess, not a choice.
    """
    if not candidates:
        return candidates
    best_kind = _kinds(index.entities[candidates[0][0]])
    floor = candidates[0][1] - WEAK_KIND_GAP
    return [c for c in candidates if c[1] >= floor or _kinds(index.entities[c[0]]) & best_kind]


def _kinds(entity):
    """The top-level types (Organisation, Resolution, Pledge, Theme, Conference) of an entity."""
    return {t for t in entity.types if not TYPE_BY_ID[t].parent}


def _candidate(index, candidate, position, candidates, languages):
    iri, score, name_score = candidate
    entity = index.entities[iri]
    runner_up = candidates[1][1] if len(candidates) > 1 else 0
    clear = score - runner_up >= MATCH_GAP or (score >= EXACT and runner_up < EXACT)
    match = position == 0 and score >= MATCH_SCORE and clear
    return {
        "id": iri,
        "name": entity.name(languages),
        "score": round(score, 1),
        "match": match,
        "type": [{"id": t, "name": TYPE_BY_ID[t].name} for t in sorted(entity.types)],
        "description": entity.description(),
        "features": [{"id": "name_score", "value": round(name_score, 1)}],
    }


# -- the service object -----------------------------------------------------------------------


class Reconciler:
    """Reconciliation over one store; the index follows the published release."""

    def __init__(self, store, languages=("en", "fr", "es", "ar"), ttl=300):
        self.store = store
        self.languages = list(languages)
        self.ttl = ttl  # for stores that cannot name their release (remote)
        self._lock = threading.Lock()
        self._key = None
        self._index = None

    def _release_key(self):
        release = getattr(self.store, "current_release", lambda: None)()
        return release or ("ttl", int(time.monotonic() // self.ttl))

    def index(self):
        """The index of the current release, built on first use after a change."""
        key = self._release_key()
        with self._lock:
            if self._index is None or key != self._key:
                self._index, self._key = build_index(self.store), key
            return self._index

    def reconcile(self, query, property_scores=None):
        """Candidates for one parsed Query."""
        return rank(self.index(), query, self.languages, property_scores)

    def suggest_entities(self, prefix, types=(), limit=10, cursor=0):
        """Entities whose names start with (or closely resemble) ``prefix``, for autocompletion.

        ``cursor`` skips that many suggestions (the next page starts at cursor + limit).
        """
        index = self.index()
        key = normalise(prefix)
        scored = {}
        for iri, entity in index.entities.items():
            if types and not entity.types.intersection(types):
                continue
            names = [normalise(n) for n in entity.labels.values()]
            if any(n.startswith(key) for n in names) or code_key(prefix) in map(code_key, entity.labels.values()):
                scored[iri] = 100
        # every candidate, not just the first cursor + limit: pages must cut one fixed order
        for candidate in rank(index, Query(prefix, tuple(types), len(index.entities)), self.languages):
            scored.setdefault(candidate["id"], candidate["score"])
        best = sorted(scored, key=lambda iri: (-scored[iri], index.entities[iri].name(self.languages), iri))
        return [self._brief(index.entities[iri]) for iri in best[cursor : cursor + limit]]

    def _brief(self, entity):
        return {
            "id": entity.iri,
            "name": entity.name(self.languages),
            "description": entity.description(),
            "notable": [{"id": t, "name": TYPE_BY_ID[t].name} for t in sorted(entity.types)],
        }

    def entity(self, iri):
        """The indexed entity for an IRI, or None."""
        return self.index().entities.get(iri)


def check_types(value):
    """A type constraint as a tuple of our type IRIs; short names ('NationalSociety') are accepted."""
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise InputError("type must be a string or a list of strings")
    out = []
    for v in values:
        iri = v if v in TYPE_BY_ID else DEF + v.split(":")[-1]
        if iri not in TYPE_BY_ID:
            raise InputError(f"unknown type {v[:80]!r}; known: {', '.join(t.id for t in TYPES)}")
        out.append(iri)
    return tuple(out)

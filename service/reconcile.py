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
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .errors import InputError
from .namespaces import RCRC, sparql_prologue
from .text import ascii_fold, ordinal

DEF = str(RCRC._NS)


@dataclass(frozen=True)
class ReconType:
    id: str
    name: str
    parent: str = ""


TYPES = (
    ReconType(DEF + "Organisation", "Organisation"),
    ReconType(DEF + "NationalSociety", "National Society", DEF + "Organisation"),
    ReconType(DEF + "Government", "Government", DEF + "Organisation"),
    ReconType(DEF + "MovementComponent", "Movement component", DEF + "Organisation"),
    ReconType(DEF + "Observer", "Observer", DEF + "Organisation"),
    ReconType(DEF + "Resolution", "Resolution"),
    ReconType(DEF + "Pledge", "Pledge"),
    ReconType(DEF + "Theme", "Theme"),
    ReconType(DEF + "Conference", "Conference"),
)
TYPE_BY_ID = {t.id: t for t in TYPES}

MATCH_SCORE = 85  # a match must score at least this ...
MATCH_GAP = 10  # ... and lead the runner-up by at least this much,
EXACT = 98  # ... unless it is the only exact one (exact names, codes, citations score 98-100)
NUMBERS_DIFFER = 75  # fuzzy similarity of names whose numbers differ is capped: "Res. 3" is not "Res. 4"
SHORT_TITLE = 95  # "Bringing IHL home" for "Bringing IHL home: A road map for ..."
MAX_QUERY_CHARS = 500
MAX_LIMIT = 50
NS_COUNTRY_WEIGHT = 90  # "Kenya" as a National Society: likely, never certain

STOP_WORDS = frozenset(
    "the of a an and in for to at on la le les l de du des d et en pour el los las y del da do dos das e".split()
)
WEAK_WORDS = frozenset("society societe sociedad national nationale nacional".split())


def fold(text):
    """Lower-case ASCII with accents removed and punctuation turned into spaces."""
    text = ascii_fold(text).lower()
    return re.sub(r"[^a-z0-9]+", " ", text.replace("&", " and ")).strip()


def normalise(text, drop_weak=False):
    """Folded words without articles and (optionally) generic words such as 'society'."""
    words = fold(text).split()
    kept = [w for w in words if w not in STOP_WORDS and not (drop_weak and w in WEAK_WORDS)]
    return " ".join(kept or words)


def code_key(text):
    """Codes compare on letters and digits only: '32IC/15/R2' -> '32ic15r2'."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


def numbers(text):
    """The numbers a name contains, as a set of strings."""
    return frozenset(re.findall(r"\d+", str(text)))


def is_acronym(text):
    return bool(re.fullmatch(r"[A-Z][A-Z0-9]{1,7}", text.strip()))


# -- citations --------------------------------------------------------------------------------

ORD = r"(\d{1,2})\s*(?:st|nd|rd|th|e|eme|er|re)?"
CONF = r"(?:ic|international\s+conference|conference\s+internationale|conference|conf)"
RES = r"(?:resolutions?|res|r)\s*(?:no\s*)?(\d{1,2})"
CITATIONS = (  # each yields (conference ordinal, resolution number) in this order or reversed
    (re.compile(r"\b(\d{1,2})\s*ic\s*(\d{2})\s*r\s*(\d{1,2})\b"), "symbol"),
    (re.compile(rf"\b{RES}\s+(?:of|at|adopted\s+by|de|du)?\s*(?:the|la|le)?\s*{ORD}\s*{CONF}\b"), "res-first"),
    (re.compile(rf"\b{ORD}\s*{CONF}\b.*?\b{RES}\b"), "conf-first"),
    (re.compile(r"^\s*(?:resolution|res)\s*(\d{1,2})\s+(\d{1,2})\s*$"), "slash"),  # "Resolution 31/3"
)
CONFERENCE_ONLY = re.compile(rf"^\s*(?:the\s+)?{ORD}\s*{CONF}\b(?!.*\b(?:resolution|res)\b)")


def parse_resolution(text):
    """(conference ordinal, resolution number, two-digit year or None) cited in ``text``, or None."""
    folded = fold(text)
    for pattern, kind in CITATIONS:
        m = pattern.search(folded)
        if not m:
            continue
        if kind == "symbol":
            return int(m.group(1)), int(m.group(3)), m.group(2)
        if kind == "res-first":
            return int(m.group(2)), int(m.group(1)), None
        return int(m.group(1)), int(m.group(2)), None
    return None


def parse_conference(text):
    """The conference ordinal a text such as '32nd IC' names, or None."""
    m = CONFERENCE_ONLY.search(fold(text))
    return int(m.group(1)) if m else None


# -- the index --------------------------------------------------------------------------------

NAME_PROPERTIES = "rdfs:label skos:prefLabel skos:altLabel dcterms:title dcterms:alternative"
CODE_PROPERTIES = "skos:notation rcrc:pledgeNumber rcrc:fdrsCode"
TYPE_VALUES = " ".join(f"<{t.id}>" for t in TYPES)

Q_NAMES = f"""SELECT ?s ?type ?p ?name WHERE {{
  VALUES ?type {{ {TYPE_VALUES} }} ?s a ?type .
  OPTIONAL {{ VALUES ?p {{ {NAME_PROPERTIES} {CODE_PROPERTIES} }} ?s ?p ?name }}
}}"""
Q_COUNTRIES = """SELECT ?s ?code ?cname WHERE {
  VALUES ?type { rcrc:NationalSociety rcrc:Government } ?s a ?type ; rcrc:country ?c .
  OPTIONAL { ?c rcrc:isoAlpha2|rcrc:isoAlpha3 ?code } OPTIONAL { ?c rdfs:label ?cname }
}"""
Q_RESOLUTIONS = """SELECT ?s ?ord ?num ?year WHERE {
  ?s a rcrc:Resolution ; rcrc:resolutionNumber ?num ; rcrc:conference ?c . ?c rcrc:ordinal ?ord .
  OPTIONAL { ?c rcrc:year ?year }
}"""
Q_CONFERENCES = """SELECT ?s ?ord ?year WHERE {
  ?s a rcrc:Conference ; rcrc:ordinal ?ord . OPTIONAL { ?s rcrc:year ?year } }"""
Q_PLEDGES = """SELECT ?s ?num ?ord WHERE { ?s a rcrc:Pledge .
  OPTIONAL { ?s rcrc:pledgeNumber ?num } OPTIONAL { ?s rcrc:conference/rcrc:ordinal ?ord } }"""


@dataclass
class Entity:
    iri: str
    types: set = field(default_factory=set)  # our type IRIs, with their parents
    labels: dict = field(default_factory=dict)  # language -> first label seen
    details: list = field(default_factory=list)  # short facts for the description
    country_names: set = field(default_factory=set)

    def name(self, languages):
        """The label in the first language of ``languages`` that has one."""
        for lang in [*languages, "", *sorted(self.labels)]:
            if lang in self.labels:
                return self.labels[lang]
        return self.iri.rsplit("/", 1)[-1]

    def description(self):
        kinds = [TYPE_BY_ID[t].name for t in self.types if TYPE_BY_ID[t].parent or t not in _PARENTS]
        return " · ".join(sorted(kinds) + self.details)


_PARENTS = {t.parent for t in TYPES if t.parent}


class Index:
    """Every name of every reconcilable resource in one release, ready for matching."""

    def __init__(self):
        self.entities = {}
        self.codes = {}  # code_key -> {iri}
        self.exact = {}  # normalised name -> {iri: score}
        self.choices = []  # normalised names (weak words dropped), for rapidfuzz
        self.owners = []  # (iri, best score) of each choice, same positions
        self.numbers = []  # the numbers in each choice, same positions
        self.resolutions = {}  # (ordinal, number) -> (iri, two-digit year or None)
        self.conferences = {}  # ordinal -> iri
        self.ns_by_country = {}  # normalised country name -> iri of its National Society

    def entity(self, iri):
        if iri not in self.entities:
            self.entities[iri] = Entity(iri)
        return self.entities[iri]

    def add_type(self, iri, type_iri):
        entity = self.entity(iri)
        entity.types.add(type_iri)
        if TYPE_BY_ID[type_iri].parent:
            entity.types.add(TYPE_BY_ID[type_iri].parent)

    def add_code(self, iri, text):
        self.codes.setdefault(code_key(text), set()).add(iri)

    def add_name(self, iri, text, language="", score=100):
        """Register a name: exact look-ups score ``score``, fuzzy ones at most that."""
        entity = self.entity(iri)
        if score == 100:
            entity.labels.setdefault(language, str(text))
        if is_acronym(text):
            self.add_code(iri, text)  # 'ICRC' and 'IFRC' must not fuzzy-match each other
            return
        for key, value in ((normalise(text), score), (normalise(text, drop_weak=True), score - 2)):
            best = self.exact.setdefault(key, {})
            best[iri] = max(best.get(iri, 0), value)
        self.choices.append(normalise(text, drop_weak=True))
        self.owners.append((iri, score))
        self.numbers.append(numbers(text))


def build_index(store):
    """Read every reconcilable resource's names from the store into an Index."""
    index = Index()

    def rows(q):
        return store.query(sparql_prologue() + q)

    for row in rows(Q_NAMES):
        iri = row["s"].value
        index.add_type(iri, row["type"].value)
        if row["p"] is not None:
            _add_value(index, iri, row["p"].value, row["name"])
    for row in rows(Q_COUNTRIES):
        _add_country(index, row)
    for row in rows(Q_RESOLUTIONS):
        conference, number = int(row["ord"].value), int(row["num"].value)
        year = row["year"].value[2:4] if row["year"] is not None else None
        index.resolutions[(conference, number)] = (row["s"].value, year)
        index.entity(row["s"].value).details.append(f"Resolution {number} of the {ordinal(conference)} Conference")
    for row in rows(Q_CONFERENCES):
        index.conferences[int(row["ord"].value)] = row["s"].value
        if row["year"] is not None:
            index.entity(row["s"].value).details.append(row["year"].value)
    for row in rows(Q_PLEDGES):
        entity = index.entity(row["s"].value)
        entity.details += [row[k].value for k in ("num",) if row[k] is not None]
        if row["ord"] is not None:
            entity.details.append(f"{ordinal(int(row['ord'].value))} Conference")
    return index


def _add_value(index, iri, predicate, literal):
    language = getattr(literal, "language", None) or ""
    if predicate.endswith(("notation", "pledgeNumber", "fdrsCode")):
        index.add_code(iri, literal.value)
    elif predicate.endswith("altLabel"):
        index.add_name(iri, literal.value, language, score=99)
    else:
        index.add_name(iri, literal.value, language)
        head = literal.value.split(": ", 1)[0]
        if head != literal.value:
            index.add_name(iri, head, language, score=SHORT_TITLE)


def _add_country(index, row):
    iri = row["s"].value
    entity = index.entity(iri)
    if row["code"] is not None:
        index.add_code(iri, row["code"].value)
    if row["cname"] is None:
        return
    name = row["cname"].value
    if name not in entity.country_names:
        entity.country_names.add(name)
        entity.details.append(name)
    if DEF + "Government" in entity.types:
        index.add_name(iri, name, score=99)  # "Australia" as a pledger is its government
    else:
        index.ns_by_country[normalise(name)] = iri


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
    candidates = candidates[: query.limit]
    return [_candidate(index, c, i, candidates, languages) for i, c in enumerate(candidates)]


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

    def suggest_entities(self, prefix, types=(), limit=10):
        """Entities whose names start with (or closely resemble) ``prefix``, for autocompletion."""
        index = self.index()
        key = normalise(prefix)
        scored = {}
        for iri, entity in index.entities.items():
            if types and not entity.types.intersection(types):
                continue
            names = [normalise(n) for n in entity.labels.values()]
            if any(n.startswith(key) for n in names) or code_key(prefix) in map(code_key, entity.labels.values()):
                scored[iri] = 100
        for candidate in rank(index, Query(prefix, tuple(types), limit), self.languages):
            scored.setdefault(candidate["id"], candidate["score"])
        best = sorted(scored, key=lambda iri: (-scored[iri], index.entities[iri].name(self.languages)))
        return [self._brief(index.entities[iri]) for iri in best[:limit]]

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

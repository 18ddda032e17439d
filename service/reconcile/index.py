"""The reconciliation index: every name, code and citation target of one release, in memory.

Built from the store with a few SPARQL queries (labels in all languages, alternative names,
notations, codes, countries, resolution and conference numbers, and the everyday short names of
National Societies, ``shortnames``), rebuilt when the release changes.
"""

from dataclasses import dataclass, field

from ..namespaces import RCRC, sparql_prologue
from ..text import ordinal
from .keys import code_key, is_acronym, normalise, numbers
from .shortnames import Q_SOCIETIES, add_everyday_names

SHORT_TITLE = 95  # "Bringing IHL home" for "Bringing IHL home: A road map for ..."

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
        self.add_key(iri, text, score)
        self.choices.append(normalise(text, drop_weak=True))
        self.owners.append((iri, score))
        self.numbers.append(numbers(text))


    def add_key(self, iri, text, score):
        """An exact look-up of ``text`` (and of it without generic words, 2 less) for ``iri``; never fuzzy."""
        for key, value in ((normalise(text), score), (normalise(text, drop_weak=True), score - 2)):
            best = self.exact.setdefault(key, {})
            best[iri] = max(best.get(iri, 0), value)


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
    add_everyday_names(index, rows(Q_SOCIETIES))  # last: real names of everything take precedence
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

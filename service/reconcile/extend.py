"""Reconciliation, second half: property values for constraints, data extension and previews.

Values are read with the store's binding API (the subject and property are bound, never
spliced), so an id or property a client sends cannot change a query.
"""

import pyoxigraph as ox

from ..errors import InputError
from ..namespaces import PREFIXES, RDF, sparql_prologue
from .index import TYPES
from .keys import code_key, normalise

MAX_IDS = 200
MAX_PROPERTIES = 20

Q_OUT = "SELECT ?s ?p ?o ?label WHERE { ?s ?p ?o OPTIONAL { ?o rdfs:label ?label } }"
Q_PROPERTY_LABEL = "SELECT ?p ?label WHERE { ?p rdfs:label ?label }"
Q_PROPOSE = """SELECT ?p (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  VALUES ?t {{ {types} }} ?s a ?t ; ?p ?o }} GROUP BY ?p ORDER BY DESC(?n) ?p"""


def compact(iri):
    """'rcrc:country' for an IRI under a published prefix, else the IRI."""
    for prefix, base in PREFIXES.items():
        if iri.startswith(base) and "/" not in iri[len(base) :]:
            return f"{prefix}:{iri[len(base) :]}"
    return iri


def expand(pid):
    """A property id as a full IRI: accepts IRIs, prefixed names and bare rcrc: names."""
    if not isinstance(pid, str) or not pid or len(pid) > 300:
        raise InputError("a property id must be a non-empty string (an IRI or a prefixed name)")
    if pid.startswith(("http://", "https://")):
        return pid
    prefix, _, local = pid.rpartition(":")
    base = PREFIXES.get(prefix or "rcrc")
    if base is None or not local.replace("_", "").replace("-", "").isalnum():
        raise InputError(f"unknown property {pid[:80]!r}")
    return base + local


def _named(iri):
    try:
        return ox.NamedNode(iri)
    except ValueError:
        raise InputError(f"not an IRI: {iri[:80]!r}") from None


def outgoing(store, iri, languages):
    """{property IRI: [value objects]} for one subject, labels in the preferred language."""
    found = {}
    for row in store.query(sparql_prologue() + Q_OUT, substitutions={ox.Variable("s"): _named(iri)}):
        p, o = row["p"].value, row["o"]
        label = row["label"]
        values = found.setdefault(p, {})
        key = o.value if isinstance(o, ox.NamedNode) else (o.value, getattr(o, "language", None))
        if key not in values or (label is not None and _better(label, values[key][1], languages)):
            values[key] = (o, label)
    return {p: [_value(o, label) for o, label in values.values()] for p, values in found.items()}


def _better(label, current, languages):
    rank = {lang: i for i, lang in enumerate(languages)}
    return current is None or rank.get(label.language, 99) < rank.get(current.language, 99)


def _value(term, label):
    """A value in the reconciliation API's shape: {id, name}, {str}, {int}, {float} or {date}."""
    if isinstance(term, ox.NamedNode):
        return {"id": term.value, "name": label.value if label is not None else compact(term.value)}
    if isinstance(term, ox.BlankNode):
        return {"str": "_:" + term.value}
    datatype = term.datatype.value.rsplit("#", 1)[-1]
    if datatype in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger"):
        return {"int": int(term.value)}
    if datatype in ("decimal", "double", "float"):
        return {"float": float(term.value)}
    if datatype == "dateTime":
        return {"date": term.value}
    if datatype == "date" and len(term.value) == 10:  # the API's dates are date-times
        return {"date": term.value + "T00:00:00Z"}
    return {"str": term.value}  # booleans too: API 0.2 has no boolean values


def property_name(store, iri):
    """The property's English label from the ontology, else its prefixed name."""
    labels = {
        r["label"].language: r["label"].value
        for r in store.query(sparql_prologue() + Q_PROPERTY_LABEL, substitutions={ox.Variable("p"): _named(iri)})
    }
    return labels.get("en") or next(iter(labels.values()), None) or compact(iri)


def propose(store, type_iri, limit=50):
    """Properties the resources of a type have, most used first."""
    subtypes = [t.id for t in TYPES if t.id == type_iri or t.parent == type_iri]
    q = Q_PROPOSE.format(types=" ".join(f"<{t}>" for t in subtypes))  # our own constants only
    rows = list(store.query(q))[:limit]
    return [
        {"id": r["p"].value, "name": property_name(store, r["p"].value)} for r in rows if r["p"].value != str(RDF.type)
    ]


Q_BY_PROPERTY = """SELECT ?p ?s ?o ?label ?code WHERE { ?s ?p ?o
  OPTIONAL { ?o rdfs:label ?label }
  OPTIONAL { ?o rcrc:isoAlpha2|rcrc:isoAlpha3|rcrc:pledgeNumber|skos:notation ?code } }"""


def property_scorer(store):
    """A function (candidate IRIs, constraints) -> {iri: [score per constraint]} for ranking.

    A constraint scores 100 for a candidate when a wanted value equals one the candidate has
    (the IRI, or its label, code or literal after normalising), else 0.
    """

    cache = {}  # one read per property per batch

    def scores(iris, constraints):
        out = {iri: [] for iri in iris}
        for pid, wanted in constraints:
            if pid not in cache:
                cache[pid] = _keys_by_subject(store, pid)
            keys = cache[pid]
            wanted_keys = {_wanted_key(w) for w in wanted}
            wanted_keys |= {code_key(str(w)) for w in wanted if not isinstance(w, dict)}
            for iri in iris:
                out[iri].append(100 if keys.get(iri, set()) & wanted_keys else 0)
        return out

    return scores


def _keys_by_subject(store, pid):
    keys = {}
    rows = store.query(sparql_prologue() + Q_BY_PROPERTY, substitutions={ox.Variable("p"): _named(pid)})
    for row in rows:
        o = row["o"]
        have = keys.setdefault(row["s"].value, set())
        have.add(o.value if isinstance(o, ox.NamedNode) else normalise(o.value))
        have |= {normalise(row[k].value) for k in ("label",) if row[k] is not None}
        have |= {code_key(row[k].value) for k in ("code",) if row[k] is not None}
    return keys


def _wanted_key(value):
    if isinstance(value, dict):
        return str(value.get("id", ""))
    return normalise(str(value).lower() if isinstance(value, bool) else str(value))


def parse_constraints(raw):
    """Query 'properties' as ((property IRI, [values]), ...); refuse anything else.

    Blank values ("", whitespace, null, {"id": ""}) are a cell with nothing in it, not a value
    that must match: they are left out, and a constraint left with no value is dropped, so an
    empty column never lowers a score.
    """
    if raw is None:
        return ()
    if not isinstance(raw, list) or len(raw) > MAX_PROPERTIES:
        raise InputError(f"properties must be a list of at most {MAX_PROPERTIES} objects")
    out = []
    for item in raw:
        if not isinstance(item, dict) or "v" not in item or not ({"pid", "p"} & item.keys()):
            raise InputError("each property constraint needs 'pid' and 'v'")
        values = item["v"] if isinstance(item["v"], list) else [item["v"]]
        if not all(v is None or isinstance(v, (str, int, float, bool, dict)) for v in values):
            raise InputError("property values must be strings, numbers, booleans or {id: ...}")
        pid = expand(item.get("pid") or item.get("p"))
        values = [v for v in values if not _blank(v)]
        if values:
            out.append((pid, values))
    return tuple(out)


def _blank(value):
    if isinstance(value, dict):
        value = value.get("id")
    return value is None or (isinstance(value, str) and not value.strip())


def extend(store, reconciler, request):
    """The data-extension answer for {'ids': [...], 'properties': [{'id': ...}]}."""
    ids, props = _check_extend(request)
    known = {p: _expanded_or_none(p) for p in props}  # a property we do not know gets no values, not a 400
    meta = [{"id": p, "name": property_name(store, known[p]) if known[p] else p} for p in props]
    rows = {}
    for iri in ids:
        have = outgoing(store, iri, reconciler.languages) if reconciler.entity(iri) else {}
        rows[iri] = {p: have.get(known[p], []) for p in props}
    return {"meta": meta, "rows": rows}


def _expanded_or_none(pid):
    try:
        return expand(pid)
    except InputError:
        return None


def _check_extend(request):
    if not isinstance(request, dict):
        raise InputError("extend must be a JSON object with 'ids' and 'properties'")
    ids, props = request.get("ids"), request.get("properties")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids) or len(ids) > MAX_IDS:
        raise InputError(f"extend.ids must be a list of at most {MAX_IDS} strings")
    if not isinstance(props, list) or len(props) > MAX_PROPERTIES:
        raise InputError(f"extend.properties must be a list of at most {MAX_PROPERTIES} objects")
    if not all(isinstance(p, dict) and isinstance(p.get("id"), str) for p in props):
        raise InputError("each extend property needs an 'id' string")
    if not all(p["id"].strip() and len(p["id"]) <= 300 for p in props):
        raise InputError("a property id must be a non-empty string of at most 300 characters")
    return ids, [p["id"] for p in props]


def preview(store, reconciler, iri):
    """(entity, [(property name, [values])]) for a preview card, or None for an unknown id."""
    entity = reconciler.entity(iri)
    if entity is None:
        return None
    have = outgoing(store, iri, reconciler.languages)
    shown = [(compact(p), vs) for p, vs in sorted(have.items()) if p != str(RDF.type)]
    return entity, shown


def type_suggestions(prefix):
    """Our types whose names contain ``prefix``."""
    key = normalise(prefix) if prefix else ""
    return [{"id": t.id, "name": t.name} for t in TYPES if key in normalise(t.name) or key in t.id.lower()]

"""Values people type for ``iri`` parameters, turned into the IRIs the query needs.

    rcrc:pledgedBy              a prefixed name of namespaces.PREFIXES   -> its IRI
    id/theme/migration          a path under the base (``id/`` optional) -> that resource, if it exists
    migration                   the last segment of a resource's IRI     -> that resource
    Migration, ICRC             a label (rdfs:label, skos:prefLabel, skos:altLabel, any language)

A slug or label is used only when it names one resource, preferring resources that fit the
parameter's name: under a folder of that name (``theme`` -> id/theme/...) or of a class of that
name (``organisation`` -> a rcrc:Organisation, National Societies included). A value that fits
none is still used when it names one resource, with a note saying what it is. Otherwise the
error lists the candidates, or the nearest labels ("did you mean"). Absolute IRIs (http:,
https:, urn: ...) pass unchanged.
"""

import difflib

from .. import iris
from ..errors import InputError
from ..importers.names import normalise
from ..namespaces import BASE, ID
from ..reconcile.keys import parse_resolution
from .catalog import SCHEME, expand

SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
LABELLED = """SELECT DISTINCT ?s ?label WHERE {
  ?s <http://www.w3.org/2000/01/rdf-schema#label>|<http://www.w3.org/2004/02/skos/core#prefLabel>
     |<http://www.w3.org/2004/02/skos/core#altLabel> ?label .
  FILTER (isIRI(?s)) }"""


def resolve_parameters(query, values, store):
    """(values with every ``iri`` parameter as an IRI, notes saying what was resolved to what)."""
    values, notes = dict(values), []
    for param in query.params:
        text = str(values.get(param.name) or "").strip()
        if param.type == "iri" and text:
            iri, note = resolve_iri(param.name, text, store)
            values[param.name] = iri
            if iri != text:
                notes.append(f"{param.name}={text} -> <{iri}>{note}")
    return values, notes


def resolve_iri(name, text, store):
    """(IRI, note) for ``text`` as the value of parameter ``name``; InputError when it names none or several."""
    if SCHEME.fullmatch(text):  # an IRI, or a prefixed name of ours
        return expand(text), ""
    labelled = [(row["s"].value, row["label"].value) for row in store.query(LABELLED)]
    known = {iri for iri, _ in labelled}
    tail = text.strip("/").removeprefix("id/")
    paths = ([str(ID) + tail] if "/" in tail else []) + [f"{ID}{name}/{tail}"]  # id/theme/x, or x under id/theme/
    for path in paths:
        if path in known:
            return path, ""
    cited = parse_resolution(text)  # "32IC/15/R2", "Res. 3 of the 31st IC", as reconciliation reads them
    if cited and str(iris.resolution(*cited[:2])) in known:
        return str(iris.resolution(*cited[:2])), ""
    key = normalise(text)
    found = {iri for iri, label in labelled if normalise(label) == key or _last(iri).casefold() == text.casefold()}
    types, classes = _classes(store, found)
    fitting = {iri for iri in found if _under(iri, name) or name.casefold() in classes.get(iri, ())}
    preferred = fitting or found
    if len(preferred) == 1:
        (iri,) = preferred
        kinds = " and ".join(sorted(types.get(iri, ()))) or "resource"
        return iri, "" if fitting else f" (a {kinds}, not what {name!r} usually names: check it is the one you meant)"
    if preferred:
        listed = ", ".join(f"<{iri}>" for iri in sorted(preferred)[:10])
        raise InputError(f"parameter {name!r}: {text!r} could be any of {listed}; give the IRI")
    raise InputError(f"parameter {name!r}: no resource has {text!r} as its label or the last part of its IRI"
                     f"{_near(name, text, labelled)}; give an IRI, a label or a slug such as "
                     f"{_example(name, labelled)}")


def _under(iri, name):
    """True when a folder of our IRI's path is named like the parameter (id/theme/... for theme)."""
    return iri.startswith(BASE) and name in iri.removeprefix(BASE).split("/")[:-1]


def _classes(store, iris):
    """({IRI: local names of its types}, {IRI: lower-case local names of those and their superclasses})."""
    if not iris:
        return {}, {}
    values = " ".join(f"<{iri}>" for iri in sorted(iris) if ">" not in iri)
    rows = store.query(f"SELECT ?s ?t ?c WHERE {{ VALUES ?s {{ {values} }} ?s a ?t . ?t <{SUBCLASS}>* ?c }}")
    types, classes = {}, {}
    for row in rows:
        types.setdefault(row["s"].value, set()).add(_last(row["t"].value))
        classes.setdefault(row["s"].value, set()).add(_last(row["c"].value).casefold())
    return types, classes


def _last(iri):
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _near(name, text, labelled):
    """'; did you mean …?' among the labels (those of resources under id/<name>/ first)."""
    own = [(iri, label) for iri, label in labelled if _under(iri, name)] or labelled
    names = {normalise(label): (label, iri) for iri, label in own}
    names.update({_last(iri).casefold(): (_last(iri), iri) for iri, _ in own})
    close = difflib.get_close_matches(normalise(text) or text.casefold(), list(names), n=3, cutoff=0.6)
    shown = dict.fromkeys(f"{names[k][0]!r} (<{names[k][1]}>)" for k in close)
    return f"; did you mean {' or '.join(shown)}?" if shown else ""


def _example(name, labelled):
    own = sorted(iri for iri, _ in labelled if _under(iri, name))
    return repr(_last(own[0])) if own else "'migration'"

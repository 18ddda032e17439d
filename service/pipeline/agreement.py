"""One resource, several sources: they must agree (data/README, "Numbers, conferences and language versions").

A pledge or a report may be described by more than one file: language versions of one page, a
page and the table row of the same pledge, an RDF file adding to a record; so may a conference,
a resolution or an organisation (a second table row, an RDF file). Each source adds what is its
own: values in its language (titles, labels, texts), its address (``dcterms:source``), what its
page did not show (``rcrc:notRecorded``), the curators' notes about it, other names and links
elsewhere (``ADDITIVE``). Every other field of a resource under ``id/`` must agree: two sources
giving it different values (in the same language, for texts), or one giving it and the other not
(when both are whole records, typed as pledges or reports; an RDF file adding a link to a record
is not), or saying its page does not show it, is a contradiction. Stage 1 reports each one as a
Problem of the later file, so nothing contradictory is published.
"""

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import DCTERMS, OWL, RDFS, SKOS

from ..importers.terms import to_ox
from ..namespaces import ID, RCRC
from .hints import short
from .loaded import RECORDS, TYPE
from .loading import Problem

NOT_RECORDED = to_ox(RCRC.notRecorded)
# What each source says of itself, not of the record (the quoted text's marks follow its pledgers).
OWN = {to_ox(p) for p in (DCTERMS.source, RCRC.notRecorded, SKOS.editorialNote, RCRC.conferenceBasis,
                          RCRC.confidence, DCTERMS.rights, DCTERMS.rightsHolder, RCRC.pledgerNameAsShown)}
# Fields a source may add to without contradicting another: names and links, many by nature.
ADDITIVE = {to_ox(p) for p in (SKOS.altLabel, OWL.sameAs, SKOS.exactMatch, SKOS.closeMatch, RDFS.seeAlso)}
SHOWN = 3  # values quoted per side in a message


def contradictions(subject, sources):
    """Problems for each field two sources of ``subject`` give differently.

    ``sources``: [(source name, [(predicate, object)])], pyoxigraph terms, in loading order; a
    Problem is charged to the later source.
    """
    found = []
    described = [(name, *_fields(pairs)) for name, pairs in sources]
    for i, (later, fields, unshown) in enumerate(described):
        for earlier, before, unshown_before in described[:i]:
            whole = _whole(fields) and _whole(before)
            for key in sorted(set(fields) | set(before), key=str):
                message = _disagreement(key, before.get(key), fields.get(key), unshown_before, unshown, whole)
                if message:
                    found.append(Problem(later, f"{short(subject.value)}: {later} and {earlier} disagree on "
                                                f"{short(key[0].value)}: {message}"))
    return found


def _fields(pairs):
    """({(predicate, language or None): frozenset of values}, {predicates said not recorded})."""
    fields = {}
    for predicate, value in pairs:
        if predicate not in OWN and predicate not in ADDITIVE:
            language = value.language if isinstance(value, ox.Literal) else None
            fields.setdefault((predicate, language), set()).add(value)
    unshown = {value for predicate, value in pairs if predicate == NOT_RECORDED}
    return {key: frozenset(values) for key, values in fields.items()}, unshown


def _whole(fields):
    return bool(fields.get((TYPE, None), frozenset()) & RECORDS)


def _disagreement(key, before, after, unshown_before, unshown_after, whole):
    """What is wrong with one field, in words, or None when the sources agree on it."""
    predicate, language = key
    if before is not None and after is not None:
        return None if before == after or predicate == TYPE else f"{_values(before)} there, {_values(after)} here"
    if language is not None:
        return None  # each source adds its own language
    if before is not None and (whole or predicate in unshown_after):
        return f"{_values(before)} there, {'not shown on this page' if predicate in unshown_after else 'not here'}"
    if after is not None and (whole or predicate in unshown_before):
        return f"{_values(after)} here, {'not shown on that page' if predicate in unshown_before else 'not there'}"
    return None


def _values(values):
    texts = sorted(short(v.value) if isinstance(v, ox.NamedNode) else repr(v.value) for v in values)
    more = f" and {len(texts) - SHOWN} more" if len(texts) > SHOWN else ""
    return ", ".join(texts[:SHOWN]) + more


def disagreements(loaded, store=None, published=None):
    """Problems of the resources under ``id/`` that more than one graph describes: graphs of ``loaded`` (a Loaded),
    and, for an import, the graphs of the pyoxigraph ``store`` named in ``published`` ({graph
    IRI: source as published}), which come first; a graph ``loaded`` holds replaces its namesake."""
    shared = loaded.shared_subjects()
    if store is None:  # a build: only the graphs that share a subject are read again
        described = _described(loaded, set(shared), {n for names in shared.values() for n in names})
    else:  # an import: every subject of its (few) graphs may be published elsewhere
        described = _described(loaded, None, loaded.texts)
    found = []
    for subject, sources in described.items():
        before = _published(store, subject, published, loaded) if store is not None else []
        sources = before + sources
        if len(sources) > 1 and isinstance(subject, ox.NamedNode) and subject.value.startswith(str(ID)):
            found.extend(contradictions(subject, sources))
    return found


def _described(loaded, subjects, names):
    """{subject: [(source, [(predicate, object)])]} of ``subjects`` (None: all) in graphs ``names``."""
    described = {}
    for name in [n for n in loaded.files if n in names]:
        pairs = {}
        for quad in ox.parse(loaded.texts[name], format=ox.RdfFormat.N_TRIPLES):
            if subjects is None or quad.subject in subjects:
                pairs.setdefault(quad.subject, []).append((quad.predicate, quad.object))
        for subject, said in pairs.items():
            described.setdefault(subject, []).append((str(loaded.files[name]), said))
    return described


def _published(store, subject, published, loaded):
    by_graph = {}
    for quad in store.quads_for_pattern(subject, None, None, None):
        name = URIRef(quad.graph_name.value) if isinstance(quad.graph_name, ox.NamedNode) else None
        if name in published and name not in loaded.texts:  # rdflib terms: keys of both
            by_graph.setdefault(name, []).append((quad.predicate, quad.object))
    return [(published[name], pairs) for name, pairs in by_graph.items()]

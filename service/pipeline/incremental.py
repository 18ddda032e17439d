"""`import`: add files to the published data, validating only what they change.

The new release starts as a copy of the current one (on the embedded store, RocksDB hard links:
nothing is copied). The imported files replace their graphs; then only the resources whose
validation can change are validated, on the part of the data their constraints read:

* changed: the subjects of the triples the import adds to, or takes from, the union of the
  graphs (a triple another graph still holds has not changed);
* affected: the changed resources, the resources that reach one of them in at most ``DEPTH``
  steps (``sh:class`` reads the type of a linked resource, two-step paths such as
  ``dcterms:isReplacedBy/rdf:type`` or the SPARQL rule's ``rcrc:conference/rcrc:ordinal`` read
  one step further), and the resources a SPARQL-based rule compares with another one
  (``SIBLINGS``: a resolution's number is unique within its conference), before and after;
* read: what the affected resources' constraints can see: the triples of the resources they
  reach in at most ``DEPTH`` steps, of their siblings, and the ontology.

The results about the affected resources are then exactly those of validating everything
(``tests/test_incremental.py`` checks it against full validations). When the import brings an
ontology or shapes that differ from the published ones, everything is validated.
"""

from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, VOID

from ..namespaces import RCRC, SHAPES
from .build import PROVENANCE, add_provenance, check, load_vocabulary, staging
from .loading import ROOT, Loaded, graph_name, insert, load_all

DEPTH = 2  # the longest chain of links a constraint follows (tests check the shapes against it)
# SPARQL-based rules that compare a resource with others it does not link to: {shape: query
# giving, for the resources ?s (VALUES), the ?x whose results can change}. Rules reading only the
# resource and what it links to need nothing here (tests check every SPARQL rule is one or the other).
SIBLINGS = {
    SHAPES["Resolution-resolutionNumber-unique"]: f"""SELECT DISTINCT ?x WHERE {{ VALUES ?s {{ $NODES }}
        ?s a <{RCRC.Resolution}> ; <{RCRC.conference}> ?c . ?x a <{RCRC.Resolution}> ; <{RCRC.conference}> ?c }}""",
}
PART = ox.NamedNode("urn:x-pledgegraph:validated-part")


class _DryRun(Exception):
    """Leaves the staging block without publishing."""


def import_files(paths, store, data_dir, dry_run=False, progress=None):
    """Add files to the published data, all or nothing. Returns (release or None, report, new graphs)."""
    try:
        with staging(store, from_current=True) as (release, target):
            copy, counts = _published(store, target)
            report, new, whole = _import(paths, copy, data_dir, progress)
            if dry_run:
                raise _DryRun(report, new)
            if whole:
                counts = copy.counts()
            for name in new:
                counts[name] = sum(1 for _ in target.quads_for_pattern(None, None, None, ox.NamedNode(str(name))))
            add_provenance(copy, release, {n: counts[n] for n in copy.files})
    except _DryRun as done:
        return None, *done.args
    return release, report, new


def _import(paths, copy, data_dir, progress):
    """Load ``paths`` into ``copy`` (the Loaded of the new release) and validate what they change.
    Returns (report, {graph IRI: rdflib Graph} of the new graphs, whether everything was validated)."""
    target = copy.store
    vocabulary, ontology, shapes_paths = load_vocabulary(progress)
    whole = _vocabulary_changed(copy, vocabulary)
    fresh = load_all(paths, Path(data_dir).parent, data_dir, Loaded(), progress, context=[target])
    data = _data_graphs(copy, shapes_paths)
    changed = _changed_subjects(target, fresh, data)
    focus = _affected(target, changed, data)  # as the data was
    for loaded in (vocabulary, fresh) if whole else (fresh,):
        for name, path in loaded.files.items():
            copy.add(name, list(loaded.store.quads_for_pattern(None, None, None, ox.NamedNode(str(name)))), path)
    copy.problems = vocabulary.problems + fresh.problems
    copy.notices = vocabulary.notices + fresh.notices
    if whole:
        report = check(copy, shapes_paths)
    else:
        data = _data_graphs(copy, shapes_paths)
        focus |= _affected(target, changed, data)  # as it is now
        part = _part(target, focus, data, [ox.NamedNode(str(n)) for n in ontology])
        report = check(copy, shapes_paths, focus={f.value for f in focus}, store=part, graphs=[PART])
    return report, {n: fresh.graph(n) for n in fresh.files}, whole


def _published(store, target):
    """The copy of the current release as a Loaded (sources as provenance names them), and
    {graph IRI: triples} from provenance."""
    loaded, counts = Loaded(target), {}
    if store.exists():
        rows = store.query(f"SELECT ?g ?s ?n WHERE {{ GRAPH <{PROVENANCE}> {{ ?g <{DCTERMS.source}> ?s ; "
                           f"<{VOID.triples}> ?n }} }}")
        for row in rows:
            loaded.files[URIRef(row["g"].value)] = row["s"].value
            counts[URIRef(row["g"].value)] = int(row["n"].value)
    return loaded, counts


def _vocabulary_changed(copy, vocabulary):
    """Whether the ontology, shapes or named queries of this code base differ from the published ones."""
    return any(name not in copy.files or not isomorphic(copy.graph(name), vocabulary.graph(name))
               for name in vocabulary.files)


def _data_graphs(loaded, shapes_paths):
    shape_graphs = {graph_name(p, ROOT) for p in shapes_paths}
    return {ox.NamedNode(str(n)) for n in loaded.files if n not in shape_graphs and n != PROVENANCE}


def _changed_subjects(target, fresh, data):
    """Subjects of the triples the new graphs add to the union of ``data`` of ``target``, or take from it."""
    replaced = {ox.NamedNode(str(n)) for n in fresh.files}
    kept = data - replaced
    new = {(q.subject, q.predicate, q.object) for q in fresh.store}
    old = {(q.subject, q.predicate, q.object) for g in replaced & data
           for q in target.quads_for_pattern(None, None, None, g)}

    def elsewhere(triple):
        return any(q.graph_name in kept for q in target.quads_for_pattern(*triple, None))

    return {t[0] for t in new ^ old if not elsewhere(t)}


def _affected(store, changed, data):
    """The changed resources, those that reach one in at most DEPTH steps, and their SIBLINGS."""
    found, frontier = set(changed), set(changed)
    for _ in range(DEPTH):
        frontier = {q.subject for node in frontier for q in store.quads_for_pattern(None, None, node, None)
                    if q.graph_name in data} - found
        found |= frontier
    return found | _siblings(store, changed, data)


def _siblings(store, nodes, data):
    values = " ".join(str(n) for n in nodes if isinstance(n, ox.NamedNode))
    if not values:
        return set()
    return {row["x"] for query in SIBLINGS.values()
            for row in store.query(query.replace("$NODES", values), default_graph=list(data))}


def _part(store, focus, data, ontology):
    """A store holding what the constraints on ``focus`` read: the triples of the resources they
    reach in DEPTH steps, of their siblings, and the ontology (in one graph, PART)."""
    subjects, frontier = set(focus) | _siblings(store, focus, data), set(focus)
    for _ in range(DEPTH):
        frontier = {q.object for node in frontier for q in store.quads_for_pattern(node, None, None, None)
                    if q.graph_name in data and not isinstance(q.object, ox.Literal)} - subjects
        subjects |= frontier
    quads = {ox.Quad(q.subject, q.predicate, q.object, PART) for s in subjects
             for q in store.quads_for_pattern(s, None, None, None) if q.graph_name in data}
    quads |= {ox.Quad(q.subject, q.predicate, q.object, PART) for g in ontology
              for q in store.quads_for_pattern(None, None, None, g)}
    part = ox.Store()
    insert(part, quads)
    return part

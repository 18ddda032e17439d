"""`import`: add files to the published data, validating only what they change.

The new release starts as a copy of the current one (``staging``; on the embedded store RocksDB
hard links: nothing is copied). The imported files replace their graphs; then only the resources
whose validation can change are validated, on the part of the data their constraints read:

* changed: the subjects of the triples the import adds to, or takes from, the union of the
  graphs (a triple another graph still holds has not changed);
* affected: the changed resources, the resources that reach one of them in at most ``DEPTH``
  steps (``sh:class`` reads the type of a linked resource; two-step paths such as
  ``dcterms:isReplacedBy/rdf:type``, or the SPARQL rule's ``rcrc:conference/rcrc:ordinal``,
  read one step further), and the resources a SPARQL-based rule compares with them although
  they do not link (``SIBLINGS``: a resolution's number is unique within its conference); all of
  this in the data as it was and as it is now;
* read: the triples of the resources the affected ones reach in at most ``DEPTH`` steps, of
  their siblings, and the ontology.

The results about the affected resources are those a validation of everything gives, and no
other resource's results change (``tests/test_incremental.py`` checks both against full
validations). When this code base's ontology, shapes or named queries differ from the published
ones, they replace them and everything is validated.
"""

import tempfile
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, SH, VOID

from ..errors import StoreUnavailable
from ..importers.terms import quads_of, to_ox
from ..namespaces import RCRC, SHAPES
from ..stores.releases import new_release_name
from ..text import refuse_links
from .agreement import disagreements
from .build import PROVENANCE, check, data_graphs, load_vocabulary, provenance
from .loaded import Loaded
from .loading import ROOT, graph_name, load_all
from .report_rdf import VALIDATION, add_report

DEPTH = 2  # the longest chain of links a constraint follows (tests check the shapes against it)
# SPARQL-based rules that compare a resource with others it does not link to: {shape: query
# giving, for the resources ?s (VALUES), the ?x whose results can change}. Rules reading only the
# resource and what it links to need nothing here (tests check every SPARQL rule is one or the other).
SIBLINGS = {
    SHAPES["Resolution-resolutionNumber-unique"]: f"""SELECT DISTINCT ?x WHERE {{ VALUES ?s {{ $NODES }}
        ?s a <{RCRC.Resolution}> ; <{RCRC.conference}> ?c . ?x a <{RCRC.Resolution}> ; <{RCRC.conference}> ?c }}""",
}


class _DryRun(Exception):
    """Leaves the staging block without publishing."""


def import_files(paths, store, data_dir, dry_run=False, progress=None):
    """Add files to the published data, all or nothing. Returns (release or None, report, new graphs);
    StoreUnavailable if nothing is published yet. The only writer from reading the current release
    to publishing the next (a dry run writes nothing and takes no lock)."""
    for path in paths:
        refuse_links(path)  # before anything is read: one line, exit 2
    if not store.exists():
        raise StoreUnavailable("nothing is published yet to import into; run `pledgegraph build` first")
    vocabulary, ontology, shapes_paths = load_vocabulary(progress)
    try:
        with (scratch if dry_run else staging)(store) as (release, target):
            files, counts = _provenance(target)
            whole = _vocabulary_changed(target, files, vocabulary)
            fresh = load_all(paths, Path(data_dir).parent, data_dir, Loaded(), progress, context=[target])
            fresh.problems.extend(disagreements(fresh, target, files))
            fresh.problems[:0], fresh.notices[:0] = vocabulary.problems, vocabulary.notices
            added = [vocabulary, fresh] if whole else [fresh]
            before = _data(files, shapes_paths)
            changed = _changed_subjects(target, fresh, before)
            focus = _affected(target, changed, before)
            for loaded in added:
                _replace(target, loaded, files, counts)
            after = _data(files, shapes_paths)
            focus = None if whole else focus | _affected(target, changed, after)
            part = _part(target, focus, after, files, [ox.NamedNode(str(n)) for n in ontology])
            part.problems, part.notices = fresh.problems, fresh.notices
            report = check(part, shapes_paths, focus=None if whole else {f.value for f in focus})
            new = {name: fresh.graph(name) for name in fresh.files}
            if dry_run:
                raise _DryRun(report, new)
            _write_provenance(target, files, counts, release)
            _write_validation(target, report, focus, release, [graph_name(p, ROOT) for p in shapes_paths])
            del target  # the store is closed before its release is sealed (staged() checks it)
    except _DryRun as done:
        return None, *done.args
    return release, report, new


@contextmanager
def staging(store):
    """(release name, pyoxigraph Store holding a copy of the current release to change), as the
    store's one writer: published in one step when the block ends, thrown away if it raises. The
    embedded store copies by hard links; any other store is copied into a temporary store and
    gets the release as one file (refused if another writer published meanwhile)."""
    if hasattr(store, "staged"):
        with store.staged(from_current=True) as staged:
            yield staged
            del staged  # no reference to the store may outlive the block
        return
    with store.writer() as base, scratch(store) as (_, target):
        release = new_release_name()
        yield release, target
        with tempfile.TemporaryDirectory(prefix="pledgegraph-") as tmp:
            target.dump(f"{tmp}/release.nq", format=ox.RdfFormat.N_QUADS)
            store.publish([Path(tmp) / "release.nq"], release=release, expected=base)


@contextmanager
def scratch(store):
    """(None, a pyoxigraph Store holding a copy of the current release), never published: a dry
    run's. The embedded store copies by hard links into a folder beside its releases."""
    with tempfile.TemporaryDirectory(prefix=".scratch-", dir=getattr(store, "root", None)) as tmp:
        if hasattr(store, "staged"):
            store.oxigraph().backup(f"{tmp}/store")
            target = ox.Store(f"{tmp}/store")
        else:
            target = ox.Store(f"{tmp}/store")
            store.dump(f"{tmp}/current.nq")
            target.bulk_load(path=f"{tmp}/current.nq")
        yield None, target
        del target


def _provenance(target):
    """({graph IRI: source as published}, {graph IRI: triples}) from graph/provenance."""
    files, counts = {}, {}
    rows = target.query(f"SELECT ?g ?s ?n WHERE {{ GRAPH <{PROVENANCE}> {{ ?g <{DCTERMS.source}> ?s ; "
                        f"<{VOID.triples}> ?n }} }}")
    for row in rows:
        files[URIRef(row["g"].value)], counts[URIRef(row["g"].value)] = row["s"].value, int(row["n"].value)
    return files, counts


def _graph(target, name):
    return target.quads_for_pattern(None, None, None, ox.NamedNode(str(name)))


def _vocabulary_changed(target, files, vocabulary):
    """Whether the ontology, shapes or named queries of this code base differ from the published ones."""
    return any(name not in files or _canonical(_graph(target, name)) != _canonical(
        ox.parse(vocabulary.texts[name], format=ox.RdfFormat.N_TRIPLES)) for name in vocabulary.files)


def _canonical(quads):
    """The triples of ``quads`` with blank nodes named canonically (two isomorphic graphs: equal sets)."""
    dataset = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)


def _data(files, shapes_paths):
    return {ox.NamedNode(str(n)) for n in data_graphs(Loaded(files=dict(files)), shapes_paths)}


def _replace(target, loaded, files, counts):
    """Put the graphs of ``loaded`` in ``target`` in place of those of the same name."""
    for name, path in loaded.files.items():
        target.remove_graph(ox.NamedNode(str(name)))
        target.load(loaded.texts[name], format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(name)))
        files[name], counts[name] = path, loaded.counts[name]


def _changed_subjects(target, fresh, data):
    """Subjects of the triples the new graphs add to the union of ``data`` of ``target``, or take from it."""
    replaced = {ox.NamedNode(str(n)) for n in fresh.files}
    kept = data - replaced
    new = {q.triple for name in fresh.files for q in ox.parse(fresh.texts[name], format=ox.RdfFormat.N_TRIPLES)}
    old = {q.triple for g in replaced & data for q in target.quads_for_pattern(None, None, None, g)}

    def elsewhere(triple):
        return any(q.graph_name in kept for q in target.quads_for_pattern(*triple, None))

    return {t.subject for t in new ^ old if not elsewhere(t)}


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


def _part(store, focus, data, files, ontology):
    """A Loaded of what the constraints on ``focus`` read (everything, if ``focus`` is None): the
    triples of the resources they reach in DEPTH steps and of their siblings, by graph, and the ontology."""
    part = Loaded()
    if focus is None:
        for graph in data:
            part.add(URIRef(graph.value), store.quads_for_pattern(None, None, None, graph), files[URIRef(graph.value)])
        return part
    subjects, frontier = set(focus) | _siblings(store, focus, data), set(focus)
    for _ in range(DEPTH):
        frontier = {q.object for node in frontier for q in store.quads_for_pattern(node, None, None, None)
                    if q.graph_name in data and not isinstance(q.object, ox.Literal)} - subjects
        subjects |= frontier
    by_graph = {graph: list(store.quads_for_pattern(None, None, None, graph)) for graph in ontology}
    for subject in subjects:
        for quad in store.quads_for_pattern(subject, None, None, None):
            if quad.graph_name in data and quad.graph_name not in ontology:
                by_graph.setdefault(quad.graph_name, []).append(quad)
    for graph, quads in by_graph.items():
        part.add(URIRef(graph.value), quads, files[URIRef(graph.value)])
    return part


def _write_provenance(target, files, counts, release):
    described = Loaded(files=dict(files), counts=dict(counts))
    graph = provenance(described, release, datetime.now(UTC).isoformat(timespec="seconds"))
    target.remove_graph(ox.NamedNode(str(PROVENANCE)))
    target.extend(quads_of(graph, PROVENANCE))


def _write_validation(target, report, focus, release, shapes):
    """graph/validation of the new release: the published results about ``focus`` (all, if None)
    replaced by the report's, the others kept (they cannot have changed), and sh:conforms anew."""
    graph = ox.NamedNode(str(VALIDATION))
    if focus is None:
        target.remove_graph(graph)
    elif focus:
        target.update(f"""DELETE {{ GRAPH <{VALIDATION}> {{ <{VALIDATION}> <{SH.result}> ?r . ?r ?p ?o }} }}
            WHERE {{ GRAPH <{VALIDATION}> {{ <{VALIDATION}> <{SH.result}> ?r . ?r <{SH.focusNode}> ?f ; ?p ?o }}
            VALUES ?f {{ {" ".join(str(f) for f in focus if isinstance(f, ox.NamedNode))} }} }}""")
    target.update(f"DELETE WHERE {{ GRAPH <{VALIDATION}> {{ <{VALIDATION}> <{SH.conforms}> ?c }} }}")
    extra = {}
    add_report(extra, report, release, datetime.now(UTC).isoformat(timespec="seconds"), shapes)
    extra[VALIDATION].remove((URIRef(VALIDATION), SH.conforms, None))
    for name, described in extra.items():
        target.extend(quads_of(described, name))
    conforms = not target.query(f"ASK {{ GRAPH <{VALIDATION}> {{ <{VALIDATION}> <{SH.result}> ?r }} }}")
    target.add(ox.Quad(graph, to_ox(SH.conforms), to_ox(Literal(conforms)), graph))

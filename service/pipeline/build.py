"""Build and import: sources -> named graphs (stage 1, ``loading``) -> SHACL gate (stage 2,
``validation``) -> one atomic publication.

Each source file becomes one named graph (``graph/<folder>/<stem>``), described in
``graph/provenance`` (source file, generation time, release). Nothing is published unless
every file was read and the union of everything validates; the store then swaps to the new
release in one step. A build publishes data/ alone: graphs added by ``import`` since the last
build are dropped (the report says which).

A build writes the files straight into the release it prepares (``staging``: on the embedded
store, the ``*.partial`` folder of the next release, by pyoxigraph's bulk loader), validates
that, and publishes it or throws it away: the data is parsed once and never copied.
"""

import tempfile
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, VOID, XSD

from .. import iris
from ..errors import ValidationFailed
from ..importers.rdf_files import parse_rdf
from ..importers.terms import quads_of
from ..namedqueries.catalog import QUERIES_DIR, load_queries
from ..namedqueries.rdf import queries_graph
from ..namespaces import BASE
from ..stores.releases import new_release_name
from .loading import ROOT, Loaded, data_files, graph_name, insert, load_all
from .validation import Report, union, validate_store

ONTOLOGY_DIR = ROOT / "ontology"
SHAPES_DIR = ROOT / "shapes"
PROVENANCE = iris.graph("provenance")


def vocabulary_files():
    return sorted(ONTOLOGY_DIR.glob("*.ttl")), sorted(SHAPES_DIR.glob("*.ttl"))


def check(loaded, shapes_paths, focus=None, store=None, graphs=None):
    """Validate all loaded data; ValidationFailed (with the report) unless every file was read and nothing
    is a violation. The report carries stage 1's problems and notices too. ``focus``, ``store`` and
    ``graphs``: validate the union of ``graphs`` of ``store`` (default: every data graph of
    ``loaded``, with the ontology) and keep the results about the resources of ``focus``."""
    shapes = union(parse_rdf(p) for p in shapes_paths)
    if graphs is None:
        shape_graphs = {graph_name(p, ROOT) for p in shapes_paths}
        graphs = [ox.NamedNode(str(n)) for n in loaded.graphs if n not in shape_graphs]
    report = validate_store(store or loaded.store, graphs, shapes, sources=_attribution(loaded), focus=focus)
    report = Report(report.results, loaded.problems, loaded.notices, [p.source for p in loaded.problems])
    if not report.conforms:
        raise ValidationFailed(f"validation failed: {report.summary()}", report)
    return report


def _attribution(loaded):
    """(focus, path, value) -> the file(s) holding that statement, else the file(s) describing the focus."""

    @lru_cache(maxsize=4096)
    def describing(focus):
        return loaded.sources_of(ox.NamedNode(focus))

    def where(focus, path, value):
        if not focus.startswith(("http://", "https://")):
            return ""  # a blank node: the engine's label is not the store's
        holding = []
        if path.startswith(("http://", "https://")) and value:
            subject, predicate = ox.NamedNode(focus), ox.NamedNode(path)
            graphs = {q.graph_name.value for q in loaded.store.quads_for_pattern(subject, predicate, None, None)
                      if q.object.value == value}
            holding = [str(loaded.files[n]) for n in loaded.files if str(n) in graphs]
        return ", ".join(dict.fromkeys(holding or describing(focus)))

    return where


def provenance(loaded, release, when, counts):
    """graph/provenance: where each named graph came from, when, and in which release."""
    graph = Graph()
    release_iri = URIRef(f"{BASE}release/{release}")
    graph.add((release_iri, RDF.type, PROV.Entity))
    graph.add((release_iri, PROV.generatedAtTime, Literal(when, datatype=XSD.dateTime)))
    for name, path in loaded.files.items():
        graph.add((name, RDF.type, PROV.Entity))
        graph.add((name, DCTERMS.source, Literal(_published_name(path))))
        graph.add((name, PROV.generatedAtTime, Literal(when, datatype=XSD.dateTime)))
        graph.add((name, DCTERMS.isPartOf, release_iri))
        graph.add((name, VOID.triples, Literal(counts[name])))
    return graph


def _published_name(path):
    """The source as provenance publishes it: relative to the project, or marked as an import.

    A file from outside the project is published by name only (a maintainer's local folders stay
    private) and says that it was imported, so it cannot pass for the file of data/ it resembles."""
    if isinstance(path, str):
        return path  # already a published name, from the provenance of the current release
    path = path.resolve()
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return f"{path.name} (imported from outside the project)"


def add_provenance(loaded, release, counts=None):
    """Write graph/provenance into ``loaded``'s store; returns the triples of the other graphs."""
    counts = counts or loaded.counts()
    when = datetime.now(UTC).isoformat(timespec="seconds")
    loaded.store.remove_graph(ox.NamedNode(str(PROVENANCE)))
    insert(loaded.store, quads_of(provenance(loaded, release, when, counts), PROVENANCE))
    return sum(counts.values())


@contextmanager
def staging(store, from_current=False):
    """(release name, pyoxigraph Store to write the release into): published in one step when the
    block ends, thrown away if it raises. The embedded store writes the release in place; any
    other store gets it as one N-Quads file at the end."""
    if hasattr(store, "staged"):
        with store.staged(from_current=from_current) as staged:
            yield staged
        return
    release = new_release_name()
    with tempfile.TemporaryDirectory(prefix="pledgegraph-") as tmp:
        target = ox.Store(f"{tmp}/store")
        if from_current and store.exists():
            store.dump(f"{tmp}/current.nq")
            target.bulk_load(path=f"{tmp}/current.nq")
        yield release, target
        target.dump(f"{tmp}/release.nq", format=ox.RdfFormat.N_QUADS)
        del target
        store.publish([Path(tmp) / "release.nq"], release=release)


def publish(loaded, store, release=None):
    """Add provenance and publish every graph of ``loaded`` as one new release."""
    with staging(store) as (release, target):
        add_provenance(loaded, release)
        insert(target, list(loaded.store))
    return release


def load_vocabulary(progress=None, loaded=None):
    """The ontology, shapes and named queries of this code base; returns (Loaded, ontology names, shapes paths)."""
    ontology_paths, shapes_paths = vocabulary_files()
    loaded = load_all(ontology_paths + shapes_paths, ROOT, None, loaded, progress=progress)
    loaded.add(iris.graph("queries"), queries_graph(load_queries()), QUERIES_DIR)
    return loaded, [graph_name(p, ROOT) for p in ontology_paths], shapes_paths


def load_project(data_dir, extra=(), progress=None, store=None):
    """Load vocabulary, shapes, data/ and any extra files (into ``store``, else a new store in memory)."""
    loaded = Loaded() if store is None else Loaded(store)
    loaded, ontology_names, shapes_paths = load_vocabulary(progress, loaded)
    load_all(data_files(data_dir), Path(data_dir).parent, data_dir, loaded, progress)
    load_all(extra, Path(data_dir).parent, data_dir, loaded, progress)
    return loaded, ontology_names, shapes_paths


def build(data_dir, store, progress=None):
    """Import data/, validate everything, publish one release. Returns (release, report, triples);
    the report's notices name the graphs of the previous release that this one drops."""
    with staging(store) as (release, target):
        loaded, _, shapes_paths = load_project(data_dir, progress=progress, store=target)
        report = check(loaded, shapes_paths)
        report.notices.extend(_dropped(store, loaded))
        triples = add_provenance(loaded, release)
    return release, report, triples


def _dropped(store, loaded):
    """Sentences naming the graphs of the current release that are not in ``loaded`` (earlier imports)."""
    if not store.exists():
        return []
    rows = store.query(f"SELECT ?g ?source WHERE {{ GRAPH <{PROVENANCE}> {{ ?g <{DCTERMS.source}> ?source }} }}")
    gone = sorted((row["g"].value, row["source"].value) for row in rows if URIRef(row["g"].value) not in loaded.files)
    return [f"this build drops graph {g} ({source}), added by `import` since the last build; "
            "put the file in data/ to keep it" for g, source in gone]


def validate_paths(data_dir, paths=(), progress=None):
    """Validate data/ plus ``paths`` without publishing; return the report (stage 1 and stage 2)."""
    loaded, _, shapes_paths = load_project(data_dir, extra=paths, progress=progress)
    try:
        return check(loaded, shapes_paths)
    except ValidationFailed as failed:
        return failed.report

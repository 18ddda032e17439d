"""Build and import: sources -> RDF graphs (stage 1, ``loading``) -> SHACL gate (stage 2,
``validation``) -> one atomic publication.

Each source file becomes one named graph (``graph/<folder>/<stem>``), described in
``graph/provenance`` (source file, generation time, release). Nothing reaches the store unless
every file was read and the union of everything validates; the store then swaps to the new
release in one step. A build publishes data/ alone: graphs added by ``import`` since the last
build are dropped (the report says which).
"""

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, VOID, XSD

from .. import iris
from ..errors import InputError, ValidationFailed
from ..importers.rdf_files import parse_rdf
from ..namedqueries.catalog import QUERIES_DIR, load_queries
from ..namedqueries.rdf import queries_graph
from ..namespaces import BASE, bind_prefixes
from ..stores.releases import ANY, new_release_name
from .loading import ROOT, data_files, display, graph_name, load_all
from .validation import Report, union, validate

ONTOLOGY_DIR = ROOT / "ontology"
SHAPES_DIR = ROOT / "shapes"
PROVENANCE = iris.graph("provenance")


def vocabulary_files():
    return sorted(ONTOLOGY_DIR.glob("*.ttl")), sorted(SHAPES_DIR.glob("*.ttl"))


def check(loaded, shapes_paths, ontology_names):
    """Validate all loaded data; ValidationFailed (with the report) unless every file was read and nothing
    is a violation. The report carries stage 1's problems and notices too."""
    shapes = union(parse_rdf(p) for p in shapes_paths)
    ontology = union(loaded.graphs[n] for n in ontology_names)
    data = union(g for n, g in loaded.graphs.items() if n not in ontology_names and n not in _shape_names(loaded))
    report = validate(data, shapes, ontology, sources=_attribution(loaded))
    report = Report(report.results, loaded.problems, loaded.notices, [p.source for p in loaded.problems])
    if not report.conforms:
        raise ValidationFailed(f"validation failed: {report.summary()}", report)
    return report


def _attribution(loaded):
    """(focus, path, value) -> the file(s) holding that statement, else the file(s) describing the focus."""
    describing = loaded.describing()

    def where(focus, path, value):
        holding = []
        if path.startswith(("http://", "https://")) and value:
            subject, predicate = URIRef(focus), URIRef(path)
            holding = [display(loaded.files[n]) for n, g in loaded.graphs.items()
                       if any(str(o) == value for o in g.objects(subject, predicate))]
        return ", ".join(dict.fromkeys(holding or describing.get(focus, [])))

    return where


def _shape_names(loaded):
    return {n for n, path in loaded.files.items() if Path(path).resolve().parent == SHAPES_DIR.resolve()}


def provenance(loaded, release, when):
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
        graph.add((name, VOID.triples, Literal(len(loaded.graphs[name]))))
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


def write_dataset(graphs, path):
    """Write {graph IRI: Graph} as one N-Quads file."""
    dataset = bind_prefixes(Dataset())
    for name, graph in graphs.items():
        target = dataset.graph(name)
        for triple in graph:
            target.add(triple)
    dataset.serialize(destination=str(path), format="nquads")


def publish(loaded, store, release=None, expected=ANY):
    """Add provenance and publish every graph of ``loaded`` as one new release (if ``expected`` is
    still the current one)."""
    release = release or new_release_name()
    when = datetime.now(UTC).isoformat(timespec="seconds")
    graphs = dict(loaded.graphs)
    graphs[PROVENANCE] = provenance(loaded, release, when)
    with tempfile.TemporaryDirectory(prefix="pledgegraph-") as tmp:
        path = Path(tmp) / "release.nq"
        write_dataset(graphs, path)
        return store.publish([path], release=release, expected=expected)


def load_vocabulary(progress=None):
    """The ontology, shapes and named queries of this code base; returns (Loaded, ontology names, shapes paths)."""
    ontology_paths, shapes_paths = vocabulary_files()
    loaded = load_all(ontology_paths + shapes_paths, ROOT, None, progress=progress)
    loaded.add(iris.graph("queries"), queries_graph(load_queries()), QUERIES_DIR)
    return loaded, [graph_name(p, ROOT) for p in ontology_paths], shapes_paths


def load_project(data_dir, extra=(), progress=None):
    """Load vocabulary, shapes, data/ and any extra files."""
    loaded, ontology_names, shapes_paths = load_vocabulary(progress)
    load_all(data_files(data_dir), Path(data_dir).parent, data_dir, loaded, progress)
    load_all(extra, Path(data_dir).parent, data_dir, loaded, progress)
    return loaded, ontology_names, shapes_paths


def build(data_dir, store, progress=None):
    """Import data/, validate everything, publish one release. Returns (release, report, triples);
    the report's notices name the graphs of the previous release that this one drops. The only
    writer from start to end: a concurrent build or import fails at once."""
    with store.writer():
        loaded, ontology_names, shapes_paths = load_project(data_dir, progress=progress)
        report = check(loaded, shapes_paths, ontology_names)
        report.notices.extend(_dropped(store, loaded))
        return publish(loaded, store), report, loaded.triples()


def _dropped(store, loaded):
    """Sentences naming the graphs of the current release that are not in ``loaded`` (earlier imports)."""
    if not store.exists():
        return []
    rows = store.query(f"SELECT ?g ?source WHERE {{ GRAPH <{PROVENANCE}> {{ ?g <{DCTERMS.source}> ?source }} }}")
    gone = sorted((row["g"].value, row["source"].value) for row in rows if URIRef(row["g"].value) not in loaded.graphs)
    return [f"this build drops graph {g} ({source}), added by `import` since the last build; "
            "put the file in data/ to keep it" for g, source in gone]


def validate_paths(data_dir, paths=(), progress=None):
    """Validate data/ plus ``paths`` without publishing; return the report (stage 1 and stage 2)."""
    loaded, ontology_names, shapes_paths = load_project(data_dir, extra=paths, progress=progress)
    try:
        return check(loaded, shapes_paths, ontology_names)
    except ValidationFailed as failed:
        return failed.report


def import_files(paths, store, data_dir, dry_run=False, progress=None):
    """Add files to the published data, all or nothing. Returns (release or None, report, new graphs).
    The only writer from reading the current release to publishing the next (a dry run writes
    nothing and takes no lock)."""
    for path in paths:
        if os.path.realpath(path) != os.path.abspath(path):  # never read, or quote, what a link points to
            raise InputError(f"{path}: the path goes through a symbolic link; give the file's real path")
    if dry_run:
        return _import(paths, store, data_dir, True, progress)
    with store.writer() as base:
        return _import(paths, store, data_dir, False, progress, base)


def _import(paths, store, data_dir, dry_run, progress, base=ANY):
    loaded, ontology_names, shapes_paths = load_vocabulary(progress)
    for name, graph in published_graphs(store).items():
        if name not in loaded.graphs and name != PROVENANCE:
            loaded.add(name, graph, _published_source(store, name))
    root = Path(data_dir).parent
    load_all(paths, root, data_dir, loaded, progress)
    report = check(loaded, shapes_paths, ontology_names)
    new = {graph_name(p, root): loaded.graphs[graph_name(p, root)] for p in paths}
    return (None if dry_run else publish(loaded, store, expected=base)), report, new


def published_graphs(store):
    """{graph IRI: rdflib Graph} of the current release (small data: the real graph, not benchmarks)."""
    graphs = {}
    with tempfile.TemporaryDirectory(prefix="pledgegraph-") as tmp:
        path = Path(tmp) / "current.nq"
        store.dump(path)
        dataset = Dataset()
        dataset.parse(str(path), format="nquads")
        for context in dataset.graphs():
            if isinstance(context.identifier, URIRef) and len(context):
                graphs[context.identifier] = _copy(context)
    return graphs


def _copy(graph):
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


def _published_source(store, name):
    rows = store.query(f"SELECT ?s WHERE {{ GRAPH <{PROVENANCE}> {{ <{name}> <{DCTERMS.source}> ?s }} }}")
    return next((row["s"].value for row in rows), str(name))

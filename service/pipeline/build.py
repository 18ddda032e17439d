"""Build and import: sources -> RDF graphs -> SHACL gate -> one atomic publication.

Each source file becomes one named graph (``graph/<folder>/<stem>``), described in
``graph/provenance`` (source file, generation time, release). Nothing reaches the store unless
the union of everything validates; the store then swaps to the new release in one step.
"""

import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, VOID, XSD

from .. import iris
from ..config import PROJECT_ROOT
from ..errors import InputError, ValidationFailed
from ..importers.pledge_pages import import_page
from ..importers.quoted_text import mark_quoted_texts
from ..importers.rdf_files import parse_rdf
from ..importers.tables import is_table, read_table
from ..namedqueries.catalog import QUERIES_DIR, load_queries
from ..namedqueries.rdf import queries_graph
from ..namespaces import BASE, bind_prefixes
from ..stores.releases import new_release_name
from .report_rdf import VALIDATION, add_report
from .validation import union, validate

ROOT = PROJECT_ROOT
ONTOLOGY_DIR = ROOT / "ontology"
SHAPES_DIR = ROOT / "shapes"
RDF_SUFFIXES = {".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf"}
TABLE_SUFFIXES = {".tsv", ".csv"}
PAGE_SUFFIXES = {".txt", ".html", ".htm"}
PROVENANCE = iris.graph("provenance")


@dataclass
class Loaded:
    """Graphs by named-graph IRI, and which file each resource came from."""

    graphs: dict = field(default_factory=dict)
    origin: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)

    def add(self, name, graph, path):
        self.graphs[name] = graph
        self.files[name] = path
        for subject in set(graph.subjects()):
            self.origin.setdefault(str(subject), str(path))

    def triples(self):
        return sum(len(g) for g in self.graphs.values())


def graph_name(path, root):
    """graph/<folder>/<stem>: data/pages/SP320067.txt -> graph/pages/SP320067.

    A file from outside the project goes to graph/pages/<stem> (a pledge page) or
    graph/imports/<stem>, so importing the same file again replaces its graph.
    """
    path = Path(path).resolve()
    try:
        parts = path.relative_to(Path(root).resolve()).with_suffix("").parts
    except ValueError:
        parts = ("pages" if path.suffix.lower() in PAGE_SUFFIXES else "imports", path.stem)
    return iris.graph("/".join(parts[-2:]) if len(parts) > 1 else f"imports/{parts[0]}")


def vocabulary_files():
    return sorted(ONTOLOGY_DIR.glob("*.ttl")), sorted(SHAPES_DIR.glob("*.ttl"))


def data_files(data_dir):
    """Source files of data/: tables, RDF files and pledge pages, in import order."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InputError(f"data folder {data_dir} does not exist")
    files = [p for p in sorted(data_dir.rglob("*")) if p.is_file() and _loadable(p)]
    pages = [p for p in files if p.suffix.lower() in PAGE_SUFFIXES]
    return [p for p in files if p not in pages] + pages  # pages last: they match names in tables


def _loadable(path):
    suffix = path.suffix.lower()
    if path.name.startswith("."):
        return False
    if suffix in TABLE_SUFFIXES:
        return is_table(path)
    return suffix in RDF_SUFFIXES | PAGE_SUFFIXES


def load_file(path, context, data_dir):
    """One source file as an rdflib Graph, quoted texts marked; ``context`` holds what it may refer to (names)."""
    return mark_quoted_texts(_graph_of(path, context, data_dir))


def _graph_of(path, context, data_dir):
    suffix = Path(path).suffix.lower()
    if suffix in TABLE_SUFFIXES:
        return read_table(path, data_dir=data_dir)
    if suffix in PAGE_SUFFIXES:
        return import_page(path, context)
    if suffix in RDF_SUFFIXES:
        return _triples_only(parse_rdf(path))
    raise InputError(f"{path}: cannot import files of type {suffix or '(none)'}")


def _triples_only(graph):
    """A TriG or N-Quads file still becomes one named graph: the file's own, like every source."""
    if not isinstance(graph, Dataset):
        return graph
    flat = Graph()
    for s, p, o, _ in graph.quads():
        flat.add((s, p, o))
    return flat


def load_all(paths, root, data_dir, loaded=None, progress=None):
    """Load each file into ``loaded`` (a Loaded), with everything loaded so far as context."""
    loaded = loaded or Loaded()
    for path in paths:
        # only pledge pages look names up; building the union for every file would cost O(n^2)
        context = union(loaded.graphs.values()) if Path(path).suffix.lower() in PAGE_SUFFIXES else None
        loaded.add(graph_name(path, root), load_file(path, context, data_dir), path)
        if progress:
            progress(path)
    return loaded


def check(loaded, shapes_paths, ontology_names):
    """Validate all loaded data; raise ValidationFailed with the report when it does not conform."""
    shapes = union(parse_rdf(p) for p in shapes_paths)
    ontology = union(loaded.graphs[n] for n in ontology_names)
    data = union(g for n, g in loaded.graphs.items() if n not in ontology_names and n not in _shape_names(loaded))
    report = validate(data, shapes, ontology, sources=loaded.origin)
    if not report.conforms:
        raise ValidationFailed(f"validation failed: {report.summary()}", report)
    return report


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
        graph.add((name, DCTERMS.source, Literal(_display(path))))
        graph.add((name, PROV.generatedAtTime, Literal(when, datatype=XSD.dateTime)))
        graph.add((name, DCTERMS.isPartOf, release_iri))
        graph.add((name, VOID.triples, Literal(len(loaded.graphs[name]))))
    return graph


def _display(path):
    if isinstance(path, str):
        return path  # already a display name, from the published provenance
    path = path.resolve()
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return path.name


def write_dataset(graphs, path):
    """Write {graph IRI: Graph} as one N-Quads file."""
    dataset = bind_prefixes(Dataset())
    for name, graph in graphs.items():
        target = dataset.graph(name)
        for triple in graph:
            target.add(triple)
    dataset.serialize(destination=str(path), format="nquads")


def publish(loaded, store, release=None, report=None):
    """Add provenance (and ``report`` as graph/validation) and publish every graph of ``loaded`` as one release."""
    release = release or new_release_name()
    when = datetime.now(UTC).isoformat(timespec="seconds")
    graphs = dict(loaded.graphs)
    graphs[PROVENANCE] = provenance(loaded, release, when)
    if report is not None:
        add_report(graphs, report, release, when, sorted(_shape_names(loaded)))
    with tempfile.TemporaryDirectory(prefix="pledgegraph-") as tmp:
        path = Path(tmp) / "release.nq"
        write_dataset(graphs, path)
        return store.publish([path], release=release)


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
    """Import data/, validate everything, publish one release. Returns (release, report, triples)."""
    loaded, ontology_names, shapes_paths = load_project(data_dir, progress=progress)
    report = check(loaded, shapes_paths, ontology_names)
    return publish(loaded, store, report=report), report, loaded.triples()


def validate_paths(data_dir, paths=(), progress=None):
    """Validate data/ plus ``paths`` without publishing; return the report."""
    loaded, ontology_names, shapes_paths = load_project(data_dir, extra=paths, progress=progress)
    return _report(loaded, shapes_paths, ontology_names)


def import_files(paths, store, data_dir, dry_run=False, progress=None):
    """Add files to the published data, all or nothing. Returns (release or None, report, new graphs)."""
    loaded, ontology_names, shapes_paths = load_vocabulary(progress)
    for name, graph in published_graphs(store).items():
        if name not in loaded.graphs and name not in (PROVENANCE, VALIDATION):
            loaded.add(name, graph, _published_source(store, name))
    root = Path(data_dir).parent
    load_all(paths, root, data_dir, loaded, progress)
    new = {graph_name(p, root): loaded.graphs[graph_name(p, root)] for p in paths}
    report = check(loaded, shapes_paths, ontology_names)
    return (None if dry_run else publish(loaded, store, report=report)), report, new


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


def _report(loaded, shapes_paths, ontology_names):
    try:
        return check(loaded, shapes_paths, ontology_names)
    except ValidationFailed as failed:
        return failed.report

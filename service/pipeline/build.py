"""Build and import: sources -> named graphs (stage 1, ``loading``) -> SHACL gate (stage 2,
``validation``) -> one atomic publication.

Each source file becomes one named graph (``graph/<folder>/<stem>``), described in
``graph/provenance`` (source file, generation time, release). Nothing is published unless
every file was read and the union of everything validates; the store then swaps to the new
release in one step. A build publishes data/ alone: graphs added by ``import`` since the last
build are dropped (the report says which).

Every file is parsed once (pyoxigraph) and held as N-Triples text (``loaded``): the SHACL engine
reads that text, and the release is one N-Quads file for the store's bulk loader.
"""

import tempfile
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, VOID, XSD

from .. import iris
from ..errors import ValidationFailed
from ..importers.rdf_files import parse_rdf
from ..namedqueries.catalog import QUERIES_DIR, load_queries
from ..namedqueries.rdf import queries_graph
from ..namespaces import BASE
from ..stores.releases import ANY, new_release_name
from .agreement import disagreements
from .loading import ROOT, data_files, graph_name, load_all
from .report_rdf import add_report
from .validation import Report, union, validate_chunks

ONTOLOGY_DIR = ROOT / "ontology"
SHAPES_DIR = ROOT / "shapes"
PROVENANCE = iris.graph("provenance")


def vocabulary_files():
    return sorted(ONTOLOGY_DIR.glob("*.ttl")), sorted(SHAPES_DIR.glob("*.ttl"))


def data_graphs(loaded, shapes_paths):
    """The graphs to validate: every graph of ``loaded`` but the shapes (the ontology is validated too)."""
    shape_graphs = {graph_name(p, ROOT) for p in shapes_paths}
    return [n for n in loaded.files if n not in shape_graphs and n != PROVENANCE]


def check(loaded, shapes_paths, focus=None, part=None):
    """Validate all loaded data; ValidationFailed (with the report) unless every file was read and nothing
    is a violation. The report carries stage 1's problems and notices too. With ``focus`` (IRIs)
    and ``part`` (a Loaded holding what their constraints read), validate ``part`` and keep the
    results about ``focus``."""
    shapes = union(parse_rdf(p) for p in shapes_paths)
    data = part or loaded
    names = data_graphs(data, shapes_paths)

    def open_store():
        return data.store(), [ox.NamedNode(str(n)) for n in names]

    report = validate_chunks((data.texts[n] for n in names), shapes, open_store,
                             sources=_attribution(loaded), focus=focus)
    report = Report(report.results, loaded.problems, loaded.notices, [p.source for p in loaded.problems])
    if not report.conforms:
        raise ValidationFailed(f"validation failed: {report.summary()}", report)
    return report


def _attribution(loaded):
    """(focus, path, value) -> the file(s) holding that statement, else the file(s) describing the focus."""

    @cache
    def describing(focus):
        return loaded.describing(ox.NamedNode(focus))

    def where(focus, path, value):
        if not focus.startswith(("http://", "https://")):
            return ""  # a blank node: the engine's label is not the data's
        holding = []
        if path.startswith(("http://", "https://")) and value:
            quads = loaded.store().quads_for_pattern(ox.NamedNode(focus), ox.NamedNode(path), None, None)
            graphs = {q.graph_name.value for q in quads if q.object.value == value}
            holding = [str(path) for name, path in loaded.files.items() if str(name) in graphs]
        return ", ".join(dict.fromkeys(holding or describing(focus)))

    return where


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
        graph.add((name, VOID.triples, Literal(loaded.counts[name])))
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


def publish(loaded, store, release=None, expected=ANY, report=None):
    """Add provenance (and ``report``, a validation.Report, as graph/validation) and publish every
    graph of ``loaded`` as one new release (if ``expected`` is still the current one)."""
    release = release or new_release_name()
    when = datetime.now(UTC).isoformat(timespec="seconds")
    extra = {PROVENANCE: provenance(loaded, release, when)}
    if report is not None:
        add_report(extra, report, release, when, sorted(_shape_names(loaded)))
    with tempfile.TemporaryDirectory(prefix="pledgegraph-") as tmp:
        path = Path(tmp) / "release.nq"
        with open(path, "wb") as handle:
            loaded.write_nquads(handle)
            for name, graph in extra.items():
                handle.write(graph.serialize(format="nt", encoding="utf-8").replace(b" .\n", f" <{name}> .\n".encode()))
        return store.publish([path], release=release, expected=expected)


def _shape_names(loaded):
    shapes = SHAPES_DIR.resolve()
    return {n for n, p in loaded.files.items() if not isinstance(p, str) and Path(p).resolve().parent == shapes}


def load_vocabulary(progress=None, loaded=None):
    """The ontology, shapes and named queries of this code base; returns (Loaded, ontology names, shapes paths)."""
    ontology_paths, shapes_paths = vocabulary_files()
    loaded = load_all(ontology_paths + shapes_paths, ROOT, None, loaded, progress=progress)
    loaded.add(iris.graph("queries"), queries_graph(load_queries()), QUERIES_DIR)
    return loaded, [graph_name(p, ROOT) for p in ontology_paths], shapes_paths


def load_project(data_dir, extra=(), progress=None):
    """Load vocabulary, shapes, data/ and any extra files."""
    loaded, ontology_names, shapes_paths = load_vocabulary(progress)
    load_all(data_files(data_dir), Path(data_dir).parent, data_dir, loaded, progress)
    load_all(extra, Path(data_dir).parent, data_dir, loaded, progress)
    loaded.problems.extend(disagreements(loaded))
    return loaded, ontology_names, shapes_paths


def build(data_dir, store, progress=None):
    """Import data/, validate everything, publish one release. Returns (release, report, triples);
    the report's notices name the graphs of the previous release that this one drops. The only
    writer from start to end: a concurrent build or import fails at once."""
    with store.writer():
        loaded, _, shapes_paths = load_project(data_dir, progress=progress)
        report = check(loaded, shapes_paths)
        report.notices.extend(_dropped(store, loaded))
        return publish(loaded, store, report=report), report, loaded.triples()


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

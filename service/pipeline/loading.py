"""Stage 1 of every build, validation and import: read each source file into its named graph.

Each file becomes one graph (``graph/<folder>/<stem>``). A file that cannot be read, or that
names something unknown (a pledger, a theme, a country ...), is recorded as a ``Problem`` and
the run goes on with the next file, so that one run reports everything it can find; the SHACL
gate (stage 2, ``validation``) then checks what could be read.
"""

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .. import iris
from ..config import PROJECT_ROOT
from ..errors import InputError, PayloadTooLarge
from ..importers.pledge_pages import import_page
from ..importers.quoted_text import mark_quoted_texts
from ..importers.rdf_files import parse_quads, read_checked
from ..importers.tables import is_table, read_table
from ..importers.terms import quads_of, rdflib_graph

ROOT = PROJECT_ROOT
RDF_SUFFIXES = {".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf"}
TABLE_SUFFIXES = {".tsv", ".csv"}
PAGE_SUFFIXES = {".txt", ".html", ".htm"}
TABLE_OF_PAGES = "pages.tsv"  # the index of pledge pages (importers.page_index), read with the pages
SMALL = 10_000  # quads written in one transaction; more go through the store's bulk loader


@dataclass
class Problem:
    """A file stage 1 could not turn into RDF: where, what, and the unknown names it holds."""

    source: str
    message: str
    unmatched: list = field(default_factory=list)


@dataclass
class Loaded:
    """Named graphs in a pyoxigraph store (in memory unless given: the build writes straight into
    the release it prepares), the file each came from, and what stage 1 found wrong."""

    store: ox.Store = field(default_factory=ox.Store)
    files: dict = field(default_factory=dict)  # {graph IRI (rdflib URIRef): source path, or published name}
    problems: list = field(default_factory=list)
    notices: list = field(default_factory=list)  # sentences worth a maintainer's attention

    @property
    def graphs(self):
        """The graph IRIs, in loading order."""
        return list(self.files)

    def add(self, name, source, path):
        """Make graph ``name`` hold ``source`` (an rdflib Graph, or pyoxigraph quads), replacing it."""
        self.remove(name)
        quads = quads_of(source, name) if isinstance(source, Graph) else source
        insert(self.store, quads)
        self.files[name] = path

    def remove(self, name):
        if name in self.files:
            self.store.remove_graph(ox.NamedNode(str(name)))
            del self.files[name]

    def graph(self, name):
        """Graph ``name`` as an rdflib Graph (small graphs: a dry run, tests)."""
        return rdflib_graph(self.store.quads_for_pattern(None, None, None, ox.NamedNode(str(name))))

    def counts(self):
        """{graph IRI: number of triples}."""
        rows = self.store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        found = {row["g"].value: int(row["n"].value) for row in rows}
        return {name: found.get(str(name), 0) for name in self.files}

    def triples(self):
        return sum(self.counts().values())

    def sources_of(self, subject, predicate=None, obj=None):
        """Files of the graphs that hold (subject, predicate, obj), in loading order."""
        names = {q.graph_name.value for q in self.store.quads_for_pattern(subject, predicate, obj, None)}
        return [display(path) for name, path in self.files.items() if str(name) in names]


def insert(store, quads):
    """Write quads: a few in one transaction, many through the bulk loader (no transaction)."""
    quads = quads if isinstance(quads, (list, set)) else list(quads)
    (store.extend if len(quads) <= SMALL else store.bulk_extend)(quads)


def display(path):
    """How a source file is named in reports: as given (data/pledges.tsv, /tmp/x/pledges.tsv)."""
    return str(path)


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


def load_file(path, context, data_dir, warn=None, name=None):
    """One source file as pyoxigraph quads in graph ``name``; ``context`` holds what it may refer to (names)."""
    suffix = Path(path).suffix.lower()
    if suffix in TABLE_SUFFIXES:
        if Path(path).name == TABLE_OF_PAGES:
            raise InputError(f"{path}: {TABLE_OF_PAGES} is read with the pledge pages beside it; "
                             "give the pages themselves (.txt or .html)")
        return quads_of(read_table(path, data_dir=data_dir), name)
    if suffix in PAGE_SUFFIXES:
        return quads_of(import_page(path, context, warn=warn), name)
    if suffix in RDF_SUFFIXES:
        return _rdf_file(path, name)
    raise InputError(f"{path}: cannot import files of type {suffix or '(none)'}")


def _rdf_file(path, name):
    """An RDF file's triples in graph ``name``: a TriG or N-Quads file too becomes the file's own graph.
    Triples formats are parsed by the store's bulk loader (checked first: ``rdf_files``)."""
    graph = ox.NamedNode(str(name))
    checked = read_checked(path)
    if checked is None:  # a format the bulk loader cannot take alone (datasets, JSON-LD)
        return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in parse_quads(path)]
    return checked._replace(graph=graph)


def load_all(paths, root, data_dir, loaded=None, progress=None, context=()):
    """Load each file into ``loaded`` (a Loaded), with everything loaded so far (and the stores of
    ``context``) as context.

    A file that fails becomes a Problem of ``loaded`` and the others are still read. Two files
    of one run that would share a graph are a Problem too (the second would replace the first).
    Every graph gets its quoted texts marked (``importers.quoted_text``).
    """
    loaded = loaded or Loaded()
    seen = {}
    for path in paths:
        name = graph_name(path, root)
        try:
            if name in seen and Path(seen[name]).resolve() != Path(path).resolve():
                raise InputError(f"{path}: would become graph {name}, like {seen[name]}; rename one of them")
            names = [*context, loaded.store] if context else loaded.store
            content = load_file(path, names, data_dir, warn=loaded.notices.append, name=name)
            if hasattr(content, "load_into"):
                loaded.remove(name)
                content.load_into(loaded.store)
                loaded.files[name] = path
            else:
                loaded.add(name, content, path)
            insert(loaded.store, mark_quoted_texts(loaded.store, name))
        except (InputError, PayloadTooLarge) as error:
            if name not in loaded.files:  # a bulk load that failed half-way leaves what it read
                loaded.store.remove_graph(ox.NamedNode(str(name)))
            loaded.problems.append(Problem(display(path), error.message, list(error.details.get("unmatched", []))))
        seen[name] = path
        if progress:
            progress(path)
    return loaded

"""Stage 1 of every build, validation and import: read each source file into its named graph.

Each file becomes one graph (``graph/<folder>/<stem>``). A file that cannot be read, or that
names something unknown (a pledger, a theme, a country ...), is recorded as a ``Problem`` and
the run goes on with the next file, so that one run reports everything it can find; the SHACL
gate (stage 2, ``validation``) then checks what could be read.
"""

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from .. import iris
from ..config import PROJECT_ROOT
from ..errors import InputError, PayloadTooLarge
from ..importers.pledge_pages import import_page
from ..importers.rdf_files import parse_quads
from ..importers.tables import is_table, read_table
from .loaded import Loaded

ROOT = PROJECT_ROOT
RDF_SUFFIXES = {".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf"}
TABLE_SUFFIXES = {".tsv", ".csv"}
PAGE_SUFFIXES = {".txt", ".html", ".htm"}
TABLE_OF_PAGES = "pages.tsv"  # the index of pledge pages (importers.page_index), read with the pages


@dataclass
class Problem:
    """A file stage 1 could not turn into RDF: where, what, and the unknown names it holds."""

    source: str
    message: str
    unmatched: list = field(default_factory=list)


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
    parts = [quote(part, safe="-._~") for part in parts]  # a folder or file name with spaces is still an IRI
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


def load_file(path, context, data_dir, warn=None):
    """One source file as an rdflib Graph (tables, pages) or pyoxigraph quads (RDF files; a TriG or
    N-Quads file still becomes one graph, the file's own); ``context`` holds what it may refer to (names)."""
    suffix = Path(path).suffix.lower()
    if suffix in TABLE_SUFFIXES:
        if Path(path).name == TABLE_OF_PAGES:
            raise InputError(f"{path}: {TABLE_OF_PAGES} is read with the pledge pages beside it; "
                             "give the pages themselves (.txt or .html)")
        return read_table(path, data_dir=data_dir)
    if suffix in PAGE_SUFFIXES:
        return import_page(path, context, warn=warn)
    if suffix in RDF_SUFFIXES:
        return parse_quads(path)
    raise InputError(f"{path}: cannot import files of type {suffix or '(none)'}")


def load_all(paths, root, data_dir, loaded=None, progress=None, context=()):
    """Load each file into ``loaded`` (a Loaded), with everything loaded so far (and ``context``:
    more stores, such as the published release) as context.

    A file that fails becomes a Problem of ``loaded`` and the others are still read. Two files
    of one run that would share a graph are a Problem too (the second would replace the first).
    """
    loaded = loaded or Loaded()
    seen = {}
    for path in paths:
        name = graph_name(path, root)
        try:
            if name in seen and Path(seen[name]).resolve() != Path(path).resolve():
                raise InputError(f"{path}: would become graph {name}, like {seen[name]}; rename one of them")
            # only pledge pages look names up
            names = ([*context, loaded.facts()] if Path(path).suffix.lower() in PAGE_SUFFIXES else None)
            loaded.add(name, load_file(path, names, data_dir, warn=loaded.notices.append), path)
        except (InputError, PayloadTooLarge) as error:
            loaded.problems.append(Problem(display(path), error.message, list(error.details.get("unmatched", []))))
        seen[name] = path
        if progress:
            progress(path)
    return loaded

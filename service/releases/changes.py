"""What changed in a release: the triples added and removed against the previous kept release, per graph.

The change set is an **RDF Patch** (https://afs.github.io/rdf-patch/): one transaction whose rows
delete (``D``) and add (``A``) quads, each naming its graph, after headers naming this release
(``H id``) and the one it applies to (``H prev``; none for the first kept release, whose patch
adds everything). Why this format: deletions and additions travel in one file applied in one
step, every row carries its graph, the id/prev headers let a mirror check that it applies a patch
to the release it holds, and readers exist (Apache Jena's RDF Delta; any N-Quads reader once the
leading letter is dropped). Blank nodes are labelled by RDF canonicalisation (RDFC-1.0, per graph),
so a graph whose blank nodes did not change gives no rows, and a mirror that applies every patch
from the first keeps the same labels.

Made lazily, once per release and previous kept release, into
``<STORE_DIR>/history/changes/<release>/since-<previous>/`` (``since-none`` for the first): a
pruned release makes the next kept one's change set against the one before, computed anew.
Each holds ``patch.rdfp`` and ``summary.json`` (counts per graph, and every IRI that is the subject
or object of a changed triple: the resources whose pages changed).
"""

import json
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..namespaces import BASE

MEDIA_TYPE = "application/rdf-patch"
EXTENSION = "rdfp"
PATCH, SUMMARY = "patch.rdfp", "summary.json"


@dataclass
class ChangeSet:
    """The summary of one release's change set, and where its patch is."""

    release: str
    previous: str | None
    graphs: dict = field(default_factory=dict)  # graph IRI -> {"added": n, "removed": n}
    resources: list = field(default_factory=list)  # IRIs whose description changed, sorted
    patch: object = None  # Path of the RDF Patch

    @property
    def added(self):
        return sum(g["added"] for g in self.graphs.values())

    @property
    def removed(self):
        return sum(g["removed"] for g in self.graphs.values())


def change_set(history, release):
    """The ChangeSet of a kept release against the previous kept one (computed once, then read)."""
    previous = history.previous(release)
    return history.derived(f"changes/{release}", f"since-{previous or 'none'}",
                           lambda folder: write(history, release, previous, folder), _read)


def _read(folder):
    summary = json.loads((folder / SUMMARY).read_text(encoding="utf-8"))
    return ChangeSet(summary["release"], summary["previous"], summary["graphs"], summary["resources"],
                     folder / PATCH)


def write(history, release, previous, folder):
    """Compute the change set of ``release`` against the kept release ``previous`` (None: nothing)
    into the new folder ``folder``."""
    old = history.view(previous) if previous else None
    new = history.view(release)
    folder.mkdir(parents=True)
    graphs, resources = {}, set()
    with open(folder / PATCH, "wb") as out:
        out.write(f"H id <{BASE}release/{release}> .\n".encode())
        if previous:
            out.write(f"H prev <{BASE}release/{previous}> .\n".encode())
        out.write(b"TX .\n")
        names = set(new.named_graphs()) | (set(old.named_graphs()) if old else set())
        for graph in sorted(names, key=lambda g: g.value):
            before, after = _graph_file(old, graph, folder / "old.nt"), _graph_file(new, graph, folder / "new.nt")
            removed, added = _only_in(before, after), _only_in(after, before)
            tail = f" {graph} .\n".encode()
            out.writelines(b"D " + line[:-3] + tail for line in removed)
            out.writelines(b"A " + line[:-3] + tail for line in added)
            if removed or added:
                graphs[graph.value] = {"added": len(added), "removed": len(removed)}
                resources.update(_iris(removed + added))
        out.write(b"TC .\n")
    for scratch in ("old.nt", "new.nt"):
        (folder / scratch).unlink(missing_ok=True)
    summary = {"release": release, "previous": previous, "graphs": graphs, "resources": sorted(resources)}
    (folder / SUMMARY).write_text(json.dumps(summary, indent=0), encoding="utf-8")


def _graph_file(store, graph, path):
    """One graph of ``store`` (None: empty) as N-Triples in ``path``, blank nodes labelled canonically.
    The embedded store writes it itself (no Python object per triple: 10x faster)."""
    path.write_bytes(b"")
    if hasattr(store, "oxigraph"):
        store.oxigraph().dump(output=str(path), format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
    elif store is not None:
        ox.serialize((q.triple for q in store.quads(graph=graph)), output=str(path), format=ox.RdfFormat.N_TRIPLES)
    if b"_:" in path.read_bytes():  # blank nodes (or a literal that says "_:": canonical labels are harmless)
        dataset = ox.Dataset(store.quads(graph=graph))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        ox.serialize((q.triple for q in dataset), output=str(path), format=ox.RdfFormat.N_TRIPLES)
    return path


def _only_in(path, other):
    """The lines of ``path`` that ``other`` lacks, sorted (one graph's lines of ``other`` in memory)."""
    with open(other, "rb") as lines:
        theirs = set(lines)
    with open(path, "rb") as lines:
        return sorted(line for line in lines if line not in theirs)


def _iris(lines):
    """The IRIs that are the subject or object of the triples in ``lines``."""
    triples = ox.parse(b"".join(lines), format=ox.RdfFormat.N_TRIPLES) if lines else []
    return {t.value for q in triples for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)}

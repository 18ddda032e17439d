"""The kept releases of a store, and the facts about each, computed once and kept beside them.

    History(store)
        .names() -> [release]                  kept releases, oldest first
        .current() -> release or None          the published one
        .resolve(name) -> release              a release name, a tag, or ``current``; NotFound otherwise
        .previous(release) -> release or None  the kept release published before it
        .view(release) -> store                the store pinned to that release
        .tags() -> {tag: release}, .tags_of(release) -> [tag]
        .facts(release) -> dict                triples, graphs, validated, bytes on disk
        .folder                                where derived files live (``<STORE_DIR>/history``)

Everything derived from a release (facts, change sets) is written aside and renamed into place
under a file lock, once: a release never changes. On a remote store the history holds the
current release only (README, "Releases on a remote store"), and derived files go to a
temporary folder.
"""

import fcntl
import hashlib
import json
import os
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError, NotFound
from ..namespaces import BASE
from ..stores.ledger import HISTORY, Ledger
from ..stores.releases import release_time

VALIDATED = f"ASK {{ GRAPH <{BASE}graph/provenance> {{ ?release a <http://www.w3.org/ns/prov#Entity> }} }}"
QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
_lock = threading.Lock()


class History:
    """What is known about the releases of ``store`` (embedded, or remote)."""

    def __init__(self, store):
        self.store = store
        root = getattr(store, "root", None)
        remote = hashlib.sha256(repr(store).encode()).hexdigest()[:16]  # one folder per remote store
        self.folder = Path(root) / HISTORY if root else Path(tempfile.gettempdir()) / "pledgegraph-history" / remote
        self.ledger = Ledger(root) if root else None

    def names(self):
        return self.store.release_names()

    def current(self):
        return self.store.current_release()

    def view(self, release):
        return self.store.at(release)

    def resolve(self, name):
        """The release ``name`` stands for: itself, a tag's release, or the current one for ``current``."""
        name = name or ""  # exactly as given: "<id>\n" names nothing
        if name == "current" and self.current():
            return self.current()
        tagged = self.tags().get(name)
        if tagged:
            return tagged
        if name in self.names():
            return name
        raise NotFound(f"no release or tag {name[:80]!r} is kept here; /releases/ lists them")

    def previous(self, release):
        older = [n for n in self.names() if n < release]
        return older[-1] if older else None

    def tags(self):
        return self.ledger.tags() if self.ledger else {}

    def tags_of(self, release):
        return sorted(tag for tag, named in self.tags().items() if named == release)

    def tag(self, name, release):
        """Tag a kept release (any name ``resolve`` takes) for good; returns the release."""
        ledger, release = self._ledger(), self.resolve(release)
        ledger.tag(name, release)
        return release

    def untag(self, name):
        self._ledger().untag(name)

    def prune(self):
        """Apply the retention settings now (``stores.retention``); the names removed."""
        if self.ledger is None:
            raise InputError("a remote store keeps only its current release: there is nothing to prune")
        return self.store.prune()

    def listing(self):
        """[{release, current, tags, permalinks, triples, graphs, validated, bytes, published}], oldest first."""
        pinned = self.ledger.pinned() if self.ledger else {}
        return [{"release": name, "current": name == self.current(), "tags": self.tags_of(name),
                 "permalinks": pinned.get(name, 0), **self.facts(name)} for name in self.names()]

    def _ledger(self):
        if self.ledger is None:
            raise InputError("a remote store keeps only its current release: tags and permalinks need the "
                             "embedded store")
        return self.ledger

    def facts(self, release):
        """{"triples", "graphs", "validated", "bytes"} of a kept release, computed once."""
        return self.derived("facts", f"{release}.json", lambda path: _write_facts(self, release, path),
                            lambda path: json.loads(path.read_text(encoding="utf-8")))

    def derived(self, kind, name, write, read):
        """``read(path)`` of ``<folder>/<kind>/<name>``, made first by ``write(partial path)`` if missing:
        written aside and renamed into place under an exclusive lock, so processes wait for one writer."""
        path = self.folder / kind / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            with _locked(path.parent / ".lock"):
                if not path.exists():
                    partial = path.with_name(f"{name}.partial-{os.getpid()}")
                    write(partial)
                    os.replace(partial, path)
        return read(path)


@contextmanager
def _locked(path):
    with _lock, open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _write_facts(history, release, path):
    view = history.view(release)
    graphs = view.named_graphs()
    triples = len(view.oxigraph()) if hasattr(view, "oxigraph") else int(next(iter(view.query(QUADS)))["n"].value)
    this = ox.NamedNode(f"{BASE}release/{release}")
    validated = bool(view.query(VALIDATED, substitutions={ox.Variable("release"): this}))
    folder = getattr(view, "releases", None)
    size = _disk_bytes(folder / release) if folder else None
    when = release_time(release)
    facts = {"triples": triples, "graphs": len(graphs), "validated": validated, "bytes": size,
             "published": when.isoformat() if when else None}
    path.write_text(json.dumps(facts), encoding="utf-8")


def _disk_bytes(folder):
    """Bytes the files of ``folder`` take on disk (allocated blocks, so a sparse file counts as it is)."""
    return sum(p.stat().st_blocks * 512 for p in Path(folder).rglob("*") if p.is_file())

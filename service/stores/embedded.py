"""The store: one small interface, the embedded Oxigraph implementation.

Published data is a *release*: an Oxigraph directory written once by a build, then never
written again. ``current`` is a symlink to the published release; publishing writes a new
release beside it and swaps the link with one atomic rename. So:

* readers (any number of service processes) open releases read-only, lazily, after the
  fork, and notice a swap at their next query;
* a failed or killed build leaves a ``*.partial`` directory that nobody reads and the next
  build removes; ``current`` still names the old release;
* only one writer at a time (an exclusive lock on ``.lock``), held by ``build`` and ``import``
  from reading the current release to publishing the next (``writer()``), so no writer
  publishes over a release it did not read.

Every kept release stays readable: ``at(name)`` is the store pinned to one release (its queries,
pages and dumps are that release's), and ``_prune`` applies the retention policy
(``stores.retention``) after each publication, sparing tagged and cited releases (``stores.ledger``).

Unless a query names its dataset (FROM, or the protocol's graph parameters: ``stores.interface``),
its default graph is the union of all named graphs: every source is its own named graph, and
people asking questions should not have to know which.
"""

import fcntl
import gc
import logging
import os
import shutil
import sys
import threading
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError, NotFound, StoreUnavailable
from .integrity import damage, write_manifest
from .ledger import Ledger
from .prepare_view import ReleaseBeingPublished
from .releases import ANY, new_release_name
from .retention import expired, remove_release
from .sparql_text import query_dataset

log = logging.getLogger(__name__)
STORE_FAULTS = ("Corruption", "IO error")  # how RocksDB's errors start, as pyoxigraph passes them on
STORE_FAULT = "the published data could not be read (a store fault); retry later"
OPEN_RELEASES = 4  # releases other than the current one a process keeps open (least recently used go)


class EmbeddedStore:
    """Read and publish releases of an on-disk Oxigraph store under ``root``."""

    def __init__(self, root, keep=0, keep_days=0, pinned=None, prepare=None):
        self.root = Path(root)
        self.current_link = self.root / "current"  # made once: it is read at every query
        self.prepare = prepare  # prepare(release being published): its page index and dumps, before the swap
        self.prepared = {}  # what the last prepare returned (its timings)
        self.keep, self.keep_days = keep, keep_days  # retention: 0 is no limit (stores.retention)
        self.pinned = pinned  # a view of one kept release (``at``), not the current one
        self._views = OrderedDict()
        self._lock = threading.Lock()
        self._opened = None  # (release name, ox.Store)
        self._reported = None  # (release name, problem) last logged
        self._writing = threading.RLock()
        self._writers = 0  # nesting depth of writer() in this process

    # -- reading ------------------------------------------------------------------------

    @property
    def releases(self):
        return self.root / "releases"

    def current_release(self):
        """Name of the published release, or None when nothing is published yet (a view: its release)."""
        if self.pinned:
            return self.pinned
        try:
            return os.path.basename(os.readlink(self.current_link))
        except FileNotFoundError:
            return None

    def exists(self):
        return self.current_release() is not None

    def release_names(self):
        """Every kept release, oldest first."""
        try:
            return sorted(p.name for p in self.releases.iterdir() if p.is_dir() and "." not in p.name)
        except FileNotFoundError:
            return []

    def at(self, name):
        """This store pinned to the kept release ``name``, current or not (a publication never moves
        it to another release); NotFound if no release of that name is kept."""
        if self.pinned:
            return EmbeddedStore(self.root).at(name)
        if name not in self.release_names():
            raise NotFound(f"no release {name[:80]!r} is kept here; /releases/ lists them")
        with self._lock:
            view = self._views.pop(name, None) or EmbeddedStore(self.root, pinned=name)
            self._views[name] = view
            while len(self._views) > OPEN_RELEASES:
                self._views.popitem(last=False)
        return view

    def oxigraph(self):
        """The pyoxigraph store of the current release, reopened after a swap; StoreUnavailable
        (with a plain reason, logged with the details) if nothing is published or it is damaged."""
        name = self.current_release()
        if name is None:
            raise StoreUnavailable("nothing is published yet; run `pledgegraph build`")
        with self._lock:
            if self._opened is None or self._opened[0] != name:
                self._opened = (name, self._open(name))
            return self._opened[1]

    def check(self):
        """What is wrong with the published release in plain words, or None (also None when
        nothing is published: that is not damage)."""
        if not self.exists():
            return None
        try:
            self.oxigraph()
        except StoreUnavailable as exc:
            return exc.message
        return None

    def _open(self, name):
        problem, details = damage(self.releases / name), ""
        if problem is None:
            try:
                return ox.Store.read_only(str(self.releases / name))
            except (OSError, RuntimeError) as exc:  # RocksDB: "Corruption: ...", "IO error: ..."
                problem = "its store files cannot be opened"
                details = f" ({exc})"
        if (name, problem) != self._reported:  # once per release and fault, not at every request
            self._reported = (name, problem)
            log.error("the published release %s under %s is damaged: %s%s", name, self.root, problem, details)
        raise StoreUnavailable(
            f"the published data (release {name}) is damaged: {problem}; "
            "the operator must rebuild it with `pledgegraph build`"
        )

    def query(self, sparql, *, substitutions=None, default_graph=None, named_graphs=None, base_iri=None):
        """Run SPARQL on the current release with the dataset rules of ``stores.interface``;
        relative IRIs resolve against ``base_iri``; InputError on a syntax error."""
        if default_graph is not None or named_graphs is not None:
            dataset = {"default_graph": default_graph or [], "named_graphs": named_graphs or []}
        elif query_dataset(sparql) is None:
            dataset = {"use_default_graph_as_union": True}
        else:
            dataset = {}  # the engine reads the query's FROM / FROM NAMED itself
        try:
            return self.oxigraph().query(sparql, base_iri=base_iri, substitutions=substitutions, **dataset)
        except SyntaxError as exc:
            raise InputError(f"SPARQL syntax error: {exc}") from None
        except (OSError, RuntimeError) as exc:
            if str(exc).startswith(STORE_FAULTS) or isinstance(exc, OSError):
                log.error("release %s under %s failed during a query: %s", self.current_release(), self.root, exc)
                raise StoreUnavailable(STORE_FAULT) from None
            raise InputError(f"cannot run this query: {exc}") from None  # e.g. a substituted variable not projected

    def quads(self, subject=None, predicate=None, obj=None, graph=None):
        """Quads matching a pattern, across all graphs unless ``graph`` is given."""
        return self.oxigraph().quads_for_pattern(subject, predicate, obj, graph)

    def named_graphs(self):
        return list(self.oxigraph().named_graphs())

    def dump(self, path):
        """Write every quad of the current release to ``path`` as N-Quads."""
        self.oxigraph().dump(output=str(path), format=ox.RdfFormat.N_QUADS)

    def close(self):
        with self._lock:
            self._opened = None
        gc.collect()

    # -- publishing ---------------------------------------------------------------------

    @contextmanager
    def writer(self):
        """Be the only writer until the block ends; yields the current release (or None).

        Fails at once (InputError) if another process holds the lock. Nested calls and the
        ``publish`` inside share the lock taken by the outermost one.
        """
        if self.pinned:
            raise InputError(f"release {self.pinned} is published already; releases are never written again")
        with self._writing:
            if self._writers:
                self._writers += 1
                try:
                    yield self.current_release()
                finally:
                    self._writers -= 1
                return
            self.root.mkdir(parents=True, exist_ok=True)
            with open(self.root / ".lock", "w") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    raise InputError(
                        f"another build or import is writing the store {self.root.name}/; "
                        "nothing was published: run this again when it has finished"
                    ) from None
                self._writers = 1
                try:
                    yield self.current_release()
                finally:
                    self._writers = 0

    def publish(self, paths, release=None, expected=ANY):
        """Bulk-load dataset files (N-Quads, TriG) into a new release, then make it current in one step.

        ``expected``: the release the caller read its data from; if another is current, nothing
        is published (InputError).
        """
        with self.staged(release, expected=expected) as (release, store):
            for path in paths:
                store.bulk_load(path=str(path))  # format from the file extension
            del store  # closed before its manifest is written (staged() checks no reference is left)
        return release

    @contextmanager
    def staged(self, release=None, from_current=False, expected=ANY):
        """Write a new release: yields (its name, a read-write pyoxigraph Store on ``<name>.partial``,
        a copy of the current release if ``from_current``: RocksDB hard links, no data copied). When
        the block ends, ``prepare`` (if set) builds what is derived from the release (its page index,
        its dumps), then the release becomes current in one step; if anything raises, it is removed.
        ``expected`` as in ``publish``."""
        release = release or new_release_name()
        with self.writer() as current:
            if expected is not ANY and current != expected:
                raise InputError(f"release {current} was published since this writer read {expected}; "
                                 "nothing was published: run it again")
            self._remove_partials()
            partial = self.releases / (release + ".partial")
            partial.parent.mkdir(parents=True, exist_ok=True)
            if from_current and self.exists():
                self.oxigraph().backup(str(partial))
            store = ox.Store(str(partial))
            try:
                yield release, store
                store.flush()
                if self.prepare:
                    self.prepared = self.prepare(ReleaseBeingPublished(store, release, self.root, self.release_names()))
                gc.collect()  # what prepare left in reference cycles
                if sys.getrefcount(store) > 2:  # this frame's name and getrefcount's own argument
                    raise RuntimeError("a writer still holds the release's store: its files could change after "
                                       "publication; drop the reference at the end of the `with staged()` block")
            except BaseException:
                del store
                gc.collect()
                shutil.rmtree(partial, ignore_errors=True)
                remove_release(self.root, release)  # and whatever prepare wrote for it
                raise
            del store
            gc.collect()  # closes the RocksDB handle before the rename
            write_manifest(partial)
            final = self.releases / release
            partial.rename(final)
            self._swap_current(final)
            self._prune()

    def _swap_current(self, target):
        tmp = self.root / f".current.{os.getpid()}"
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(Path("releases") / target.name)
        os.replace(tmp, self.current_link)  # atomic on POSIX
        _fsync_dir(self.root)

    def _remove_partials(self):
        for path in self.releases.glob("*.partial"):
            shutil.rmtree(path, ignore_errors=True)

    def prune(self):
        """Apply the retention policy now, as the only writer; returns the names removed."""
        with self.writer():
            return self._prune()

    def _prune(self):
        """Apply the retention policy; returns the names removed (tagged and cited releases stay)."""
        protected = Ledger(self.root).protected()
        gone = expired(self.release_names(), self.current_release(), self.keep, self.keep_days, protected)
        for name in gone:
            remove_release(self.root, name)
        return gone


def _fsync_dir(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

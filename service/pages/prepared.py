"""A release's page index (``prepared_build``): where it lives, opened read-only by every process.

Where it lives:

* embedded store: ``STORE_DIR/indexes/<release>.sqlite``, written by the command that publishes
  the release (``build``, ``import``) before the release becomes current, and removed with it;
* remote store: the service does not own the server's disk, and the publishing command may run
  on another machine, so each machine keeps its own copy under the system's temporary folder
  (``pledgegraph-indexes/<key of the store's URL>/<release>.sqlite``), built on first use.

A release with no usable index (a remote store's, one published before indexes existed, a
missing, cut short or outdated file) gets one built once, under an exclusive file lock that every
other process waits on, then shared. A file that turns out to be damaged while it is read is
reported (StoreUnavailable: 503) and rebuilt at the next request. A sidecar
``<release>.sqlite.json`` records the file's size: a file cut short is noticed before it is read.
"""

import fcntl
import hashlib
import json
import logging
import sqlite3
import tempfile
import threading
from array import array
from pathlib import Path

from ..errors import StoreUnavailable
from .home_figures import figures
from .listing_index import labels_of
from .prepared_build import FORMAT, write_index

log = logging.getLogger(__name__)
OPEN = 8  # indexes a process keeps open (the current release's and a few kept releases')
FETCHED = 10_000  # values read from the store an open index keeps per table (labels, a kind's columns)
DAMAGED = "the page index of release {} is damaged; it is rebuilt at the next request"
_open = {}
_lock = threading.Lock()


def index_folder(store):
    """The folder of ``store``'s page indexes (see the module's docstring)."""
    root = getattr(store, "root", None)
    if root:
        return Path(root) / "indexes"
    key = hashlib.sha256(repr(store).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / "pledgegraph-indexes" / key


def index_path(folder, release):
    return Path(folder) / f"{release}.sqlite"


def prepared(store):
    """The Prepared index of ``store``'s current release (pinned views: their release), built
    first if it has none; StoreUnavailable if nothing is published or it cannot be built."""
    release = store.current_release()
    if release is None:
        raise StoreUnavailable("nothing is published yet; run `pledgegraph build`")
    folder = index_folder(store)
    key = (str(folder), release)
    with _lock:
        found = _open.get(key)
    if found is None:
        found = Prepared(ensure_index(store, folder, release), release, key)
        with _lock:
            _open[key] = found
            while len(_open) > OPEN:
                _open.pop(next(iter(_open)))
    return found


def build_index(store, folder, release, figures):
    """Write the index of ``store`` (its current release is ``release``) into ``folder``, with its sidecar."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = index_path(folder, release)
    sidecar = path.with_name(path.name + ".json")
    sidecar.unlink(missing_ok=True)
    write_index(store, path, release, figures)
    sidecar.write_text(json.dumps({"bytes": path.stat().st_size, "format": FORMAT}))
    return path


def ensure_index(store, folder, release):
    """The path of a usable index of ``release``, building it (once, under a lock) if needed;
    StoreUnavailable (logged with the reason) if it cannot be written, e.g. a read-only folder."""
    path = index_path(folder, release)
    if problem(path, release) is None:
        return path
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        with open(Path(folder) / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # other processes wait for the one builder
            found = problem(path, release)
            if found is not None:
                (log.info if found == "missing" else log.warning)("page index of release %s: %s; building it",
                                                                   release, found)
                build_index(store, folder, release, figures)
                if not getattr(store, "root", None):
                    _forget_others(folder, store.release_names())
    except (OSError, sqlite3.Error) as exc:
        log.error("page index of release %s cannot be built in %s: %s", release, folder, exc)
        raise StoreUnavailable(f"the page index of release {release} cannot be built; retry later") from None
    return path


def _forget_others(folder, kept):
    """Remove the local indexes of a remote store's releases it no longer keeps (the embedded
    store's go with their releases: ``stores.retention``)."""
    for path in Path(folder).glob("*.sqlite*"):
        if path.name.split(".")[0] not in kept and ".partial-" not in path.name:
            path.unlink(missing_ok=True)


def problem(path, release):
    """What is wrong with the index file at ``path`` in words ("missing", ...), or None."""
    sidecar = path.with_name(path.name + ".json")
    if not path.exists() or not sidecar.exists():
        return "missing"
    try:
        expected = json.loads(sidecar.read_text())
        if expected.get("format") != FORMAT:
            return "an older format"
        if path.stat().st_size != expected.get("bytes"):
            return "cut short or changed"
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            meta = dict(connection.execute("SELECT key, value FROM meta"))
    except (OSError, ValueError, sqlite3.Error):
        return "unreadable"
    return None if meta.get("release") == release and meta.get("format") == FORMAT else "another release's"


class Prepared:
    """Read access to one release's index; each thread has its own read-only connection."""

    def __init__(self, path, release, key):
        self.path, self.release, self.key = path, release, key
        self._local = threading.local()
        self._kinds, self._orders, self._lock = {}, {}, threading.Lock()
        self._figures = self._labels = None
        self._remembered = {}  # table -> {key: value} read from the store (see remembered)

    def rows(self, sql, parameters=()):
        """Rows of ``sql``; a damaged file is reported (StoreUnavailable) and forgotten, so the next
        request rebuilds it."""
        connection = getattr(self._local, "connection", None)
        try:
            if connection is None:
                connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
                self._local.connection = connection
            return connection.execute(sql, parameters).fetchall()
        except sqlite3.DatabaseError as exc:
            log.error("page index %s failed: %s", self.path, exc)
            with _lock:
                _open.pop(self.key, None)
            Path(str(self.path) + ".json").unlink(missing_ok=True)  # so that it is rebuilt
            raise StoreUnavailable(DAMAGED.format(self.release)) from None

    def kind(self, slug):
        """The Bitmaps of listing ``slug`` (read from the file once per process)."""
        with self._lock:
            found = self._kinds.get(slug)
        if found is None:
            ((items, codes),) = self.rows("SELECT items, codes FROM kinds WHERE slug = ?", (slug,))
            values = {}
            for param, value, members in self.rows("SELECT param, value, members FROM facets WHERE slug = ?", (slug,)):
                values.setdefault(param, {})[value] = int.from_bytes(members, "little")
            found = Bitmaps(json.loads(items), values, json.loads(codes))
            with self._lock:
                self._kinds[slug] = found
        return found

    def order(self, slug, sort, chain):
        """(ids with a value, ids without) in ascending order of ``sort`` ("" the default) for the
        label chain, or None when the index holds no order for that chain."""
        key = (slug, sort, ",".join(chain))
        with self._lock:
            found = self._orders.get(key)
        if found is None:
            rows = self.rows("SELECT present, missing FROM orders WHERE slug = ? AND sort = ? AND chain = ?", key)
            if not rows:
                return None
            found = tuple(array("i", blob) for blob in rows[0])
            with self._lock:
                self._orders[key] = found
        return found

    def remembered(self, table, keys, fetch, default):
        """{key: value} for ``keys``: ``fetch(missing keys)`` ({key: value}; a key it leaves out
        gets ``default``) is asked only for keys this process has not read before. A release never
        changes, so nothing goes stale; each table keeps up to FETCHED keys (emptied when full)."""
        with self._lock:
            memo = self._remembered.setdefault(table, {})
            found = {key: memo[key] for key in keys if key in memo}
        missing = [key for key in keys if key not in found]
        if missing:
            fetched = fetch(missing)
            fresh = {key: fetched.get(key, default) for key in missing}
            with self._lock:
                if len(memo) + len(fresh) > FETCHED:
                    memo.clear()  # bounded; the next pages read what they need again
                if len(fresh) <= FETCHED:  # an export of every item is read, not kept
                    memo.update(fresh)
            found.update(fresh)
        return found

    def labels_of(self, store, iris):
        """IRI -> [(text, lang)] for each IRI that has a label, as ``listing_index.labels_of``: the
        labels of facet values from the index (read once per process), the others from ``store``
        once per process (up to FETCHED of them at a time)."""
        with self._lock:
            known = self._labels
        if known is None:
            known = {}
            for iri, text, lang in self.rows("SELECT iri, text, lang FROM labels"):
                known.setdefault(iri, []).append((text, lang))
            with self._lock:
                self._labels = known
        found = {iri: known[iri] for iri in iris if iri in known}
        others = [iri for iri in iris if iri not in known]
        found.update(self.remembered("labels", others, lambda missing: labels_of(store, missing), []))
        return {iri: labels for iri, labels in found.items() if labels}

    def incoming_counts(self, iri):
        """{property IRI: number of IRIs linking to ``iri`` with it}."""
        return dict(self.rows("SELECT p, n FROM incoming WHERE o = ?", (iri,)))

    def figures(self):
        """The home page's figures as ``figures.figures`` computed them at build time."""
        if self._figures is None:
            ((text,),) = self.rows("SELECT value FROM meta WHERE key = 'figures'")
            self._figures = json.loads(text)
        return self._figures


class Bitmaps:
    """A listing's items (an item's id is its position) and its facet values as bitmaps of ids."""

    def __init__(self, items, values, codes):
        self.items, self.values, self.codes = items, values, codes
        self._ids = None

    @property
    def ids(self):
        """{IRI: id}."""
        if self._ids is None:
            self._ids = {iri: i for i, iri in enumerate(self.items)}
        return self._ids

"""Dumps of a release with their SHA-256 checksums.

Dumps are written once per release: by the publication itself on the embedded store
(``dataset.prepare``, before the release becomes current), else on the first request that needs
them (a remote store's release, or a kept release published before this existed: a dump download
or the VoID description, which carries their sizes and SHA-256 checksums). Either way they are
written to ``<folder>/<release>.partial-<pid>`` and renamed into ``<folder>/<release>`` in one
step, under an exclusive file lock so that concurrent workers wait for one writer instead of
racing. Each kept release has its own (``/releases/<id>/dumps/...``); the folders of releases no
longer kept are removed when new dumps are made. A release never changes, so its dumps never go
stale.
"""

import fcntl
import gzip
import hashlib
import json
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import WRITER_PREFIXES
from ..pages.labels import N_


@dataclass(frozen=True)
class Dump:
    name: str
    title: str  # an interface string: the dataset's page shows it in the reader's language
    media_type: str
    format: object  # pyoxigraph RdfFormat
    union: bool  # True: the triples of all graphs merged; False: every quad with its graph
    compressed: bool


DUMPS = (
    Dump(
        "pledgegraph.nt.gz",
        N_("N-Triples (all graphs merged), gzip"),
        "application/n-triples",
        ox.RdfFormat.N_TRIPLES,
        True,
        True,
    ),
    Dump("pledgegraph.ttl", N_("Turtle (all graphs merged)"), "text/turtle", ox.RdfFormat.TURTLE, True, False),
    Dump(
        "pledgegraph.nq.gz",
        N_("N-Quads (every named graph), gzip"),
        "application/n-quads",
        ox.RdfFormat.N_QUADS,
        False,
        True,
    ),
)
MANIFEST = "manifest.json"
ALL_TRIPLES = "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"
_lock = threading.Lock()


def dump_by_name(name):
    return next((d for d in DUMPS if d.name == name), None)


def ensure_dumps(store, folder, release):
    """{dump name: {"path", "bytes", "sha256"}} for ``release``, writing the files if not there yet."""
    folder = Path(folder)
    done = folder / release
    if (done / MANIFEST).exists():
        return _manifest(done)
    folder.mkdir(parents=True, exist_ok=True)
    with _lock, open(folder / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # other processes wait here for the one writer
        if not (done / MANIFEST).exists():
            _write(store, folder, release)
    return _manifest(done)


def _manifest(done):
    entries = json.loads((done / MANIFEST).read_text())
    return {name: {**meta, "path": done / name} for name, meta in entries.items()}


def _write(store, folder, release):
    partial = folder / f"{release}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    manifest = {}
    for dump in DUMPS:
        path = partial / dump.name
        with gzip.open(path, "wb") if dump.compressed else open(path, "wb") as out:
            if dump.union:
                triples = (ox.Triple(r["s"], r["p"], r["o"]) for r in store.query(ALL_TRIPLES))
                prefixes = WRITER_PREFIXES if dump.format == ox.RdfFormat.TURTLE else None
                ox.serialize(triples, out, dump.format, **({"prefixes": prefixes} if prefixes else {}))
            else:
                _copy_quads(store, partial, out)
        manifest[dump.name] = {"bytes": path.stat().st_size, "sha256": _sha256(path)}
    (partial / "SHA256SUMS").write_text("".join(f"{m['sha256']}  {n}\n" for n, m in manifest.items()))
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=1))
    os.replace(partial, folder / release)
    kept = set(store.release_names()) | {release}  # dumps of releases no longer kept go
    for old in folder.iterdir():
        if old.is_dir() and old.name not in kept and ".partial-" not in old.name:
            shutil.rmtree(old, ignore_errors=True)


def _copy_quads(store, partial, out):
    raw = partial / "all.nq"
    store.dump(raw)  # the store's own N-Quads writer: every quad with its graph
    with open(raw, "rb") as handle:
        shutil.copyfileobj(handle, out, 1 << 20)
    raw.unlink()


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()

"""What keeping releases costs: bytes on disk per kept release, its dumps and its change set.

    python -m bench releases [--triples 1000000] [--changed 0.01]

Two datasets: the real data/ (built twice by the real build), and synthetic data of about
``--triples`` triples in one named graph (bench/synthetic.py) published twice, the second time with
``--changed`` of the pledges relabelled. For each: bytes on disk of one release (allocated blocks),
of its three dumps, of its change set (RDF Patch and summary) and the seconds to compute the change
set. The baseline, measured in the same run: the size of the dataset as N-Quads (bytes) and the
time to bulk-load it (seconds); every figure is also printed as a ratio to it.
"""

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from service.dataset.dumps import ensure_dumps
from service.pipeline.build import build
from service.releases.changes import change_set
from service.releases.history import History, _disk_bytes
from service.stores.embedded import EmbeddedStore

from .common import ROOT
from .synthetic import write as write_synthetic

GRAPH = "https://w3id.org/rcrc/graph/data/synthetic"


def measure(store, baseline_bytes, baseline_seconds, label):
    history = History(store)
    old, new = history.names()[-2:]
    started = time.perf_counter()
    changes = change_set(history, new)
    seconds = time.perf_counter() - started
    release = _disk_bytes(store.releases / new)
    ensure_dumps(store.at(new), store.root / "dumps", new)
    dumps = _disk_bytes(store.root / "dumps" / new)
    patch = _disk_bytes(history.folder / "changes" / new)
    print(f"\n{label}: {history.facts(new)['triples']} quads; baseline {baseline_bytes / 1e6:.1f} MB as N-Quads, "
          f"bulk load {baseline_seconds:.1f} s")
    for name, value in (("one release on disk", release), ("its dumps", dumps), ("its change set", patch)):
        print(f"  {name:<22} {value / 1e6:8.2f} MB   {value / baseline_bytes:5.2f} x N-Quads")
    print(f"  {'change set, compute':<22} {seconds:8.2f} s    {seconds / baseline_seconds:5.2f} x bulk load "
          f"(+{changes.added} -{changes.removed} triples, {len(changes.resources)} resources)")


def real(folder):
    store = EmbeddedStore(folder / "real")
    build(ROOT / "data", store)
    time.sleep(1.1)
    started = time.perf_counter()
    build(ROOT / "data", store)
    seconds = time.perf_counter() - started
    dump = folder / "real.nq"
    store.dump(dump)
    measure(store, dump.stat().st_size, seconds, "real data/ (two builds, provenance changed)")


def synthetic(folder, triples, changed):
    nt, _ = write_synthetic(triples, folder / "synthetic.nt")
    first, second = folder / "first.nq", folder / "second.nq"
    lines = nt.read_text(encoding="utf-8").splitlines(keepends=True)
    every = max(1, round(1 / changed)) if changed else 0
    with open(first, "w", encoding="utf-8") as a, open(second, "w", encoding="utf-8") as b:
        for line in lines:
            quad = line[:-3] + f" <{GRAPH}> .\n"
            a.write(quad)
            number = int(line.split("/synthetic/")[1].split(">")[0])
            relabel = every and '"Synthetic pledge ' in line and number % every == 0
            b.write(quad.replace('"Synthetic pledge ', '"Relabelled synthetic pledge ') if relabel else quad)
    store = EmbeddedStore(folder / "synthetic")
    started = time.perf_counter()
    store.publish([first], release="20260101T000000000000Z")
    seconds = time.perf_counter() - started
    store.publish([second], release="20260102T000000000000Z")
    measure(store, first.stat().st_size, seconds, f"synthetic, {changed:.0%} of the pledges relabelled")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--changed", type=float, default=0.01)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="pledgegraph-bench-releases-"))
    try:
        real(folder)
        synthetic(folder, args.triples, args.changed)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

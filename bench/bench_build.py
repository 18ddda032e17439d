"""Build throughput against pyoxigraph's own bulk load of the same triples, in the same run.

    python -m bench build [--triples 1000000]

For the real data/ and for data/ plus a synthetic file of about --triples triples (written to
bench/out/, never into data/): the whole build (parse, SHACL gate, provenance, publication)
in triples/s, then a bare pyoxigraph bulk_load of the very N-Quads that build published, and
the ratio between the two. The ratio is the figure: this machine is shared and noisy.
"""

import argparse
import shutil
import tempfile
import time
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from service.pipeline import build as builder
from service.stores.embedded import EmbeddedStore

from .synthetic import write as write_synthetic

ROOT = Path(__file__).resolve().parent.parent


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def measure(label, data_dir, work):
    """Build ``data_dir`` into a fresh store, then bulk-load its dump into another; print both."""
    store = EmbeddedStore(work / "store")
    (release, report, triples), build_seconds = timed(builder.build, data_dir, store)
    dump = work / "dump.nq"
    store.dump(dump)
    store.close()
    bare = ox.Store(str(work / "bare"))
    _, load_seconds = timed(bare.bulk_load, path=str(dump), format=ox.RdfFormat.N_QUADS)
    quads = sum(1 for _ in bare)
    del bare
    print(
        f"{label}: {triples} source triples, {quads} published quads ({report.summary()})\n"
        f"  build      {build_seconds:8.2f} s  {triples / build_seconds:>10,.0f} triples/s\n"
        f"  bulk_load  {load_seconds:8.2f} s  {quads / load_seconds:>10,.0f} quads/s\n"
        f"  ratio build/bulk_load time: {build_seconds / load_seconds:.1f}x"
    )


def synthetic_data_dir(work, triples, per_file=250_000):
    """A copy of data/ plus the synthetic set, split into files under the importer's size cap."""
    data = work / "data"
    shutil.copytree(ROOT / "data", data)
    whole, _ = write_synthetic(triples, work / "synthetic.nt")
    with open(whole, encoding="utf-8") as source:
        for n, lines in enumerate(iter(lambda: list(islice(source, per_file)), [])):
            (data / f"synthetic-{n}.nt").write_text("".join(lines), encoding="utf-8")
    return data


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench build", description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the synthetic set")
    parser.add_argument("--skip-synthetic", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        measure("real data", ROOT / "data", Path(tmp) / "real")
    if not args.skip_synthetic:
        with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
            work = Path(tmp)
            measure(f"real + {args.triples:,} synthetic", synthetic_data_dir(work, args.triples), work / "syn")


if __name__ == "__main__":
    main()

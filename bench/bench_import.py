"""Importing one pledge page into a large store, against the same import into the real data.

    python -m bench import [--triples 1000000] [--repeats 3]

Builds the real data/ and data/ plus about --triples synthetic triples (``bench build``'s set)
into two stores, then imports one pledge page (SP320067, from outside data/, with its pages.tsv
row) into each, --repeats times; every import validates what it changes and publishes a new
release. Printed: median seconds per import and the ratio large / real (1.0: the import costs
the same whatever the size of the store).
"""

import argparse
import shutil
import statistics
import tempfile
from pathlib import Path

from service.pipeline import build as builder
from service.pipeline.incremental import import_files
from service.stores.embedded import EmbeddedStore

from .bench_build import ROOT, synthetic_data_dir, timed


def page(work):
    folder = work / "page"
    folder.mkdir()
    shutil.copy(ROOT / "data" / "pages" / "SP320067.txt", folder)
    shutil.copy(ROOT / "data" / "pages" / "pages.tsv", folder)
    return folder / "SP320067.txt"


def imports(data_dir, work, repeats):
    """Median seconds of importing one page into a store built from ``data_dir``, and all runs."""
    store = EmbeddedStore(work / "store")
    _, build_seconds = timed(builder.build, data_dir, store)
    path, runs = page(work), []
    for _ in range(repeats):
        (release, report, _), seconds = timed(import_files, [path], store, ROOT / "data")
        runs.append(seconds)
    store.close()
    return statistics.median(runs), runs, build_seconds


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench import", description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the synthetic set")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        real, real_runs, _ = imports(ROOT / "data", Path(tmp), args.repeats)
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        work = Path(tmp)
        large, large_runs, built = imports(synthetic_data_dir(work, args.triples), work, args.repeats)
    print(f"import one pledge page (median of {args.repeats}):")
    print(f"  into the real data          {real:7.2f} s  (runs: {', '.join(f'{r:.2f}' for r in real_runs)})")
    runs = ", ".join(f"{r:.2f}" for r in large_runs)
    print(f"  into real + {args.triples:,} synthetic {large:7.2f} s  (runs: {runs}; store built in {built:.0f} s)")
    print(f"  ratio large / real: {large / real:.1f}")


if __name__ == "__main__":
    main()

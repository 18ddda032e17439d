"""Build throughput against pyoxigraph's own bulk load of the same quads, in the same run.

    python -m bench build [--triples 1000000] [--skip-synthetic] [--repeats 1]

For the real data/ and for data/ plus a synthetic set of about --triples triples (written to a
temporary copy of data/, never into data/): the build's phases, timed one by one as ``build``
runs them (stage 1 parse: every file read once by pyoxigraph; SHACL validation; publication:
the N-Quads file and the store's bulk load into a new release), then a bare pyoxigraph
``bulk_load`` of the very N-Quads that build published. Printed: seconds per phase and the
throughput ratio build / bulk_load (bulk_load time / build time). The ratio is the figure: this
machine is shared and noisy.
"""

import argparse
import shutil
import statistics
import tempfile
import time
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from service.errors import ValidationFailed
from service.pipeline import build as builder
from service.stores.embedded import EmbeddedStore

from .synthetic import write as write_synthetic

ROOT = Path(__file__).resolve().parent.parent


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def phases(data_dir, store):
    """{phase: seconds} of one build of ``data_dir`` into ``store``, and the report."""
    (loaded, _, shapes_paths), parse = timed(builder.load_project, data_dir)
    try:
        report, validate = timed(builder.check, loaded, shapes_paths)
    except ValidationFailed as failed:
        raise SystemExit(f"the data does not conform: {failed.report.summary()}") from None
    _, publish = timed(builder.publish, loaded, store)
    return {"parse": parse, "validate": validate, "publish": publish}, report, loaded.triples()


def measure(label, data_dir, work, repeats):
    """Build ``data_dir`` ``repeats`` times, each against a bulk_load of what it published; print medians."""
    rows = []
    for n in range(repeats):
        store = EmbeddedStore(work / f"store-{n}")
        times, report, triples = phases(data_dir, store)
        dump = work / "dump.nq"
        store.dump(dump)
        store.close()
        bare = ox.Store(str(work / f"bare-{n}"))
        _, load = timed(bare.bulk_load, path=str(dump), format=ox.RdfFormat.N_QUADS)
        quads = sum(1 for _ in bare)
        del bare
        shutil.rmtree(work / f"bare-{n}")
        shutil.rmtree(work / f"store-{n}")
        rows.append({**times, "build": sum(times.values()), "bulk_load": load})
    median = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    ratios = [r["bulk_load"] / r["build"] for r in rows]
    print(f"{label}: {triples:,} source triples, {quads:,} published quads ({report.summary()}), "
          f"median of {repeats}")
    for phase in ("parse", "validate", "publish", "build", "bulk_load"):
        print(f"  {phase:10} {median[phase]:8.2f} s")
    print(f"  build throughput / bulk_load throughput: {statistics.median(ratios):.2f} "
          f"(runs: {', '.join(f'{r:.2f}' for r in ratios)})")
    return median


def synthetic_data_dir(work, triples, per_file=250_000):
    """A copy of data/ plus the synthetic set, split into files under the importer's size cap."""
    data = work / "data"
    shutil.copytree(ROOT / "data", data)
    whole, _ = write_synthetic(triples, work / "synthetic.nt")
    with open(whole, encoding="utf-8") as source:
        for n, lines in enumerate(iter(lambda: list(islice(source, per_file)), [])):
            (data / f"synthetic-{n}.nt").write_text("".join(lines), encoding="utf-8")
    whole.unlink()
    return data


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench build", description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the synthetic set")
    parser.add_argument("--repeats", type=int, default=1, help="builds per data set (medians are printed)")
    parser.add_argument("--skip-synthetic", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        measure("real data", ROOT / "data", Path(tmp), max(args.repeats, 3))
    if not args.skip_synthetic:
        with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
            work = Path(tmp)
            data = synthetic_data_dir(work, args.triples)
            measure(f"real + {args.triples:,} synthetic", data, work, args.repeats)


if __name__ == "__main__":
    main()

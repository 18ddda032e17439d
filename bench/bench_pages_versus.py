"""Pages of this checkout against another checkout's, on the same data, interleaved in one run.

    python -m bench pages-versus BASELINE_CHECKOUT [--triples 20000] [--rounds 9] [--seconds 0.5]

A page benchmark run twice, once per checkout, compares two moments of a shared machine as much
as two versions of the code (one run's p50 differed from the next by up to 50 % here). This one
starts one worker process per checkout (bench/pages_worker.py), each publishing the same files
with its own code: the real data as this checkout builds it, and the mini fixture plus about
--triples synthetic triples. It then measures the pages of `bench pages` (HTML) in --rounds
rounds, each round timing every page for --seconds in one worker and then the other, in an order
that alternates. Per page it prints each side's median of the round p50s and the ratio
this/baseline, with the spread of the per-round ratios (their 25th and 75th percentiles).
"""

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox

from service.pipeline.build import build
from service.stores.embedded import EmbeddedStore

from .bench_pages import MINI, THEME, doc_path, some_pledge
from .synthetic import write as write_synthetic

ROOT = Path(__file__).resolve().parent.parent
WORKER = Path(__file__).resolve().parent / "pages_worker.py"


def paths(synthetic):
    pledge = some_pledge(synthetic)
    return [
        ("pledge page", doc_path(pledge) + ".html"),
        ("theme page", doc_path(THEME) + ".html"),
        ("listing ?theme=migration", "/pledges?theme=migration"),
        ("search ?q=migration", "/search?q=migration"),
        ("home page", "/"),
    ]


class Worker:
    """A pages_worker.py process serving one checkout's pages over the given data files."""

    def __init__(self, checkout, store_dir, data):
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), str(checkout), str(store_dir), *map(str, data)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=checkout,
        )  # fmt: skip
        if self.process.stdout.readline().strip() != "ready":
            raise SystemExit(f"the worker for {checkout} did not start")

    def times(self, path, seconds):
        self.process.stdin.write(f"{path} {seconds}\n")
        self.process.stdin.flush()
        times = json.loads(self.process.stdout.readline())
        if times and isinstance(times[0], str):
            raise SystemExit(times[0])
        return times

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=60)


def real_data(tmp):
    """main's real data as this checkout builds it, written as N-Quads."""
    store = EmbeddedStore(tmp / "build")
    build(ROOT / "data", store)
    store.dump(tmp / "real.nq")
    store.close()
    return [tmp / "real.nq"]


def synthetic_data(tmp, triples):
    nt, _ = write_synthetic(triples)
    nq = tmp / "synthetic.nq"
    graph = ox.NamedNode("https://w3id.org/rcrc/graph/bench/synthetic")
    with open(nq, "wb") as out:
        ox.serialize((ox.Quad(t.subject, t.predicate, t.object, graph) for t in ox.parse(path=str(nt))), out,
                     ox.RdfFormat.N_QUADS)  # fmt: skip
    return [MINI, nq]


def compare(title, data, baseline, rounds, seconds, tmp):
    print(f"\n## {title}\n")
    print(f"{'page (HTML)':28} {'baseline p50':>13} {'this p50':>9} {'this/baseline':>14} {'(25th–75th)':>12}")
    workers = {
        "baseline": Worker(baseline, tmp / f"{title[:4]}-baseline", data),
        "this": Worker(ROOT, tmp / f"{title[:4]}-this", data),
    }
    try:
        for name, path in paths(synthetic="synthetic" in title):
            for w in workers.values():
                w.times(path, seconds)  # warm: first-use work is not this comparison's subject
            p50s = {"baseline": [], "this": []}
            for i in range(rounds):
                order = ("baseline", "this") if i % 2 == 0 else ("this", "baseline")
                for side in order:
                    p50s[side].append(statistics.median(workers[side].times(path, seconds)))
            ratios = sorted(t / b for t, b in zip(p50s["this"], p50s["baseline"], strict=True))
            quartiles = statistics.quantiles(ratios, n=4)
            base, this = statistics.median(p50s["baseline"]), statistics.median(p50s["this"])
            print(f"{name:28} {base * 1000:11.2f}ms {this * 1000:7.2f}ms {this / base:13.2f}x "
                  f"  ({quartiles[0]:.2f}–{quartiles[2]:.2f})")  # fmt: skip
    finally:
        for w in workers.values():
            w.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("baseline", type=Path, help="the other checkout (a git worktree of an earlier commit)")
    parser.add_argument("--triples", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--seconds", type=float, default=0.5)
    args = parser.parse_args(argv)
    if not (args.baseline / "service" / "app.py").is_file():
        parser.error(f"{args.baseline} is not a pledgegraph checkout (no service/app.py)")
    tmp = Path(tempfile.mkdtemp(prefix="bench-versus-"))
    try:
        compare("real data (this checkout's build of data/)", real_data(tmp), args.baseline.resolve(),
                args.rounds, args.seconds, tmp)  # fmt: skip
        compare(f"mini fixture + about {args.triples:,} synthetic triples", synthetic_data(tmp, args.triples),
                args.baseline.resolve(), args.rounds, args.seconds, tmp)  # fmt: skip
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

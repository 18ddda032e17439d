"""A bounded mixed load on `pledgegraph serve`: status counts and p50/p99 per kind of request.

    python -m bench load [--requests 1600] [--heavy-every 50] [--timeout 10] [--clients 16 64]

The service as `pledgegraph serve` runs it (waitress, warm query processes) over the real data/
(built by the real build), on 127.0.0.1. One fixed request list: SPARQL point queries (one
pledge), pages, and one heavy query (a cross product that runs until QUERY_TIMEOUT) in every
``--heavy-every`` requests; sent by 16, then 64 keep-alive clients. The baseline, in the same
run, is the same list without its heavy queries at 16 clients: the ratios say what the heavy
queries cost the cheap ones (the machine is shared: ratios are the figures).

Bounded: ``--requests`` requests per run; each heavy query is stopped at ``--timeout``.
Loopback only.
"""

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from .common import real_store

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.load and tests.servers: the same helpers the tests use
from tests.load import run_mix, summary  # noqa: E402
from tests.servers import ServiceServer  # noqa: E402


def report(label, results, baseline=None):
    for kind, outcomes in sorted(results.items()):
        counts, p50, p99 = summary(outcomes)
        ok = counts.get(200, 0) / len(outcomes)
        ratio = ""
        if baseline and kind in baseline:
            _, base50, base99 = summary(baseline[kind])
            ratio = f" | {p50 / base50:.1f}x | {p99 / base99:.1f}x"
        elif baseline is not None:
            ratio = " | | "
        print(f"| {label} | {kind} | {len(outcomes)} | {dict(sorted(counts.items(), key=str))} | {ok:.1%} | "
              f"{p50 * 1000:.0f} ms | {p99 * 1000:.0f} ms{ratio} |")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1600)
    parser.add_argument("--heavy-every", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=10.0, help="QUERY_TIMEOUT of the service")
    parser.add_argument("--clients", type=int, nargs="+", default=[16, 64])
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="pledgegraph-bench-load-"))
    try:
        real_store(work / "store")
        config = {"STORE_DIR": str(work / "store"), "QUERY_TIMEOUT": args.timeout}
        with ServiceServer(config) as server:
            run_mix(server.url(""), clients=8, requests=200, heavy_every=0)  # warm caches
            baseline = run_mix(server.url(""), clients=16, requests=args.requests, heavy_every=0)
            print("| clients | kind | requests | statuses | 200 | p50 | p99 | p50 / baseline | p99 / baseline |")
            print("|---|---|---|---|---|---|---|---|---|")
            report("16, no heavy (baseline)", baseline, baseline={})
            for clients in args.clients:
                results = run_mix(server.url(""), clients=clients, requests=args.requests,
                                  heavy_every=args.heavy_every)
                report(str(clients), results, baseline)
    finally:
        shutil.rmtree(work, ignore_errors=True)

"""Memory (RSS) of the service, idle and under load, against an Oxigraph server over the same release.

    python -m bench memory [--triples 0] [--seconds 10] [--clients 8]

The service runs as `pledgegraph serve` runs it (waitress, its warm query processes); its RSS is
the sum over the server process and every process it started (the query processes), read from
/proc. The baseline, in the same run: `oxigraph serve-read-only` over the very release the service
publishes, idle and under the same load. The load: ``--clients`` threads for ``--seconds`` s, each
cycling through SPARQL point queries, a pledge page, a listing and a search, on both (the Oxigraph
server gets the SPARQL queries only). Printed: MB idle, MB peak under load, and the ratio to the
Oxigraph server's.
"""

import argparse
import http.client
import os
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from service.stores.embedded import EmbeddedStore
from tests.servers import ServiceServer

from .bench_sparql import OXIGRAPH, _ReadOnlyOxigraph
from .common import real_store
from .synthetic import write as write_synthetic

PLEDGEGRAPH = str(Path(sys.executable).parent / "pledgegraph")  # as a user starts the service
POINT = "SELECT ?p ?o WHERE { <https://w3id.org/rcrc/id/pledge/SP320067> ?p ?o }"
PAGES = ["/doc/pledge/SP320067", "/pledges?theme=migration", "/search?q=migration"]


def rss_mb(pid):
    """Resident memory of ``pid`` and all its descendants, in MB (Linux /proc)."""
    total, seen, todo = 0, set(), [pid]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = [c for task in Path(f"/proc/{current}/task").iterdir()  # children of every thread
                        for c in (task / "children").read_text().split()]
        except OSError:
            continue
        total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        todo += [int(c) for c in children]
    return total / 1024


def load(port, paths, seconds, clients, pid):
    """Run ``clients`` threads over ``paths`` for ``seconds`` s; the peak RSS of ``pid`` meanwhile."""
    end, peak = time.monotonic() + seconds, [0.0]

    def client(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        n = i
        while time.monotonic() < end:
            conn.request("GET", paths[n % len(paths)], headers={"Accept": "text/html, application/sparql-results+json"})
            conn.getresponse().read()
            n += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        peak[0] = max(peak[0], rss_mb(pid))
        time.sleep(0.2)
    return peak[0]


def _env(store_dir):
    return {**os.environ, "PLEDGEGRAPH_STORE_DIR": str(store_dir)}


def measure(store_dir, release, label, seconds, clients):
    sparql = "/sparql?" + urllib.parse.urlencode({"query": POINT})
    service = ServiceServer({"STORE_DIR": str(store_dir)}, command=[PLEDGEGRAPH, "serve"], env=_env(store_dir))
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as work, service, \
            _ReadOnlyOxigraph(Path(work), release) as oxigraph:
        time.sleep(3)  # the warm query processes start
        idle = (rss_mb(service.process.pid), rss_mb(oxigraph.process.pid))
        busy = (load(service.port, [sparql, *PAGES], seconds, clients, service.process.pid),
                load(oxigraph.port, ["/query?" + urllib.parse.urlencode({"query": POINT})], seconds, clients,
                     oxigraph.process.pid))
    print(f"\n## {label}\n")
    print(f"{'':12} {'service MB':>11} {'oxigraph MB':>12} {'ratio':>6}")
    for name, (ours, theirs) in (("idle", idle), ("under load", busy)):
        print(f"{name:12} {ours:11.0f} {theirs:12.0f} {ours / theirs:6.1f}x")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench memory", description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=0, help="also a synthetic set of about this many triples")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args(argv)
    if OXIGRAPH is None:
        raise SystemExit("oxigraph not found: pip install oxigraph (a dev dependency)")
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        store = EmbeddedStore(real_store(Path(tmp) / "real"))
        measure(store.root, store.releases / store.current_release(), "real data", args.seconds, args.clients)
        if args.triples:
            synthetic = EmbeddedStore(Path(tmp) / "synthetic")
            nt, _ = write_synthetic(args.triples, Path(tmp) / "synthetic.nt")
            synthetic.publish([nt])
            measure(synthetic.root, synthetic.releases / synthetic.current_release(), f"{args.triples:,} synthetic "
                    "triples", args.seconds, args.clients)

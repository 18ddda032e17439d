"""The SPARQL endpoint against an Oxigraph server and pyoxigraph in-process, same quads, same run.

    python -m bench sparql [--requests 400] [--seconds 10] [--clients 8] [--repeats 2]
                           [--triples 0] [--skip-real]

For the real data/ (built by the real build) and, with --triples N, a synthetic set of about N
triples (bench/synthetic.py): three queries — a point query (one pledge's triples), a small
aggregate (pledges per theme), a small join (pledges citing Resolution 31/3 with their
pledgers' names) — each answered as SPARQL JSON results by

* **endpoint**: POSTed to /sparql on the service as `pledgegraph serve` runs it (waitress, the
  default settings), over keep-alive connections on 127.0.0.1;
* **waitress + query**: the query run through the service's executor (query processes, admission,
  row cap) by a bare WSGI app under waitress with the settings of `pledgegraph serve`, without
  Flask, the app's hooks, negotiation or checks (`bench/waitress_floor.py --store`);
* **waitress alone**: the endpoint's answer to the query, sent as fixed bytes by waitress with the
  same settings and no app (`bench/waitress_floor.py --body`): what the server itself costs;
* **oxigraph serve**: `oxigraph serve-read-only --union-default-graph` over the very release
  directory the service publishes (the same quads, the same dataset rule), the same requests;
* **in-process**: pyoxigraph on that release, query plus serialisation, one at a time;

at 1 client and at --clients clients in parallel. Prints requests/s and p50/p99 latency (medians
of --repeats runs, measured in turns) and the ratio of requests/s to `oxigraph serve`'s (the
range over the repeats). The ratios are the figures: the machine is shared and noisy. The
clients are threads of this process, the same for both servers. Bounded: --requests per
measurement and at most --seconds each. Loopback only.
"""

import argparse
import http.client
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import pyoxigraph as ox

from service.stores.embedded import EmbeddedStore

from .common import real_store
from .synthetic import write as write_synthetic

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.servers: the same server runners the tests use
from tests.load import in_threads  # noqa: E402
from tests.servers import ServiceServer  # noqa: E402
from tests.stores import OXIGRAPH, OxigraphServer, free_port  # noqa: E402

ID = "https://w3id.org/rcrc/id/"
PROLOGUE = """PREFIX rcrc: <https://w3id.org/rcrc/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
POINT = "SELECT ?p ?o WHERE { <PLEDGE> ?p ?o }"
COUNT_PER_THEME = (
    PROLOGUE
    + """SELECT ?theme (COUNT(DISTINCT ?pledge) AS ?pledges)
WHERE { ?pledge rcrc:theme ?theme } GROUP BY ?theme"""
)
CITING = (
    PROLOGUE
    + """SELECT ?pledge ?title (GROUP_CONCAT(DISTINCT ?name; SEPARATOR="; ") AS ?pledgers)
WHERE {
  ?pledge rcrc:citesResolution <https://w3id.org/rcrc/id/resolution/31/3> .
  OPTIONAL { ?pledge rdfs:label ?title }
  OPTIONAL { ?pledge rcrc:pledgedBy/rdfs:label ?name }
} GROUP BY ?pledge ?title"""
)
JSON = "application/sparql-results+json"


def workload(pledge):
    """(label, query text) of the three benchmark queries: the same text every way."""
    return [
        ("point query", POINT.replace("PLEDGE", ID + pledge)),
        ("pledges per theme", COUNT_PER_THEME),
        ("pledges citing 31/3", CITING),
    ]


def stats(latencies, seconds):
    ordered = sorted(latencies) or [float("nan")]
    return {
        "rps": len(latencies) / seconds,
        "p50": statistics.median(ordered) * 1000,
        "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
    }


def in_process(store, text, requests, limit, clients=1):
    latencies, start = [], time.perf_counter()
    while len(latencies) < requests and time.perf_counter() - start < limit:
        t0 = time.perf_counter()
        store.query(text, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.JSON)
        latencies.append(time.perf_counter() - t0)
    return stats(latencies, time.perf_counter() - start)


def over_http(port, path, query, requests, limit, clients):
    """POST ``query`` (form-encoded, Accept: SPARQL JSON) ``requests`` times from ``clients`` threads."""
    body = urllib.parse.urlencode({"query": query})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": JSON}
    latencies, failures, lock, issued = [], [], threading.Lock(), [0]
    start = time.perf_counter()

    def take_ticket():
        with lock:
            issued[0] += 1
            return issued[0] <= requests and time.perf_counter() - start < limit

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while take_ticket():
            t0 = time.perf_counter()
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            with lock:
                (latencies if response.status == 200 else failures).append(time.perf_counter() - t0)
        connection.close()

    in_threads(client, [()] * clients)
    result = stats(latencies, time.perf_counter() - start)
    result["errors"] = len(failures)
    return result


def measure(label, store_dir, pledge, args, work):
    """Print the table for one dataset."""
    embedded = EmbeddedStore(store_dir)
    release = embedded.releases / embedded.current_release()
    store = ox.Store.read_only(str(release))
    print(f"\n## {label}: {len(store):,} quads; medians of {args.repeats} runs; ratio: req/s / oxigraph serve's")
    print(f"{'query':20} {'clients':>7} {'mode':16} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>11}")
    oxigraph = _ReadOnlyOxigraph(work / f"oxigraph-{label[:4]}", release)
    with ServiceServer({"STORE_DIR": str(store_dir)}) as service, oxigraph:
        bound = (args.requests, args.seconds)
        with _Layer(["--store", str(store_dir)]) as hop:
            for name, query in workload(pledge):
                _answer_file(service.port, query, work / "answer.json")
                with _Layer(["--body", str(work / "answer.json")]) as floor:
                    servers = {
                        "endpoint": lambda q, n: over_http(service.port, "/sparql", q, *bound, n),
                        "waitress + query": lambda q, n: over_http(hop.port, "/", q, *bound, n),
                        "waitress alone": lambda q, n: over_http(floor.port, "/", q, *bound, n),
                        "oxigraph serve": lambda q, n: over_http(oxigraph.port, "/query", q, *bound, n),
                        "in-process": lambda q, n: in_process(store, q, *bound),
                    }
                    _measure_query(name, query, servers, args)


def _measure_query(name, query, servers, args):
    for run in servers.values():  # warm: query processes, caches, connections
        run(query, args.clients)
    for clients in (1, args.clients):
        runs = {mode: [] for mode in servers}
        for _ in range(args.repeats):
            for mode, run in servers.items():
                if mode != "in-process" or clients == 1:
                    runs[mode].append(run(query, clients))
        for mode, results in runs.items():
            if results:
                _print_row(name, clients, mode, results, runs["oxigraph serve"])


def _answer_file(port, query, path):
    """Write the endpoint's answer to ``query`` to ``path``, for the server-alone baseline to send."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("POST", "/sparql", body=urllib.parse.urlencode({"query": query}),
                       headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": JSON})
    path.write_bytes(connection.getresponse().read())
    connection.close()


class _Layer:
    """``python -m bench.waitress_floor`` with ``options``: some of the endpoint's layers alone."""

    def __init__(self, options):
        self.options = options
        self.port = free_port()

    def __enter__(self):
        command = [sys.executable, "-m", "bench.waitress_floor", "--port", str(self.port), *self.options]
        self.process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the waitress baseline did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=20)


def _print_row(name, clients, mode, results, baseline):
    median = {key: statistics.median(r[key] for r in results) for key in ("rps", "p50", "p99")}
    ratios = [r["rps"] / b["rps"] for r, b in zip(results, baseline, strict=True)]
    ratio = f"{min(ratios):.2f}–{max(ratios):.2f}" if mode != "oxigraph serve" else ""
    errors = sum(r.get("errors", 0) for r in results)
    note = f"  ({errors} errors)" if errors else ""
    print(f"{name:20} {clients:7} {mode:16} {median['rps']:9.1f} {median['p50']:8.2f} {median['p99']:8.2f} "
          f"{ratio:>11}{note}")


class _ReadOnlyOxigraph(OxigraphServer):
    """`oxigraph serve-read-only` over an existing store directory, its default graph the union."""

    def __init__(self, directory, location):
        super().__init__(directory)
        self.location = location

    def command(self):
        return [OXIGRAPH, "serve-read-only", "--location", str(self.location), "--union-default-graph",
                "--bind", f"127.0.0.1:{self.port}"]

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="requests per measurement (bound)")
    parser.add_argument("--seconds", type=float, default=10.0, help="time per measurement (bound)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--triples", type=int, default=0, help="also a synthetic set of about this many triples")
    parser.add_argument("--skip-real", action="store_true")
    args = parser.parse_args(argv)
    if OXIGRAPH is None:
        sys.exit("oxigraph not found: pip install oxigraph (a dev dependency)")
    with tempfile.TemporaryDirectory(prefix="bench-sparql-") as work:
        work = Path(work)
        if not args.skip_real:
            measure("real data", real_store(work / "real"), "pledge/SP320067", args, work)
        if args.triples:
            synthetic, count = write_synthetic(args.triples)
            EmbeddedStore(work / "synthetic").publish([synthetic])
            measure(f"synthetic, {count:,} triples", work / "synthetic", "pledge/synthetic/42", args, work)


if __name__ == "__main__":
    main()

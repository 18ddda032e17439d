"""SPARQL endpoint throughput and latency against pyoxigraph in-process, in the same run.

    python -m bench sparql [--requests 200] [--clients 4] [--triples 1000000] [--skip-real]

For the real data/ (built by the real build) and for a synthetic set of about --triples triples
(bench/synthetic.py): three representative queries (an aggregate over every pledge, a selective
join with a bound parameter, a CONSTRUCT of one pledge), each

* in-process: pyoxigraph on the same release, query plus serialisation, one at a time;
* HTTP, 1 client: the same query POSTed to /sparql under `pledgegraph serve`'s server on 127.0.0.1;
* HTTP, --clients clients in parallel (keep-alive connections).

Prints requests/s and p50/p99 latency for each, and the ratios HTTP/in-process. The ratios
are the figures: the machine is shared and noisy. Bounded: --requests per measurement, and
at most --seconds each. Loopback only.
"""

import argparse
import http.client
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import pyoxigraph as ox

from service.pipeline.build import build
from service.stores.embedded import EmbeddedStore

from .synthetic import write as write_synthetic

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.servers: the same server runner the tests use
from tests.load import in_threads  # noqa: E402
from tests.servers import ServiceServer  # noqa: E402

ID = "https://w3id.org/rcrc/id/"
PROLOGUE = """PREFIX rcrc: <https://w3id.org/rcrc/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
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
CARD = (
    PROLOGUE
    + """CONSTRUCT { <PLEDGE> ?p ?o . ?o rdfs:label ?label }
WHERE { <PLEDGE> ?p ?o OPTIONAL { ?o rdfs:label ?label } }"""
)


def workload(pledge):
    """(label, query text, result format) of the three benchmark queries: the same text both ways."""
    return [
        ("count per theme", COUNT_PER_THEME, "json"),
        ("pledges citing 31/3", CITING, "json"),
        ("construct one pledge", CARD.replace("PLEDGE", ID + pledge), "turtle"),
    ]


def stats(latencies, seconds):
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return {
        "n": len(ordered),
        "rps": len(ordered) / seconds,
        "p50": statistics.median(ordered) * 1000,
        "p99": p99 * 1000,
    }


def in_process(store, text, fmt, requests, limit):
    formats = {"json": ox.QueryResultsFormat.JSON, "turtle": ox.RdfFormat.TURTLE}
    latencies, start = [], time.perf_counter()
    while len(latencies) < requests and time.perf_counter() - start < limit:
        t0 = time.perf_counter()
        results = store.query(text, use_default_graph_as_union=True)
        if fmt == "turtle":
            ox.serialize(results, format=formats[fmt])
        else:
            results.serialize(format=formats[fmt])
        latencies.append(time.perf_counter() - t0)
    return stats(latencies, time.perf_counter() - start)


def over_http(server, query, fmt, requests, clients, limit):
    body = urllib.parse.urlencode({"query": query, "format": fmt})
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    latencies, lock, errors, issued = [], threading.Lock(), [], [0]
    start = time.perf_counter()

    def take_ticket():
        with lock:
            issued[0] += 1
            return issued[0] <= requests and time.perf_counter() - start < limit

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        while take_ticket():
            t0 = time.perf_counter()
            connection.request("POST", "/sparql", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            with lock:
                (latencies if response.status == 200 else errors).append(time.perf_counter() - t0)
        connection.close()

    in_threads(client, [()] * clients)
    result = stats(latencies, time.perf_counter() - start)
    result["errors"] = len(errors)
    return result


def measure(label, store_dir, pledge, args):
    """Print the table for one dataset."""
    store = ox.Store.read_only(str(EmbeddedStore(store_dir).releases / EmbeddedStore(store_dir).current_release()))
    config = {"STORE_DIR": str(store_dir), "QUERY_TIMEOUT": 60.0, "MAX_CONCURRENT_QUERIES": args.clients + 1}
    print(f"\n## {label}: {len(store):,} quads")
    print(f"{'query':24} {'mode':14} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'ratio p50':>10} {'ratio req/s':>12}")
    with ServiceServer(config, threads=max(16, args.clients * 2)) as server:
        for name, query, fmt in workload(pledge):
            over_http(server, query, fmt, 2 * args.clients, args.clients, args.seconds)  # warm the workers
            base = in_process(store, query, fmt, args.requests, args.seconds)
            rows = [("in-process", base)]
            rows.append(("http 1 client", over_http(server, query, fmt, args.requests, 1, args.seconds)))
            rows.append(
                (
                    f"http {args.clients} clients",
                    over_http(server, query, fmt, args.requests, args.clients, args.seconds),
                )
            )
            for mode, r in rows:
                ratio = f"{r['p50'] / base['p50']:10.1f} {r['rps'] / base['rps']:12.2f}" if mode != "in-process" else ""
                errors = f"  ({r['errors']} errors)" if r.get("errors") else ""
                print(f"{name:24} {mode:14} {r['rps']:9.1f} {r['p50']:9.2f} {r['p99']:9.2f} {ratio}{errors}")
    del store


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per measurement (bound)")
    parser.add_argument("--seconds", type=float, default=20.0, help="time per measurement (bound)")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--skip-real", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-sparql-") as work:
        work = Path(work)
        if not args.skip_real:
            build(ROOT / "data", EmbeddedStore(work / "real"))
            measure("real data", work / "real", "pledge/SP320067", args)
        synthetic, count = write_synthetic(args.triples)
        EmbeddedStore(work / "synthetic").publish([synthetic])
        measure(f"synthetic, {count:,} triples", work / "synthetic", "pledge/synthetic/42", args)


if __name__ == "__main__":
    main()

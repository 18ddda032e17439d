"""The same query mix through the service on the embedded store, an Oxigraph server and Virtuoso.

    python -m bench stores [--triples 50000] [--requests 100] [--clients 4] [--seconds 20]

One synthetic dataset (bench/synthetic.py, in one named graph) is published to each store
through the store interface (the load time is printed too). Then, per store and per query
(bench_sparql's three: an aggregate, a selective join, a CONSTRUCT of one pledge):

* direct: the store queried without the service, the baseline: pyoxigraph in-process for the
  embedded store, an HTTP POST to the server's own endpoint for the others;
* service, 1 client and N clients: POST /sparql to the service (as `pledgegraph serve` runs it) over that store.

Prints req/s and p50/p99 latency, the ratio service/direct for each store, and the ratio of each
remote store's service p50 to the embedded store's. Ratios are the figures; the machine is
shared and noisy. Servers bind 127.0.0.1 only and are stopped at the end.
"""

import argparse
import http.client
import tempfile
import time
import urllib.parse
from pathlib import Path

import pyoxigraph as ox

from service.stores.embedded import EmbeddedStore
from service.stores.remote import RemoteStore
from tests.servers import ServiceServer
from tests.stores import OXIGRAPH, VIRTUOSO, VIRTUOSO_HINT, OxigraphServer, VirtuosoServer

from .bench_sparql import in_process, over_http, stats, workload
from .synthetic import write as write_synthetic

GRAPH = "https://w3id.org/rcrc/graph/data/synthetic"
ACCEPT = {"json": "application/sparql-results+json", "turtle": "text/turtle"}


def as_quads(triples_path, out):
    """The synthetic N-Triples as N-Quads in one named graph (every source is a named graph)."""
    with open(triples_path, encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
        for line in src:
            dst.write(line.rstrip()[:-1] + f"<{GRAPH}> .\n")
    return out


def direct_http(url, query, fmt, requests, limit):
    """The store's own endpoint, one client, the published graph as default graph.

    A new connection per request, as SPARQLWrapper (urllib) does: over a kept-alive connection
    Virtuoso answered this mix 40-50 ms slower (a delayed-ACK stall), which is not the store's cost.
    """
    parts = urllib.parse.urlsplit(url)
    body = urllib.parse.urlencode({"query": query, "default-graph-uri": GRAPH})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT[fmt]}
    latencies, start = [], time.perf_counter()
    while len(latencies) < requests and time.perf_counter() - start < limit:
        t0 = time.perf_counter()
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        connection.request("POST", parts.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")
        latencies.append(time.perf_counter() - t0)
    return stats(latencies, time.perf_counter() - start)


def stores(work):
    """(name, config, store, direct(query, fmt, requests, limit), stop) for each store available."""
    embedded = EmbeddedStore(work / "embedded")
    yield "embedded", {"STORE_DIR": str(embedded.root)}, embedded, None, lambda: None
    kinds = [("oxigraph", OxigraphServer, OXIGRAPH), ("virtuoso", VirtuosoServer, VIRTUOSO)]
    for name, cls, binary in kinds:
        if not binary:
            print(f"\n## {name}: skipped ({VIRTUOSO_HINT if name == 'virtuoso' else 'pip install oxigraph'})")
            continue
        server = cls(work / name).start()
        config = server.config(QUERY_TIMEOUT=120.0)
        yield name, config, RemoteStore.from_config(config), server.query_url, server.stop


def measure(name, config, store, direct_url, dataset, args):
    t0 = time.perf_counter()
    store.publish([dataset])
    print(f"\n## {name}: published {args.count:,} triples in {time.perf_counter() - t0:.1f} s")
    print(f"{'query':24} {'mode':18} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'service/direct p50':>19}")
    config = {**config, "QUERY_TIMEOUT": 120.0, "MAX_CONCURRENT_QUERIES": args.clients + 1}
    medians = {}
    with ServiceServer(config, threads=max(16, args.clients * 2)) as server:
        for label, query, fmt in workload("pledge/synthetic/42"):
            over_http(server, query, fmt, 2 * args.clients, args.clients, args.seconds)  # warm up
            if direct_url is None:
                local = store.oxigraph()
                base = in_process(local, query, fmt, args.requests, args.seconds)
            else:
                base = direct_http(direct_url, query, fmt, args.requests, args.seconds)
            rows = [("direct", base),
                    ("service 1 client", over_http(server, query, fmt, args.requests, 1, args.seconds)),
                    (f"service {args.clients} clients",
                     over_http(server, query, fmt, args.requests, args.clients, args.seconds))]
            for mode, r in rows:
                ratio = f"{r['p50'] / base['p50']:19.1f}" if mode != "direct" else ""
                errors = f"  ({r['errors']} errors)" if r.get("errors") else ""
                print(f"{label:24} {mode:18} {r['rps']:9.1f} {r['p50']:9.2f} {r['p99']:9.2f} {ratio}{errors}")
            medians[label] = rows[1][1]["p50"]
    return medians


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=100, help="requests per measurement (bound)")
    parser.add_argument("--seconds", type=float, default=20.0, help="time per measurement (bound)")
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-stores-") as work:
        work = Path(work)
        triples, args.count = write_synthetic(args.triples, work / "synthetic.nt")
        dataset = as_quads(triples, work / "synthetic.nq")
        ox.parse(path=str(dataset))  # fail early on a malformed conversion
        service_p50 = {}
        for name, config, store, direct_url, stop in stores(work):
            try:
                service_p50[name] = measure(name, config, store, direct_url, dataset, args)
            finally:
                stop()
        print("\n## service p50, 1 client: each store against the embedded one")
        for name, medians in service_p50.items():
            ratios = "  ".join(f"{q}: {m / service_p50['embedded'][q]:.2f}x" for q, m in medians.items())
            print(f"{name:10} {ratios}")


if __name__ == "__main__":
    main()

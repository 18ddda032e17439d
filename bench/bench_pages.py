"""Resource pages against the raw store queries behind them, measured in the same run.

    python -m bench pages [--triples 1000000] [--seconds 3] [--skip-http]

Two stores: the real data (the build of data/; the mini fixture when the build fails, said so in
the output) and the mini fixture plus about --triples synthetic triples (bench/synthetic.py;
~80 k pledges, a theme with ~17 k incoming links). For each:

* a pledge page and a theme page (the theme's pledges, paged 100 at a time), in HTML and Turtle,
  plus the faceted listing /pledges?theme=migration (HTML);
* in-process through Flask's test client: median and p95 latency, sequential requests/s;
* over HTTP (`pledgegraph serve`'s server, 8 client threads): requests/s, unless --skip-http;
* the raw pyoxigraph queries behind each page (describe's SPARQL, or the listing's), and the
  ratio page / raw. The ratios are the figures; absolute times depend on this shared machine.
"""

import argparse
import http.client
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import pyoxigraph as ox

from service.app import create_app
from service.formats import by_name
from service.namespaces import PREFIXES
from service.pages.describe import describe, serialize
from service.pages.listing import listing
from service.stores.embedded import EmbeddedStore

from .synthetic import write as write_synthetic

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.servers: the same server runner the tests use
from tests.servers import ServiceServer  # noqa: E402

MINI = ROOT / "tests" / "fixtures" / "mini.trig"
THEME = "https://w3id.org/rcrc/id/theme/migration"


def measure(function, seconds):
    """Call ``function`` for about ``seconds``; [durations in s]."""
    times, end = [], time.perf_counter() + seconds
    while time.perf_counter() < end or len(times) < 5:
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def summary(times):
    ordered = sorted(times)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[int(len(ordered) * 0.95) - 1] if len(ordered) > 20 else ordered[-1],
        "rps": len(times) / sum(times),
    }


def real_store(tmp):
    try:
        from service.pipeline.build import build

        store = EmbeddedStore(tmp / "real")
        build(ROOT / "data", store)
        return store, "real data (build of data/)"
    except Exception as exc:  # the build is not this benchmark's subject
        store = EmbeddedStore(tmp / "real-mini")
        store.publish([MINI])
        return store, f"mini fixture (the build failed: {exc.__class__.__name__}: {str(exc)[:80]})"


def synthetic_store(tmp, triples):
    nt, count = write_synthetic(triples)
    nq = tmp / "synthetic.nq"
    graph = ox.NamedNode("https://w3id.org/rcrc/graph/bench/synthetic")
    with open(nq, "wb") as out:
        quads = (ox.Quad(t.subject, t.predicate, t.object, graph) for t in ox.parse(path=str(nt)))
        ox.serialize(quads, out, ox.RdfFormat.N_QUADS)
    store = EmbeddedStore(tmp / "synthetic")
    store.publish([MINI, nq])
    return store, f"mini fixture + {count:,} synthetic triples"


def some_pledge(synthetic):
    """SP320067 on the real data; a synthetic pledge (same shape, ~12 triples) on the synthetic set."""
    return "https://w3id.org/rcrc/id/pledge/" + ("synthetic/1000" if synthetic else "SP320067")


def doc_path(iri):
    return "/doc/" + iri.split("/id/", 1)[1]


def cases(store, synthetic=False):
    pledge = some_pledge(synthetic)
    turtle = by_name("turtle")
    return [
        ("pledge page, HTML", doc_path(pledge) + ".html", lambda: describe(store, pledge)),
        (
            "pledge page, Turtle",
            doc_path(pledge) + ".ttl",
            lambda: serialize(describe(store, pledge).triples, turtle, PREFIXES),
        ),
        ("theme page, HTML", doc_path(THEME) + ".html", lambda: describe(store, THEME)),
        (
            "theme page, Turtle",
            doc_path(THEME) + ".ttl",
            lambda: serialize(describe(store, THEME).triples, turtle, PREFIXES),
        ),
        (
            "listing ?theme=migration, HTML",
            "/pledges?theme=migration",
            lambda: listing(store, "pledges", {"theme": "migration"}),
        ),
    ]


def raw_queries(store, iri):
    """The bare SPARQL of describe() on pyoxigraph, results consumed, no Python objects built."""
    from service.pages import describe as d

    ox_store = store.oxigraph()
    this = str(ox.NamedNode(iri))
    queries = [
        q.replace(d.THIS, this) for q in (d.OUTGOING, d.INCOMING_COUNTS, d.LINKED_LABELS, d.INCOMING_PAGE % (100, 0))
    ]

    def run():
        for query in queries:
            for _ in ox_store.query(query, use_default_graph_as_union=True):
                pass

    return run


def http_throughput(store_dir, path, seconds, clients=8):
    with ServiceServer({"STORE_DIR": str(store_dir)}) as server:
        _load(server.port, path, max(6.0, 3 * seconds), clients)  # warm: store handle, indexes
        return _load(server.port, path, seconds, clients)


def _load(port, path, seconds, clients):
    """Requests/s that ``clients`` threads get from the server for ``seconds``."""
    counts, end = [0] * clients, time.perf_counter() + seconds

    def client(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        while time.perf_counter() < end:
            conn.request("GET", path)
            conn.getresponse().read()
            counts[i] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.perf_counter() - start)


def run(store, title, seconds, skip_http):
    print(f"\n## {title}\n")
    from service.pages import listing as listing_module
    from service.pages import search as search_module

    start = time.perf_counter()
    listing_module.index(store, listing_module.KINDS["pledges"])
    built = time.perf_counter() - start
    start = time.perf_counter()
    search_module.text_index(store)
    print(
        f"first use per release and process: listing index {built:.2f} s, search index "
        f"{time.perf_counter() - start:.2f} s\n"
    )
    print(f"{'case':34} {'page p50':>9} {'p95':>8} {'req/s':>7} {'raw p50':>9} {'ratio':>6} {'HTTP req/s':>10}")
    client = create_app({"TESTING": True, "STORE_DIR": str(store.root)}).test_client()
    for name, path, core in cases(store, synthetic="synthetic" in title):
        assert client.get(path).status_code == 200, path
        page = summary(measure(lambda p=path: client.get(p).data, seconds))
        if "listing" in name:
            core()  # the first call builds the per-release index; reported separately below
            raw = summary(measure(core, seconds))
            raw_name = "listing() core, warm index"
        else:
            iri = "https://w3id.org/rcrc/id/" + path.split("/doc/", 1)[1].rsplit(".", 1)[0]
            raw = summary(measure(raw_queries(store, iri), seconds))
            raw_name = "describe SPARQL"
        served = "-" if skip_http else f"{http_throughput(store.root, path, seconds):10.0f}"
        print(
            f"{name:34} {page['p50'] * 1000:7.2f}ms {page['p95'] * 1000:6.2f}ms {page['rps']:7.0f} "
            f"{raw['p50'] * 1000:7.2f}ms {page['p50'] / raw['p50']:5.1f}x {served:>10}   (raw = {raw_name})"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--skip-http", action="store_true", help="in-process only (no HTTP server)")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    try:
        for make in (real_store, lambda t: synthetic_store(t, args.triples)):
            start = time.perf_counter()
            store, title = make(tmp)
            print(f"(store ready in {time.perf_counter() - start:.1f} s)")
            run(store, title, args.seconds, args.skip_http)
            store.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

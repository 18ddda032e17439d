"""Resource pages against the raw store queries behind them, measured in the same run.

    python -m bench pages [--triples 1000000] [--seconds 3] [--skip-http]

Two stores: the real data (the build of data/; the mini fixture when the build fails, said so in
the output) and the mini fixture plus about --triples synthetic triples (bench/synthetic.py;
~80 k pledges, a theme with ~17 k incoming links). For each:

* a pledge page and a theme page (the theme's pledges, paged 100 at a time), in HTML and Turtle,
  the faceted listing /pledges?theme=migration, the search /search?q=migration and the home page;
* in-process through Flask's test client: the first request of a fresh app (whatever it builds
  on first use shows here), then median and p95 latency and sequential requests/s;
* over HTTP (`pledgegraph serve`'s server, 8 client threads): requests/s, unless --skip-http;
* the raw pyoxigraph query behind each page (describe's SPARQL; for the listing one facet's
  counts under the filter; for search a label scan; for the home page the chart's GROUP BY),
  and the ratio page / raw. The ratios are the figures; absolute times depend on this machine.
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
from service.dataset.prepare import prepare_release
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

        store = EmbeddedStore(tmp / "real", prepare=prepare_release)  # as `pledgegraph build` makes it
        build(ROOT / "data", store)
        return store, f"real data (build of data/; prepared: {_steps(store)})"
    except Exception as exc:  # the build is not this benchmark's subject
        store = EmbeddedStore(tmp / "real-mini", prepare=prepare_release)
        store.publish([MINI])
        return store, f"mini fixture (the build failed: {exc.__class__.__name__}: {str(exc)[:80]})"


def synthetic_store(tmp, triples):
    nt, count = write_synthetic(triples)
    nq = tmp / "synthetic.nq"
    graph = ox.NamedNode("https://w3id.org/rcrc/graph/bench/synthetic")
    with open(nq, "wb") as out:
        quads = (ox.Quad(t.subject, t.predicate, t.object, graph) for t in ox.parse(path=str(nt)))
        ox.serialize(quads, out, ox.RdfFormat.N_QUADS)
    store = EmbeddedStore(tmp / "synthetic", prepare=prepare_release)
    store.publish([MINI, nq])
    return store, f"mini fixture + {count:,} synthetic triples (prepared: {_steps(store)})"


def _steps(store):
    """How long the publication took to write the page index and the dumps."""
    return ", ".join(f"{step} {seconds:.1f} s" for step, seconds in store.prepared.items())


def some_pledge(synthetic):
    """SP320067 on the real data; a synthetic pledge (same shape, ~12 triples) on the synthetic set."""
    return "https://w3id.org/rcrc/id/pledge/" + ("synthetic/1000" if synthetic else "SP320067")


def doc_path(iri):
    return "/doc/" + iri.split("/id/", 1)[1]


def cases(store, synthetic=False):
    pledge = some_pledge(synthetic)
    return [
        ("pledge page, HTML", doc_path(pledge) + ".html", None),
        ("pledge page, Turtle", doc_path(pledge) + ".ttl", None),
        ("theme page, HTML", doc_path(THEME) + ".html", None),
        ("theme page, Turtle", doc_path(THEME) + ".ttl", None),
        ("listing ?theme=migration, HTML", "/pledges?theme=migration", sparql(store, FACET_COUNTS)),
        ("search ?q=migration, HTML", "/search?q=migration", sparql(store, SEARCH)),
        ("home page, HTML", "/", sparql(store, PER_CONFERENCE)),
    ]


R = "https://w3id.org/rcrc/def/"
# The raw store queries behind the listing, search and home pages: what each would have to ask
# the store on every request without a prepared index (one facet's counts under the filter;
# a label scan; the home chart's GROUP BY).
FACET_COUNTS = f"""SELECT ?v (COUNT(DISTINCT ?p) AS ?n) WHERE {{
  ?p a <{R}Pledge> ; <{R}theme> <{THEME}> ; <{R}country> ?v }} GROUP BY ?v"""
SEARCH = """SELECT ?s ?o WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o
  FILTER(CONTAINS(LCASE(STR(?o)), "migration")) } LIMIT 1000"""
PER_CONFERENCE = f"""SELECT ?c (COUNT(DISTINCT ?p) AS ?n) WHERE {{
  ?p a <{R}Pledge> OPTIONAL {{ ?p <{R}conference> ?c }} }} GROUP BY ?c"""


def sparql(store, query):
    """Run ``query`` on the release's pyoxigraph store, results consumed."""
    ox_store = store.oxigraph()

    def run():
        for _ in ox_store.query(query, use_default_graph_as_union=True):
            pass

    return run


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
    print(f"{'case':34} {'first':>8} {'page p50':>9} {'p95':>8} {'req/s':>7} {'raw p50':>9} {'ratio':>6} "
          f"{'HTTP req/s':>10}")
    client = create_app({"TESTING": True, "STORE_DIR": str(store.root)}).test_client()
    for name, path, raw_run in cases(store, synthetic="synthetic" in title):
        start = time.perf_counter()
        assert client.get(path).status_code == 200, path
        first = time.perf_counter() - start  # a fresh process's first request: any index it builds
        page = summary(measure(lambda p=path: client.get(p).data, seconds))
        if raw_run is None:
            iri = "https://w3id.org/rcrc/id/" + path.split("/doc/", 1)[1].rsplit(".", 1)[0]
            raw_run = raw_queries(store, iri)
        raw = summary(measure(raw_run, seconds))
        served = "-" if skip_http else f"{http_throughput(store.root, path, seconds):10.0f}"
        print(
            f"{name:34} {first * 1000:6.0f}ms {page['p50'] * 1000:7.2f}ms {page['p95'] * 1000:6.2f}ms "
            f"{page['rps']:7.0f} {raw['p50'] * 1000:7.2f}ms {page['p50'] / raw['p50']:5.2f}x {served:>10}"
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

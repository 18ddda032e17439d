"""The documented remote set-up under load: a real Oxigraph server, started as the README says,
stays up and answers every cheap query, hit directly at full speed and through the service
(loopback, bounded). Started with ``--timeout-s`` it keeps a sleeping thread per query for the
whole timeout and dies at this load (``bench/README.md``, "remote store")."""

import threading
import time
import urllib.parse

import pytest

from service.stores.remote import RemoteStore
from tests.conftest import FIXTURES
from tests.load import Client, in_threads, run_mix, summary
from tests.servers import ServiceServer
from tests.stores import OXIGRAPH, OxigraphServer

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not OXIGRAPH, reason="oxigraph not found: pip install oxigraph")]

SECONDS = 6.0
ASK = "/query?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})


@pytest.fixture
def server(tmp_path):
    running = OxigraphServer(tmp_path / "oxigraph").start()
    RemoteStore(running.query_url, running.update_url).publish([FIXTURES / "mini.trig"])
    yield running
    running.stop()


def hammer(port, clients, seconds):
    """Cheap queries from ``clients`` keep-alive connections as fast as they go; {status: count}."""
    counts, lock, stop = {}, threading.Lock(), time.monotonic() + seconds

    def client():
        connection = Client("127.0.0.1", port, 10)
        while time.monotonic() < stop:
            status = connection.send("GET", ASK, headers={"Accept": "application/sparql-results+json"})
            with lock:
                counts[status] = counts.get(status, 0) + 1
        connection.close()

    in_threads(client, [()] * clients)
    return counts


def test_the_oxigraph_server_survives_full_speed_queries(server):
    counts = hammer(server.port, clients=16, seconds=SECONDS)
    assert set(counts) == {200}, counts
    assert counts[200] / SECONDS > 300  # the load of the report: hundreds to thousands a second
    assert server.process.poll() is None


def test_the_service_over_oxigraph_survives_a_mixed_load(server):
    with ServiceServer(server.config(QUERY_TIMEOUT=4.0)) as service:
        results = run_mix(service.url(""), clients=32, requests=1200, heavy_every=600, timeout=30)
    for kind in ("point query", "page"):
        counts, _, _ = summary(results[kind])
        assert set(counts) == {200}, (kind, counts)
    heavy, _, _ = summary(results["heavy query"])
    assert set(heavy) == {503}, heavy  # stopped waiting at QUERY_TIMEOUT: a plain 503, never a 500
    assert server.process.poll() is None
    assert hammer(server.port, clients=4, seconds=1.0).keys() == {200}

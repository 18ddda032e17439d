"""Bounded stress on loopback: runaway queries time out while quick ones keep being answered."""

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.servers import ServiceServer
from tests.test_sparql import RUNAWAY

pytestmark = pytest.mark.slow

QUICK = "ASK { ?s a <https://w3id.org/rcrc/def/Pledge> }"
TIMEOUT = 6.0


def post(server, query):
    """(status, headers, body, time it finished) for one form POST to /sparql."""
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(
        server.url("/sparql"), data=data, headers={"Accept": "application/sparql-results+json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read(), time.monotonic()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read(), time.monotonic()


@pytest.fixture(scope="module")
def server(mini_store_dir):
    config = {"STORE_DIR": str(mini_store_dir), "QUERY_TIMEOUT": TIMEOUT, "MAX_CONCURRENT_QUERIES": 6}
    with ServiceServer(config) as running:
        yield running


def test_quick_queries_answer_while_runaways_time_out(server):
    with ThreadPoolExecutor(max_workers=6) as warm:  # start the query processes beforehand
        assert {f.result()[0] for f in [warm.submit(post, server, QUICK) for _ in range(12)]} == {200}
    with ThreadPoolExecutor(max_workers=2) as slow_pool, ThreadPoolExecutor(max_workers=4) as quick_pool:
        runaways = [slow_pool.submit(post, server, RUNAWAY) for _ in range(2)]
        time.sleep(0.2)  # let the runaways start first
        quick = [quick_pool.submit(post, server, QUICK) for _ in range(50)]
        quick_results = [f.result() for f in quick]
        runaway_results = [f.result() for f in runaways]

    for status, _, body, _ in quick_results:
        assert status == 200, body
        assert json.loads(body)["boolean"] is True
    for status, headers, body, _ in runaway_results:
        assert status == 503
        assert int(headers["Retry-After"]) > 0
        assert headers["Content-Type"].startswith("text/plain")
        assert b"time limit" in body or b"too many long-running queries" in body  # the newer one displaces it
    assert any(b"time limit" in body for _, _, body, _ in runaway_results)
    # Every quick answer came back while a runaway query was still being computed.
    assert max(r[3] for r in quick_results) < max(r[3] for r in runaway_results)
    status, _, body, _ = post(server, QUICK)
    assert status == 200

"""Fair load: one heavy query in 50 requests at 16 clients does not starve cheap ones (loopback, bounded)."""

import pytest

from tests.load import run_mix, summary
from tests.servers import ServiceServer

pytestmark = pytest.mark.slow

TIMEOUT = 4.0
MARGIN = 2.0  # killing a query process and answering


@pytest.fixture(scope="module")
def server(mini_store_dir):
    with ServiceServer({"STORE_DIR": str(mini_store_dir), "QUERY_TIMEOUT": TIMEOUT}) as running:
        yield running


def test_cheap_queries_are_answered_while_heavy_ones_run(server):
    results = run_mix(server.url(""), clients=16, requests=800, heavy_every=50)
    point, _, _ = summary(results["point query"])
    assert point.get(200, 0) >= 0.99 * len(results["point query"]), point
    pages, _, _ = summary(results["page"])
    assert set(pages) == {200}, pages
    heavy, _, _ = summary(results["heavy query"])
    assert set(heavy) <= {503}, heavy  # stopped at the time limit or refused: never a 200 cut short
    for kind, outcomes in results.items():
        assert max(seconds for _, seconds in outcomes) <= TIMEOUT + MARGIN, kind  # waits and retries included

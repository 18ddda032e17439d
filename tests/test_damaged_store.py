"""A damaged published release is our fault, not the user's: every answer that needs the data is a
503 with a plain reason and no internal path, the log says what is wrong, and so does `serve`."""

import logging
import os
import subprocess
import sys
import time

import pytest

from service.app import create_app
from service.stores.embedded import EmbeddedStore
from tests.conftest import FIXTURES, ROOT
from tests.servers import free_port

URLS = [
    "/",
    "/doc/pledge/SP320067",
    "/doc/pledge/SP320067.ttl",
    "/id/pledge/SP320067",
    "/pledges",
    "/themes",
    "/search?q=red",
    "/search/suggest?q=re",
    "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D",
    "/api/queries/conferences-overview.json",
    '/reconcile?queries={"q0":{"query":"Kenya"}}',
    "/reconcile/suggest/entity?prefix=ken",
    "/.well-known/void",
    "/dumps/pledgegraph.nt.gz",
    "/sitemap.xml",
]


def _largest(release, pattern):
    return max(release.glob(pattern), key=lambda p: p.stat().st_size)


def truncate(path):
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


DAMAGE = {
    "a truncated table file": lambda release, root: truncate(_largest(release, "*.sst")),
    "a deleted table file": lambda release, root: _largest(release, "*.sst").unlink(),
    "a truncated MANIFEST": lambda release, root: truncate(_largest(release, "MANIFEST-*")),
    "a deleted CURRENT": lambda release, root: (release / "CURRENT").unlink(),
    "a dangling current link": lambda release, root: os.rename(release, root / "releases" / "gone"),
}


@pytest.fixture(params=sorted(DAMAGE))
def damaged(request, tmp_path):
    root = tmp_path / "store"
    store = EmbeddedStore(root)
    store.publish([FIXTURES / "mini.trig"])
    release = root / "releases" / store.current_release()
    DAMAGE[request.param](release, root)
    return root


def test_every_answer_is_a_plain_503_without_paths(damaged, caplog):
    app = create_app({"TESTING": True, "STORE_DIR": str(damaged), "QUERY_TIMEOUT": 5.0})
    client = app.test_client()
    caplog.set_level(logging.ERROR)
    for url in URLS:
        for accept in ("text/html", "application/json", "text/turtle", "*/*"):
            response = client.get(url, headers={"Accept": accept})
            ui = url.startswith("/sparql") and accept == "text/html"  # the query UI: a page, no data
            assert response.status_code in ((200,) if ui else (503, 303, 406)), (url, accept, response.status_code)
            body = response.get_data(as_text=True)
            assert str(damaged) not in body and "/releases/" not in body and "/tmp" not in body, (url, body)
            if response.status_code == 503:
                assert response.headers["Retry-After"]
                assert "damaged" in body or "could not be read" in body or "query process" in body, (url, body)
    assert "damaged" in caplog.text and str(damaged) in caplog.text  # the operator gets the details


def test_serve_says_what_is_wrong_at_start_up(damaged):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "service", "--store-dir", str(damaged), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT, start_new_session=True,
    )
    try:
        first = process.stderr.readline()
        assert first.startswith("warning: the published data") and "damaged" in first, first
        assert "pledgegraph build" in first
        logged = [process.stderr.readline() for _ in range(3)]  # once serving: the details, for the operator
        assert any("damaged" in line and str(damaged) in line for line in logged), logged
    finally:
        time.sleep(0.5)
        process.terminate()
        process.wait(timeout=30)

"""Releases on a remote store (a real Oxigraph server and Virtuoso): it keeps its current release only,
and that one is addressable as on the embedded store; tags and permalinks are refused with a reason."""

import subprocess
import sys
from pathlib import Path

import pytest

from service.app import create_app
from service.stores.releases import http_date, release_time
from service.stores.remote import RemoteStore
from tests.stores import store_servers  # noqa: F401 -- a fixture

from .conftest import ROOT

MINI = Path(__file__).resolve().parent / "fixtures" / "mini.trig"
PLEDGES = "SELECT ?p WHERE { ?p a <https://w3id.org/rcrc/def/Pledge> }"
RELEASE = "20260105T101010000000Z"
pytestmark = pytest.mark.slow


@pytest.fixture(params=["oxigraph", "virtuoso"])
def remote(request, store_servers, tmp_path):  # noqa: F811
    server = store_servers(request.param)
    RemoteStore.from_config(server.config()).publish([MINI], release=RELEASE)
    app = create_app({"TESTING": True, "STORE_DIR": str(tmp_path / "unused"), **server.config()})
    return server, app.test_client()


def test_the_current_release_is_listed_and_queryable(remote):
    _, client = remote
    listing = client.get("/releases/", headers={"Accept": "text/turtle"})
    assert listing.status_code == 200
    assert f"https://w3id.org/rcrc/release/{RELEASE}".encode() in listing.data
    answer = client.get(f"/releases/{RELEASE}/sparql", query_string={"query": PLEDGES},
                        headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200
    assert [b["p"]["value"] for b in answer.get_json()["results"]["bindings"]] == [
        "https://w3id.org/rcrc/id/pledge/SP320067"]
    assert client.get("/releases/current/sparql", query_string={"query": PLEDGES}).status_code == 302
    for gone in ("20250101T000000000000Z", "nope"):
        assert client.get(f"/releases/{gone}/sparql", query_string={"query": PLEDGES}).status_code == 404


def test_memento_and_change_set_of_the_current_release(remote):
    _, client = remote
    moved = client.get("/doc/pledge/SP320067", headers={"Accept-Datetime": "Tue, 20 Mar 2001 20:35:00 GMT"})
    assert moved.status_code == 302
    assert moved.headers["Location"] == f"http://localhost/releases/{RELEASE}/doc/pledge/SP320067"
    memento = client.get(moved.headers["Location"], headers={"Accept": "text/turtle"})
    assert memento.status_code == 200
    assert memento.headers["Memento-Datetime"] == http_date(release_time(RELEASE))
    assert client.get("/doc/pledge/SP320067", headers={"Accept-Datetime": "soon"}).status_code == 400
    patch = client.get(f"/releases/{RELEASE}/changes").get_data(as_text=True)
    assert "A <https://w3id.org/rcrc/id/pledge/SP320067> " in patch


def test_tags_and_permalinks_are_refused_with_a_reason(remote):
    server, client = remote
    refused = client.post("/q", data={"query": PLEDGES}, headers={"Accept": "text/plain"})
    assert refused.status_code == 501 and b"remote store keeps only its current release" in refused.data
    command = [sys.executable, "-m", "service", "--store-url", server.query_url, "release", "tag", "v1", RELEASE]
    tagged = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert tagged.returncode == 2 and "remote store keeps only its current release" in tagged.stderr
    listed = subprocess.run(command[:-3] + ["list"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0 and listed.stdout.split()[0] == RELEASE

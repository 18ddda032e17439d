"""The resource pages, listings, search and dataset description over a remote store (an Oxigraph
server and a Virtuoso, started by tests/stores.py), as over the embedded one."""

import gzip
import re

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from service.app import create_app
from service.stores.embedded import EmbeddedStore
from service.stores.remote import RemoteStore
from tests.conftest import FIXTURES
from tests.stores import store_servers  # noqa: F401 -- a fixture

pytestmark = pytest.mark.slow


@pytest.fixture(params=["oxigraph", "virtuoso"])
def clients(request, store_servers, mini_client):  # noqa: F811
    config = store_servers(request.param).config()
    RemoteStore.from_config(config).publish([FIXTURES / "mini.trig"])
    return create_app({"TESTING": True, **config}).test_client(), mini_client


@pytest.mark.parametrize("path", ["/doc/pledge/SP320067", "/doc/resolution/31/3", "/doc/theme/migration"])
def test_resource_graphs_match_the_embedded_store(clients, path):
    remote, embedded = clients
    for ext, fmt in (("ttl", "turtle"), ("jsonld", "json-ld")):
        theirs = Graph().parse(data=remote.get(f"{path}.{ext}").data, format=fmt)
        ours = Graph().parse(data=embedded.get(f"{path}.{ext}").data, format=fmt)
        assert len(ours) and isomorphic(theirs, ours), (path, ext)


def test_pages_answer_over_a_remote_store(clients):
    remote, _ = clients
    assert remote.get("/id/pledge/SP320067").status_code == 303
    html = remote.get("/doc/resolution/31/3", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "Pledges citing this resolution" in html and "Turning commitments" in html
    assert remote.get("/doc/pledge/NOPE").status_code == 404
    assert "Pledges <small>(1)</small>" in remote.get("/pledges").get_data(as_text=True)
    assert "Migration" in remote.get("/search?q=migration").get_data(as_text=True)
    assert remote.get("/").status_code == 200
    assert remote.get("/sitemap.xml").status_code == 200


def test_void_and_dumps_over_a_remote_store(clients):
    remote, _ = clients
    void = remote.get("/.well-known/void")
    assert void.status_code == 200 and b"void:triples 40" in void.data
    nt = Graph().parse(data=gzip.decompress(remote.get("/dumps/pledgegraph.nt.gz").data), format="nt")
    assert len(nt) == 40


@pytest.fixture(params=["oxigraph", "virtuoso"])
def real_remote(request, store_servers, real_store_dir, tmp_path):  # noqa: F811
    """The real release (its shapes and validation report included) published to a remote store."""
    config = store_servers(request.param).config()
    dump = tmp_path / "real.nq"
    EmbeddedStore(real_store_dir).dump(dump)
    RemoteStore.from_config(config).publish([dump])
    return create_app({"TESTING": True, **config}).test_client()


def card_and_check(client, path, lang="en"):
    html = client.get(path, headers={"Accept": "text/html", "Accept-Language": lang}).get_data(as_text=True)
    card = re.findall(r'<dt><span title="([^"]+)"', html)
    check = re.search(r'<dd class="conformance">(.*?)</dd>', html, re.S)
    related = re.findall(r'<section class="related" aria-labelledby="[^"]+">\s*<h2[^>]*>([^<]+)', html)
    start = html.find('<section class="incoming"')  # what the related sections do not show
    incoming = re.findall(r'href="([^"]+)"', html[start : html.find("</section>", start)]) if start >= 0 else []
    return card, check and re.sub(r"\s+", " ", check.group(1)), related, incoming


@pytest.mark.parametrize(
    "path", ["/doc/pledge/SP320067", "/doc/resolution/31/3", "/doc/conference/32", "/doc/organisation/icrc"]
)
def test_layout_related_records_and_check_over_a_remote_store(real_remote, real_client, path):
    theirs, ours = card_and_check(real_remote, path, "fr"), card_and_check(real_client, path, "fr")
    assert ours[0] and ours[1] and theirs == ours


def test_exports_and_the_home_chart_over_a_remote_store(real_remote, real_client):
    for path in ("/pledges.csv?conference=32", "/resolutions.json", "/search.csv?q=migration"):
        assert real_remote.get(path).data == real_client.get(path).data, path
    totals = r'<text class="total"[^>]*>([^<]+)</text>'
    home = real_remote.get("/").get_data(as_text=True)
    assert re.findall(totals, home) == re.findall(totals, real_client.get("/").get_data(as_text=True))


def test_a_remote_store_index_is_built_once_per_release_on_this_machine(store_servers):  # noqa: F811
    """The service does not own a remote store's disk: each machine builds the page index of the
    current release on first use, under a lock, keeps it in a local folder keyed by the store, and
    drops the index of a release the store no longer keeps."""
    from service.pages import prepared

    config = store_servers("oxigraph").config()
    store = RemoteStore.from_config(config)
    first = store.publish([FIXTURES / "mini.trig"])
    folder = prepared.index_folder(store)
    client = create_app({"TESTING": True, **config}).test_client()
    assert client.get("/pledges").status_code == 200
    assert prepared.problem(folder / f"{first}.sqlite", first) is None
    second = store.publish([FIXTURES / "mini.trig"])
    assert "Migration" in client.get("/search?q=migration").get_data(as_text=True)
    assert prepared.problem(folder / f"{second}.sqlite", second) is None
    assert not (folder / f"{first}.sqlite").exists()

"""VoID + DCAT description, dumps with checksums, sitemap."""

import gzip
import hashlib
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.compare import isomorphic

from service.app import create_app
from service.stores.embedded import EmbeddedStore
from tests.conftest import FIXTURES

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
DATASET = URIRef("https://w3id.org/rcrc/.well-known/void#dataset")


@pytest.fixture
def client(tmp_path):
    EmbeddedStore(tmp_path).publish([FIXTURES / "mini.trig"], release="20260301T120000000000Z")
    return create_app({"TESTING": True, "STORE_DIR": str(tmp_path)}).test_client()


def _void(client):
    response = client.get("/.well-known/void")
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    return Graph().parse(data=response.data, format="turtle")


def test_void_describes_the_release(client):
    g = _void(client)
    assert (DATASET, URIRef(str(DCAT) + "version"), None) in g
    assert str(g.value(DATASET, DCAT.version)) == "20260301T120000000000Z"
    assert str(g.value(DATASET, VOID.sparqlEndpoint)) == "https://w3id.org/rcrc/sparql"
    assert int(g.value(DATASET, VOID.triples)) == 40
    classes = {
        str(g.value(p, VOID["class"])): int(g.value(p, VOID.entities))
        for p in g.objects(DATASET, VOID.classPartition)
    }
    assert classes["https://w3id.org/rcrc/def/Conference"] == 2
    assert classes["https://w3id.org/rcrc/def/Pledge"] == 1
    props = {
        str(g.value(p, VOID.property)): int(g.value(p, VOID.triples))
        for p in g.objects(DATASET, VOID.propertyPartition)
    }
    assert props["https://w3id.org/rcrc/def/citesResolution"] == 1
    assert len(list(g.objects(DATASET, VOID.subset))) == 5  # one per named graph
    assert len(list(g.objects(DATASET, VOID.dataDump))) == 3


def test_void_negotiates_and_answers_304(client):
    html = client.get("/.well-known/void", headers={"Accept": "text/html"})
    assert html.mimetype == "text/html" and b"pledgegraph.nt.gz" in html.data
    jsonld = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert isomorphic(Graph().parse(data=jsonld.data, format="json-ld"), _void(client))
    again = client.get(
        "/.well-known/void", headers={"If-None-Match": html.headers["ETag"], "Accept": "text/html"}
    )
    assert again.status_code == 304
    assert client.get("/.well-known/void", headers={"Accept": "image/png"}).status_code == 406


def test_dumps_match_their_checksums_and_the_store(client, tmp_path):
    g = _void(client)
    sums = client.get("/dumps/").get_data(as_text=True)
    for dist in g.objects(DATASET, DCAT.distribution):
        url = str(g.value(dist, DCAT.downloadURL))
        name = url.rsplit("/", 1)[-1]
        body = client.get(f"/dumps/{name}").data
        digest = hashlib.sha256(body).hexdigest()
        checksum = g.value(dist, SPDX.checksum)
        assert str(g.value(checksum, SPDX.checksumValue)) == digest
        assert int(g.value(dist, DCAT.byteSize)) == len(body)
        assert f"{digest}  {name}" in sums
    store = EmbeddedStore(tmp_path)
    expected = Dataset()
    expected.parse(FIXTURES / "mini.trig", format="trig")
    nq = Dataset()
    nq.parse(data=gzip.decompress(client.get("/dumps/pledgegraph.nq.gz").data), format="nquads")
    assert len(nq) == len(expected) == sum(1 for _ in store.quads())
    nt = Graph().parse(data=gzip.decompress(client.get("/dumps/pledgegraph.nt.gz").data), format="nt")
    ttl = Graph().parse(data=client.get("/dumps/pledgegraph.ttl").data, format="turtle")
    assert len(nt) == 40 and isomorphic(nt, ttl)


def test_dumps_are_made_once_per_release(client, tmp_path):
    client.get("/dumps/pledgegraph.ttl")
    folder = tmp_path / "dumps" / "20260301T120000000000Z"
    stamp = (folder / "pledgegraph.ttl").stat().st_mtime_ns
    client.get("/dumps/pledgegraph.ttl")
    assert (folder / "pledgegraph.ttl").stat().st_mtime_ns == stamp
    EmbeddedStore(tmp_path).publish([FIXTURES / "mini.trig"], release="20260302T120000000000Z")
    assert client.get("/dumps/pledgegraph.ttl").status_code == 200
    # the older release is still kept, and so are its dumps (/releases/<id>/dumps/...)
    assert (folder / "pledgegraph.ttl").stat().st_mtime_ns == stamp
    assert (tmp_path / "dumps" / "20260302T120000000000Z").exists()
    EmbeddedStore(tmp_path, keep=1).publish([FIXTURES / "mini.trig"], release="20260303T120000000000Z")
    assert not folder.exists(), "a pruned release's dumps go with it"


@pytest.mark.parametrize("name", ["nope.ttl", "..%2Fcurrent", "manifest.json", "sha256sums", "SHA256SUMS.txt"])
def test_unknown_dump_is_404(client, name):
    assert client.get(f"/dumps/{name}").status_code == 404


def test_sitemap_lists_every_resource_page(client):
    response = client.get("/sitemap.xml")
    assert response.mimetype == "application/xml"
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ElementTree.fromstring(response.data).findall("s:url/s:loc", ns)]
    assert "http://localhost/doc/pledge/SP320067" in locs
    assert "http://localhost/doc/resolution/31/3" in locs
    assert "http://localhost/pledges" in locs
    for loc in locs[:12]:
        assert client.get(loc, headers={"Accept": "text/html"}).status_code == 200, loc
    assert client.get("/sitemap-2.xml").status_code == 404


def test_dump_write_is_atomic_for_readers(tmp_path):
    from service.dataset.dumps import ensure_dumps

    store = EmbeddedStore(tmp_path / "s")
    release = store.publish([FIXTURES / "mini.trig"])
    made = ensure_dumps(store, tmp_path / "d", release)
    assert set(made) == {"pledgegraph.nt.gz", "pledgegraph.ttl", "pledgegraph.nq.gz"}
    assert not list((tmp_path / "d").glob("*.partial-*"))
    assert ox.parse(path=str(made["pledgegraph.ttl"]["path"]), format=ox.RdfFormat.TURTLE)


def test_void_is_the_same_bytes_in_every_process(real_store_dir):
    """One strong ETag, one body: blank nodes get fixed labels, so workers agree byte for byte."""
    from service.app import create_app

    answers = []
    for _ in range(2):  # two apps: two stores, two descriptions computed afresh, as in two processes
        app = create_app({"TESTING": True, "STORE_DIR": str(real_store_dir)})
        response = app.test_client().get("/.well-known/void", headers={"Accept": "text/turtle"})
        answers.append((response.headers["ETag"], response.data))
    assert answers[0] == answers[1]

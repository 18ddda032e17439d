"""An IRI once published never breaks: every IRI of an earlier release still dereferences, and a
retired IRI answers 301 to its successor on every route and format, on every kind of store."""

from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest

from service.app import create_app
from service.stores.remote import RemoteStore
from tests.conftest import FIXTURES
from tests.stores import store_servers  # noqa: F401 -- a fixture

BASE = "https://w3id.org/rcrc/"
RELEASES = sorted((FIXTURES / "iris").glob("release-*.txt"))
NUCLEAR_OLD = "pledge/32/humanitarian-consequences-of-the-use-of-nuclear-weapons"
RETIRED = {  # data/retired-iris.tsv
    NUCLEAR_OLD: "pledge/OP320014",
    "pledge/unknown/ihl": "pledge/33/ihl",
    "pledge/unknown/ensuring-the-safety-and-wellbeing-of-red-cross-red-crescent-volunteers": (
        "pledge/33/ensuring-the-safety-and-wellbeing-of-red-cross-red-crescent-volunteers"
    ),
}


def published_iris(path):
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def local_path(iri):
    assert iri.startswith(BASE), iri
    return "/" + iri[len(BASE) :]


@pytest.mark.parametrize("release", RELEASES, ids=lambda p: p.stem)
def test_every_iri_of_an_earlier_release_still_dereferences(real_client, release):
    iris = published_iris(release)
    assert len(iris) > 600
    broken = []
    for iri in iris:
        path = local_path(iri)
        paths = [path, "/doc/" + path[len("/id/") :]] if path.startswith("/id/") else [path]
        for candidate in paths:
            response = real_client.get(candidate, headers={"Accept": "text/turtle"}, follow_redirects=True)
            if response.status_code != 200:
                broken.append((candidate, response.status_code))
    assert broken == []


def test_the_earlier_release_held_the_iris_that_were_retired():
    """The fixture is the list from before the change: it holds the old IRIs, not their successors."""
    iris = set(published_iris(RELEASES[0]))
    assert {BASE + "id/" + old for old in RETIRED} <= iris
    assert BASE + "id/pledge/OP320014" not in iris


# (route of the retired IRI, route of its successor): the same kind of address, format and query kept
ROUTES = [
    ("/id/{}", "/id/{}"),
    ("/doc/{}", "/doc/{}"),
    ("/doc/{}.ttl", "/doc/{}.ttl"),
    ("/doc/{}.jsonld", "/doc/{}.jsonld"),
    ("/doc/{}.html", "/doc/{}.html"),
    ("/id/{}.rdf", "/id/{}.rdf"),
    ("/doc/{}?page=1", "/doc/{}?page=1"),
]


@pytest.mark.parametrize("old", RETIRED)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r[0])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_retired_iri_answers_301_to_its_successor(real_client, old, route, method):
    response = real_client.open(route[0].format(old), method=method, headers={"Accept": "text/html"})
    assert response.status_code == 301
    assert response.headers["Location"] == route[1].format(RETIRED[old])
    assert real_client.open(response.headers["Location"], method=method, follow_redirects=True).status_code == 200


def test_the_nuclear_weapons_pledge_moved_to_its_number(real_client):
    response = real_client.get("/id/" + NUCLEAR_OLD)
    assert (response.status_code, response.headers["Location"]) == (301, "/id/pledge/OP320014")
    page = real_client.get("/doc/pledge/OP320014", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "replaces the retired IRI" in page and NUCLEAR_OLD in page
    turtle = real_client.get("/dumps/pledgegraph.ttl").get_data(as_text=True)
    assert "dcterms:isReplacedBy" in turtle


def test_retired_iris_are_left_out_of_the_sitemap(real_client):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {e.text for e in ElementTree.fromstring(real_client.get("/sitemap.xml").data).findall("s:url/s:loc", ns)}
    assert "http://localhost/doc/pledge/OP320014" in locs
    assert not [loc for loc in locs if urlsplit(loc).path.removeprefix("/doc/") in RETIRED]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_a_retired_iri_answers_301_over_a_remote_store(store_servers, kind):  # noqa: F811
    config = store_servers(kind).config()
    RemoteStore.from_config(config).publish([FIXTURES / "mini.trig", FIXTURES / "retired.trig"])
    client = create_app({"TESTING": True, **config}).test_client()
    response = client.get("/doc/pledge/32/turning-commitments.ttl")
    assert (response.status_code, response.headers["Location"]) == (301, "/doc/pledge/SP320067.ttl")
    assert client.get("/id/pledge/32/no-such-pledge").status_code == 404

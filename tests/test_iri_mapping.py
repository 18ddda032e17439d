"""IRI <-> URL mapping: every link the service prints reaches the page of the IRI it names, whatever
characters the IRI holds; a path names its IRI however its percent-encoding is spelled; an IRI
ending in a format extension still dereferences. Through werkzeug's client and a real gunicorn.
"""

import re
from urllib.parse import urljoin

import pyoxigraph as ox
import pytest
import requests
from werkzeug.urls import iri_to_uri

from service.app import create_app
from service.iris import path_candidates, url_path
from service.stores.embedded import EmbeddedStore
from service.stores.remote import RemoteStore

from .conftest import FIXTURES
from .servers import ServiceServer
from .stores import STORE_KINDS, store_servers  # noqa: F401 -- a fixture

ODD_IRIS = [
    "https://w3id.org/rcrc/id/theme/what?is=this",
    "https://w3id.org/rcrc/id/theme/part#two",
    "https://w3id.org/rcrc/id/theme/caf%C3%A9",
    "https://w3id.org/rcrc/id/theme/thé",
    "https://w3id.org/rcrc/id/theme/report.ttl",
    "https://w3id.org/rcrc/id/theme/notes.html",
    "https://w3id.org/rcrc/id/theme/a;b=c,d",
    "https://w3id.org/rcrc/id/theme/100%25",
    "https://w3id.org/rcrc/id/theme/latin%E9",  # percent-encoding that is not UTF-8: found as sent
    "https://w3id.org/rcrc/def/odd?term",
    "https://w3id.org/rcrc/shapes/Odd#Shape",
]
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
THEME = "https://w3id.org/rcrc/def/Theme"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture(scope="module")
def odd_files(tmp_path_factory):
    """The mini data and a graph of resources whose IRIs hold reserved and non-ASCII characters."""
    root = tmp_path_factory.mktemp("odd-iris")
    graph = ox.NamedNode("https://w3id.org/rcrc/graph/data/odd")
    quads = []
    for n, iri in enumerate(ODD_IRIS):
        node = ox.NamedNode(iri)
        quads.append(ox.Quad(node, ox.NamedNode(LABEL), ox.Literal(f"Odd resource {n}", language="en"), graph))
        if "/id/theme/" in iri:
            quads.append(ox.Quad(node, ox.NamedNode(TYPE), ox.NamedNode(THEME), graph))
    odd = root / "odd.nq"
    odd.write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    return [FIXTURES / "mini.trig", odd]


@pytest.fixture(scope="module")
def odd_store(odd_files, tmp_path_factory):
    root = tmp_path_factory.mktemp("odd-store")
    EmbeddedStore(root).publish(odd_files)
    return root


KINDS = [k if k == "embedded" else pytest.param(k, marks=pytest.mark.slow) for k in STORE_KINDS]


@pytest.fixture(scope="module", params=KINDS)
def any_client(request, odd_files, odd_store, store_servers):  # noqa: F811
    """A client over the odd data on each kind of store: embedded, Oxigraph server, Virtuoso."""
    if request.param == "embedded":
        return create_app({"TESTING": True, "STORE_DIR": str(odd_store)}).test_client()
    config = store_servers(request.param).config()
    RemoteStore.from_config(config).publish(odd_files)
    return create_app({"TESTING": True, **config}).test_client()


@pytest.fixture(scope="module")
def client(odd_store):
    return create_app({"TESTING": True, "STORE_DIR": str(odd_store)}).test_client()


@pytest.fixture(scope="module")
def gunicorn(odd_store):
    with ServiceServer({"STORE_DIR": str(odd_store)}, threads=4) as server:
        yield server


def described(link_header):
    return re.search(r'<([^>]*)>; rel="describes"', link_header).group(1)


def get(client_kind, client, gunicorn, url, **headers):
    """(status, headers, text) of a GET (redirects not followed) through the werkzeug client or gunicorn."""
    if client_kind == "werkzeug":
        response = client.get(url, headers=headers)
        return response.status_code, response.headers, response.get_data(as_text=True)
    response = requests.get(gunicorn.url(url), headers=headers, timeout=30, allow_redirects=False)
    return response.status_code, response.headers, response.text


def doc_path(iri):
    tail = iri[len("https://w3id.org/rcrc/") :]
    tail = "doc/" + tail[3:] if tail.startswith("id/") else tail
    return "/" + url_path(tail)


@pytest.mark.parametrize("client_kind", ["werkzeug", "gunicorn"])
@pytest.mark.parametrize("iri", ODD_IRIS)
def test_the_url_of_every_iri_reaches_its_page(client, gunicorn, client_kind, iri):
    for accept in ("text/turtle", "text/html"):
        status, headers, body = get(client_kind, client, gunicorn, doc_path(iri), Accept=accept)
        assert status == 200, (iri, accept, body[:200])
        assert described(headers["Link"]) == iri_to_uri(iri)
    if "/id/" in iri:  # the IRI itself, mapped onto this host: 303 to the same page
        thing = "/id/" + url_path(iri.split("/id/", 1)[1])
        status, headers, _ = get(client_kind, client, gunicorn, thing)
        assert status == 303
        assert urljoin("http://x" + thing, headers["Location"]).endswith(doc_path(iri))


def links(html):
    return re.findall(r'href="(/doc/[^"]*|http://localhost/(?:doc|def|shapes)/[^"]*)"', html)


@pytest.mark.parametrize(
    "page",
    ["/themes", "/search?q=odd", "/sitemap.xml", "/doc/theme/what%3Fis=this", "/search/suggest?q=odd"],
)
def test_every_link_on_listings_search_and_the_sitemap_reaches_its_page(any_client, page):
    client = any_client
    response = client.get(page, headers={"Accept": "text/html"})
    text = response.get_data(as_text=True).replace("&amp;", "&")
    found = set(links(text)) | set(re.findall(r"<loc>(http://localhost/[^<]*)</loc>", text))
    found |= set(re.findall(r'"url": ?"(http://localhost/[^"]*)"', text))
    odd = [u for u in found if "odd" in u.lower() or "theme/" in u and any(c in u for c in "%;.")]
    assert odd, text[:500]
    for url in found:
        status = client.get(url.replace("http://localhost", ""), headers={"Accept": "text/turtle"}).status_code
        assert status == 200, url


@pytest.mark.parametrize(
    "path, iri",
    [
        ("/doc/theme/caf%c3%a9", "https://w3id.org/rcrc/id/theme/caf%C3%A9"),  # RFC 3986 §6.2.2.1
        ("/doc/theme/caf%C3%A9", "https://w3id.org/rcrc/id/theme/caf%C3%A9"),
        ("/doc/theme/th%c3%a9", "https://w3id.org/rcrc/id/theme/thé"),
        ("/doc/theme/th%C3%A9.ttl", "https://w3id.org/rcrc/id/theme/thé"),
        ("/doc/theme/what%3fis=this", "https://w3id.org/rcrc/id/theme/what?is=this"),
        ("/doc/theme/report.ttl", "https://w3id.org/rcrc/id/theme/report.ttl"),  # not a format here
        ("/doc/theme/report.ttl.ttl", "https://w3id.org/rcrc/id/theme/report.ttl"),
        ("/doc/theme/notes.html.nt", "https://w3id.org/rcrc/id/theme/notes.html"),
        ("/doc/pledge/SP320067.ttl", "https://w3id.org/rcrc/id/pledge/SP320067"),  # a format as before
        ("/def/odd%3Fterm", "https://w3id.org/rcrc/def/odd?term"),
        ("/shapes/Odd%23Shape.ttl", "https://w3id.org/rcrc/shapes/Odd#Shape"),
    ],
)
def test_a_path_names_its_iri_however_it_is_spelled(any_client, path, iri):
    response = any_client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.get_data(as_text=True)[:200]
    assert described(response.headers["Link"]) == iri_to_uri(iri)


def test_an_extension_is_a_format_when_the_stem_names_a_resource(client):
    assert client.get("/doc/theme/report.ttl.ttl").mimetype == "text/turtle"
    assert client.get("/doc/theme/report.ttl", headers={"Accept": "application/n-triples"}).mimetype == (
        "application/n-triples"
    )
    assert client.get("/doc/theme/nothing.ttl").status_code == 404


def test_path_candidates_and_url_path():
    assert path_candidates("caf%c3%a9") == ["caf%c3%a9", "caf%C3%A9", "café"]
    assert path_candidates("caf%E9") == ["caf%E9"]  # not UTF-8: only as sent
    assert url_path("what?is=this#x y/é") == "what%3Fis=this%23x%20y/%C3%A9"
    assert url_path("caf%C3%A9") == "caf%C3%A9"

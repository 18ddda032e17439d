"""The dataset's licence (CC0 1.0 by default) where people and programs look for it, and quoted
pledge texts marked as their authors' words with their source."""

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from service.app import create_app
from service.config import DEFAULTS
from service.importers.quoted_text import QUOTED_TEXT, mark_quoted_texts
from service.namespaces import RCRC

from .conftest import ROOT

CC0 = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DATASET = URIRef("https://w3id.org/rcrc/.well-known/void#dataset")
HTML = {"Accept": "text/html"}

# Every HTML template of service/web/templates/, reached the way a browser reaches it.
PAGES = {
    "home.html": "/",
    "listing.html": "/pledges",
    "search.html": "/search?q=migration",
    "resource.html": "/doc/pledge/SP320067",
    "dataset.html": "/.well-known/void",
    "resource.html (vocabulary)": "/def/",
    "sparql.html": "/sparql",
    "api.html": "/api",
    "api_query.html": "/api/queries/conferences-overview.html",
    "reconcile.html": "/reconcile/try?query=Kenya",
    "reconcile_preview.html": "/reconcile/preview?id=https://w3id.org/rcrc/id/national-society/KE",
    "error.html": "/doc/pledge/NOPE",
}


def void_graph(client):
    response = client.get("/.well-known/void")
    assert response.status_code == 200
    return Graph().parse(data=response.data, format="turtle")


def test_cc0_is_the_default_licence():
    assert URIRef(DEFAULTS["DATA_LICENSE"]) == CC0


def test_void_and_every_distribution_carry_the_licence(real_client):
    g = void_graph(real_client)
    assert (DATASET, DCTERMS.license, CC0) in g
    distributions = list(g.objects(DATASET, DCAT.distribution))
    assert len(distributions) == 3
    for distribution in distributions:
        assert (distribution, DCTERMS.license, CC0) in g, distribution
    assert (DATASET, DCTERMS.rights, QUOTED_TEXT) in g  # what the licence does not cover


@pytest.mark.parametrize("template", PAGES)
def test_every_page_footer_shows_the_licence(real_client, template):
    response = real_client.get(PAGES[template], headers=HTML)
    assert response.mimetype == "text/html", template
    body = response.get_data(as_text=True)
    assert 'rel="license' in body and f'href="{CC0}"' in body, template
    assert "CC0 1.0" in body, template


def test_another_licence_or_none(real_store_dir):
    other = "https://creativecommons.org/licenses/by/4.0/"
    client = create_app({"TESTING": True, "STORE_DIR": str(real_store_dir), "DATA_LICENSE": other}).test_client()
    assert (DATASET, DCTERMS.license, URIRef(other)) in void_graph(client)
    assert f'href="{other}">{other}</a>' in client.get("/", headers=HTML).get_data(as_text=True)
    client = create_app({"TESTING": True, "STORE_DIR": str(real_store_dir), "DATA_LICENSE": ""}).test_client()
    g = void_graph(client)
    assert (DATASET, DCTERMS.license, None) not in g and (None, DCTERMS.license, None) not in g
    assert 'rel="license"' not in client.get("/", headers=HTML).get_data(as_text=True)


def test_published_quoted_texts_are_marked_with_their_holders_and_source(real_client):
    g = Graph().parse(data=real_client.get("/dumps/pledgegraph.ttl").data, format="turtle")
    quoting = set(g.subjects(RCRC.pledgeText, None))
    assert quoting, "SP320067's page gives the dataset one quoted text"
    for subject in quoting:
        assert (subject, DCTERMS.rights, QUOTED_TEXT) in g
        assert set(g.objects(subject, DCTERMS.rightsHolder)) == set(g.objects(subject, RCRC.pledgedBy))
        assert (subject, DCTERMS.source, None) in g
    assert (QUOTED_TEXT, RDF.type, DCTERMS.RightsStatement) in g
    assert real_client.get("/id/rights/quoted-text").status_code == 303


def test_marking_leaves_other_graphs_alone_and_keeps_unknown_holders_unknown():
    plain = Graph().add((URIRef("https://w3id.org/rcrc/id/pledge/P1200"), RCRC.summary, Literal("x", lang="en")))
    assert len(mark_quoted_texts(Graph() + plain)) == len(plain)
    model = URIRef("https://w3id.org/rcrc/id/pledge/MP028")
    g = mark_quoted_texts(Graph().add((model, RCRC.pledgeText, Literal("A model text", lang="en"))))
    assert (model, DCTERMS.rights, QUOTED_TEXT) in g and (model, DCTERMS.rightsHolder, None) not in g


def test_readme_states_the_licence():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert str(CC0) in readme and "not decided" not in readme


def test_no_published_graph_states_another_licence_than_the_datasets(real_client):
    """The ontology and shapes travel in the same dumps and endpoint as the data: one licence."""
    answer = real_client.get("/sparql", query_string={
        "query": "SELECT DISTINCT ?licence WHERE { GRAPH ?g { ?s <http://purl.org/dc/terms/license> ?licence } }"},
        headers={"Accept": "application/sparql-results+json"}).get_json()
    licences = {row["licence"]["value"] for row in answer["results"]["bindings"]}
    assert licences == {str(CC0)}

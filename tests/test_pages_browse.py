"""Listings with facets and pagination, search and autocomplete, the home page."""

import json
import re

import pytest

from service.pages.listing import listing
from service.pages.search import search, suggest
from service.stores.embedded import EmbeddedStore

MANY = "\n".join(
    f'id:pledge\\/P{n:03d} a rcrc:Pledge ; rdfs:label "Synthetic test pledge {n:03d}"@en ; '
    f"rcrc:conference id:conference\\/{31 + n % 2} ; rcrc:theme id:theme\\/{'migration' if n % 3 else 'health'} ; "
    f'rcrc:pledgeText "text number {n} about volunteers"@en .'
    for n in range(120)
)
TRIG = f"""@prefix rcrc: <https://w3id.org/rcrc/def/> .
@prefix id: <https://w3id.org/rcrc/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/rcrc/graph/data/browse> {{
  id:theme\\/health a rcrc:Theme ; rdfs:label "Health"@en .
{MANY}
}}"""


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    from tests.conftest import FIXTURES

    root = tmp_path_factory.mktemp("browse")
    (root / "many.trig").write_text(TRIG)
    EmbeddedStore(root / "store").publish([FIXTURES / "mini.trig", root / "many.trig"])
    return root / "store"


@pytest.fixture
def client(store_dir):
    from service.app import create_app

    return create_app({"TESTING": True, "STORE_DIR": str(store_dir)}).test_client()


def test_listing_core_counts_and_pages(store_dir):
    store = EmbeddedStore(store_dir)
    first = listing(store, "pledges")
    assert first.total == 121 and first.pages == 3 and len(first.items) == 50
    facets = {f.param: values for f, values in first.facets}
    assert {code: n for _, code, n in facets["conference"]} == {"31": 60, "32": 61}
    assert {code: n for _, code, n in facets["theme"]} == {"migration": 81, "health": 40}
    narrowed = listing(store, "pledges", {"conference": "32", "theme": "migration"})
    assert narrowed.total == 41  # 40 synthetic (odd n, n % 3 != 0) plus SP320067
    last = listing(store, "pledges", page=3)
    assert len(last.items) == 21
    everything = listing(store, "pledges", page=1, page_size=500).items
    assert len(set(everything)) == 121


@pytest.mark.parametrize(
    "query, status",
    [
        ("/pledges?theme=a%20b", 400),
        ("/pledges?theme=%3Cx%3E", 400),
        ("/pledges?colour=red", 200),  # not a filter: left out, said on the page (test_facets)
        ("/pledges?page=0", 400),
        ("/pledges?page=x", 400),
        ("/pledges?page=4", 404),
        ("/conferences?theme=x", 200),
        ("/pledges?theme=nosuchtheme", 200),
        ("/pledges?theme=migration&page=2", 200),
    ],
)
def test_listing_parameters(client, query, status):
    assert client.get(query).status_code == status


def test_listing_pages_render_facets_and_pager(client):
    html = client.get("/pledges?theme=migration").get_data(as_text=True)
    assert "Pledges <small>(81)</small>" in html
    assert 'href="/pledges?conference=32&amp;theme=migration"' in html
    assert "page 1 of 2" in html and 'rel="next" href="/pledges?theme=migration&amp;page=2"' in html
    assert 'title="remove this filter"' in html
    for kind in ("resolutions", "conferences", "organisations", "themes"):
        assert client.get(f"/{kind}").status_code == 200, kind
    assert "Migration: Ensuring access" in client.get("/resolutions").get_data(as_text=True)


def test_search_ranks_labels_before_text(store_dir):
    store = EmbeddedStore(store_dir)
    hits = search(store, "migration", limit=5).hits
    assert hits[0].iri.endswith("/theme/migration")  # the exact label first
    assert search(store, "volunteers").total == 120
    assert search(store, "VOLUNTEERS number 11").total == 11  # 11 and 110-119: words are substrings
    assert search(store, "").total == 0
    assert search(store, '"}) ; DROP ALL #').total == 0  # the query text reaches SPARQL as a literal


def test_search_refuses_very_long_queries(client):
    assert client.get("/search?q=" + "a" * 201).status_code == 400


def test_search_page(client):
    html = client.get("/search?q=resolution+3").get_data(as_text=True)
    assert "Turning commitments" in html
    assert "1 result for" in html or "results for" in html


def test_suggest(store_dir, client):
    store = EmbeddedStore(store_dir)
    assert suggest(store, "m") == []
    found = suggest(store, "mig")
    assert found[0][1] == "Migration"
    data = json.loads(client.get("/search/suggest?q=ICRC").data)
    assert data[0]["iri"] == "https://w3id.org/rcrc/id/organisation/icrc"
    assert data[0]["url"] == "http://localhost/doc/organisation/icrc"


def test_home_page_has_figures_and_chart(client):
    html = client.get("/").get_data(as_text=True)
    assert "<svg" in html and "Pledges per conference" in html
    bars = re.findall(r'<g class="bar">\s*<text[^>]*>([^<]*)</text>', html)
    assert bars == ["31st (2011)", "32nd (2015)"]
    assert ">Migration</a>" in html and ">Health</a>" in html
    assert re.findall(r'<text class="total"[^>]*>(\d+)</text>', html) == ["60", "61"]  # each pledge once

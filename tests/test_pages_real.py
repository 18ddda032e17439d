"""Resource pages on the real data (the build of data/): what a reader and a linker see."""

import re
from xml.etree import ElementTree

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

PLEDGE = "/doc/pledge/SP320067"
RESOLUTION = "/doc/resolution/31/3"
HTML = {"Accept": "text/html"}


def test_pledge_page_reads_well(real_client):
    html = real_client.get(PLEDGE, headers=HTML).get_data(as_text=True)
    assert re.search(r"<h1[^>]*>Turning commitments into further action to implement Resolution 3", html)
    for text in (
        "International Committee of the Red Cross",
        "Migration",
        ">source</span>",
        'href="http://localhost/doc/resolution/31/3"',
        "preprod.rcrcconference.org",
    ):
        assert text in html, text
    names = re.findall(r'<span title="([^"]*)"[^>]*>([^<]*)</span></t[hd]>', html) + re.findall(
        r'<dt><span title="([^"]*)"[^>]*>([^<]*)</span></dt>', html
    )
    assert names and not [n for _, n in names if ":" in n], names  # rows named in words, compact IRIs in tooltips


def test_resolution_page_is_cited_by_the_pledge(real_client):
    html = real_client.get(RESOLUTION, headers=HTML).get_data(as_text=True)
    assert "Pledges citing this resolution" in html
    assert html.count('href="http://localhost/doc/pledge/SP320067"') == 1  # not again under "cited by"
    assert "31st International Conference" in html


@pytest.mark.parametrize(
    "path",
    [PLEDGE, RESOLUTION, "/doc/conference/32", "/doc/theme/migration", "/doc/national-society/KE", "/def/Pledge"],
)
def test_formats_agree_on_real_resources(real_client, path):
    graphs = [
        Graph().parse(data=real_client.get(f"{path}.{ext}").data, format=fmt)
        for ext, fmt in (("ttl", "turtle"), ("jsonld", "json-ld"), ("rdf", "xml"), ("nt", "nt"))
    ]
    assert len(graphs[0]) > 0
    assert all(isomorphic(g, graphs[0]) for g in graphs[1:])


def test_listing_counts_match_the_store(real_client, real_store_dir):
    from service.dataset.stats import class_counts
    from service.stores.embedded import EmbeddedStore

    pledges = dict(class_counts(EmbeddedStore(real_store_dir)))["https://w3id.org/rcrc/def/Pledge"]
    html = real_client.get("/pledges").get_data(as_text=True)
    assert f"Pledges <small>({pledges})</small>" in html
    assert real_client.get("/pledges?theme=migration").status_code == 200


def test_ontology_and_shapes_pages(real_client):
    html = real_client.get("/def/", headers=HTML).get_data(as_text=True)
    assert 'title="https://w3id.org/rcrc/def/citesResolution"' in html
    assert real_client.get("/shapes/", headers={"Accept": "text/turtle"}).status_code == 200


@pytest.mark.slow
def test_every_page_in_the_sitemap_answers(real_client):
    root = ElementTree.fromstring(real_client.get("/sitemap.xml").data)
    locs = [e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locs) > 400
    for loc in locs:
        response = real_client.get(loc, headers=HTML)
        assert response.status_code == 200, loc
        main = response.data.split(b"<main", 1)[1].split(b'<section class="about"')[0]
        visible = re.sub(rb'title="[^"]*"', b"", main)  # compact IRIs stay in tooltips
        vocabulary = any(p in loc for p in ("/def/", "/shapes/", "/doc/query/"))  # SPARQL text says rcrc:
        assert b"rcrc:" not in visible or vocabulary, loc


def test_search_finds_the_pledge_by_its_title_word(real_client):
    html = real_client.get("/search?q=migration").get_data(as_text=True)
    assert 'href="http://localhost/doc/pledge/SP320067"' in html


@pytest.mark.parametrize("path", ["/doc/pledge/34/reaffirmation-of-nato-s-pledge", "/doc/organisation/icrc",
                                  "/doc/pledge/SP320067", "/doc/conference/32", "/doc/resolution/31/3",
                                  "/doc/theme/migration", "/pledges", "/search?q=migration"])
def test_links_are_named_for_people_not_by_their_addresses(real_client, path):
    """A link without a label reads as its site and page ("rcrcconference.org › ...") or as
    "Wikidata Q...", never as a bare address or a prefixed name; the address stays in the tooltip."""
    html = real_client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    texts = re.findall(r"<a [^>]*>([^<]*)</a>", main)
    assert texts
    assert [t for t in texts if t.startswith(("http://", "https://", "wd:"))] == []

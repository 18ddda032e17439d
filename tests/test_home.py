"""The home page: figures that link to their listings, the release as a date, and a chart that counts
each pledge once (its numbers equal SPARQL counts of pledges per conference), in every language."""

import re

import pytest

from service.dataset.figures import chart, pledges_by_conference
from service.stores.embedded import EmbeddedStore

R = "https://w3id.org/rcrc/def/"
PER_CONFERENCE = (
    f"""SELECT ?c (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{R}Pledge> ; <{R}conference> ?c }} GROUP BY ?c"""
)
WITHOUT = (
    f"""SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{R}Pledge> FILTER NOT EXISTS {{ ?p <{R}conference> ?c }} }}"""
)


@pytest.fixture(scope="module")
def counts(real_store_dir):
    store = EmbeddedStore(real_store_dir)
    per = {row["c"].value.rsplit("/", 1)[1]: int(row["n"].value) for row in store.query(PER_CONFERENCE)}
    without = int(next(iter(store.query(WITHOUT)))["n"].value)
    store.close()
    return per, without


def test_the_chart_counts_each_pledge_once(real_client, counts):
    per, without = counts
    html = real_client.get("/").get_data(as_text=True)
    table = html.split('<details class="chart-table">', 1)[1].split("</details>", 1)[0]
    row = r'<th scope="row">(?:<a href="/pledges\?conference=(\d+)">)?[^<]*(?:</a>)?</th>'
    row += r'<td class="num" data-count="(\d+)"'
    shown = re.findall(row, table)
    assert {code: int(n) for code, n in shown if code} == per
    assert [int(n) for code, n in shown if not code] == ([without] if without else [])
    totals = [int(n) for n in re.findall(r'<text class="total"[^>]*>([\d,]+)</text>', html.replace(",", ""))]
    assert totals == [int(n) for _, n in shown]  # the bars say the same numbers


def test_themes_are_shares_that_add_up_to_the_bar(real_store_dir, counts):
    store = EmbeddedStore(real_store_dir)
    rows = pledges_by_conference(store)
    store.close()
    for _, n, shares in rows:
        assert sum(shares.values()) == pytest.approx(n)
    drawn = chart(rows)
    for bar in drawn["bars"]:
        assert sum(s["share"] for s in bar["segments"]) == pytest.approx(bar["total"])
        longest = max(b["total"] for b in drawn["bars"])
        scale = (drawn["width"] - drawn["left"] - 50) / longest
        assert bar["end"] == pytest.approx(drawn["left"] + bar["total"] * scale, abs=0.5)  # length ∝ pledges


@pytest.mark.parametrize(
    "lang, words, release",
    [
        ("en", ["pledges", "resolutions", "conferences", "organisations", "themes"], "Release of "),
        ("fr", ["engagements", "résolutions", "conférences", "organisations", "thèmes"], "Version du "),
        ("es", ["compromisos", "resoluciones", "conferencias", "organizaciones", "temas"], "Versión del "),
        ("ar", ["تعهدات", "قرارًا", "مؤتمرات", "منظمة", "موضوعًا"], "إصدار "),  # 103: few; 48: many (CLDR)
    ],
)
def test_figures_link_to_their_listings_with_plurals(real_client, real_store_dir, lang, words, release):
    html = real_client.get("/", headers={"Accept-Language": lang}).get_data(as_text=True)
    figures = re.findall(r'<li><a href="/(\w+)"><strong>([^<]+)</strong> <span>([^<]+)</span></a></li>', html)
    figures = [f for f in figures if f[0] != "sparql"]  # the triples figure links to the endpoint
    assert [slug for slug, _, _ in figures] == ["pledges", "resolutions", "conferences", "organisations", "themes"]
    assert [word for _, _, word in figures] == words
    name = (real_store_dir / "current").resolve().name
    assert release in html and name not in html.split('class="release"', 1)[1].split("</p>", 1)[0]


def test_start_here_paths_for_three_kinds_of_visitor(real_client):
    html = real_client.get("/").get_data(as_text=True)
    start = html.split('id="start-h"', 1)[1]
    for link in ("/pledges", "/resolutions", "/sparql", "/api", "/dumps/", "/reconcile/try", "/def/", "/shapes/"):
        assert f'href="{link}"' in start, link
    assert re.search(r'href="/pledges\.csv\?conference=\d+"', start)
    assert "https://w3id.org/rcrc/id/pledge/" in start

"""Listings and search as CSV and JSON: the same filters as the page, every matching row, read by
the clients people use (pandas for CSV, json for JSON), through the extension or Accept."""

import io
import json

import pandas as pd
import pytest

from service.stores.embedded import EmbeddedStore

R = "https://w3id.org/rcrc/def/"
ID = "https://w3id.org/rcrc/id/"


def sparql_items(store_dir, pattern):
    store = EmbeddedStore(store_dir)
    try:
        return {row["s"].value for row in store.query(f"SELECT DISTINCT ?s WHERE {{ {pattern} }}")}
    finally:
        store.close()


# (export URL, the same selection as SPARQL over ?s, counted independently)
EXPORTS = [
    ("/pledges.csv?theme=migration", f"?s a <{R}Pledge> ; <{R}theme> <{ID}theme/migration>"),
    ("/pledges.csv?conference=32", f"?s a <{R}Pledge> ; <{R}conference> <{ID}conference/32>"),
    (
        "/pledges.csv?conference=32&theme=migration&theme=youth",
        f"?s a <{R}Pledge> ; <{R}conference> <{ID}conference/32> ; <{R}theme> ?t "
        f"VALUES ?t {{ <{ID}theme/migration> <{ID}theme/youth> }}",
    ),
    ("/pledges.csv?pledger=organisation/icrc", f"?s a <{R}Pledge> ; <{R}pledgedBy> <{ID}organisation/icrc>"),
    ("/pledges.csv?resolution=31/3", f"?s a <{R}Pledge> ; <{R}citesResolution> <{ID}resolution/31/3>"),
    ("/pledges.csv", f"?s a <{R}Pledge>"),
    ("/resolutions.csv", f"?s a <{R}Resolution>"),
    ("/resolutions.csv?conference=31", f"?s a <{R}Resolution> ; <{R}conference> <{ID}conference/31>"),
    ("/conferences.csv", f"?s a <{R}Conference>"),
    ("/organisations.csv?region=africa", f"?s <{R}region> <{ID}region/africa>"),
    ("/themes.csv", f"?s a <{R}Theme>"),
]


@pytest.mark.parametrize("url, pattern", EXPORTS, ids=[e[0] for e in EXPORTS])
def test_csv_exports_hold_the_filtered_rows_and_parse_with_pandas(real_client, real_store_dir, url, pattern):
    response = real_client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/csv" and response.mimetype_params["charset"] == "utf-8"
    table = pd.read_csv(io.BytesIO(response.data), dtype=str, keep_default_na=False)
    expected = sparql_items(real_store_dir, pattern)
    assert expected, url
    assert set(table["iri"]) == expected and len(table) == len(expected)
    assert table["title"].str.len().min() > 0  # every row named
    as_json = real_client.get(url.replace(".csv", ".json"))
    assert {item["iri"] for item in json.loads(as_json.data)["items"]} == expected


def test_the_issue_examples(real_client, real_store_dir):
    pledges = pd.read_csv(io.BytesIO(real_client.get("/pledges.csv?theme=migration").data), dtype=str)
    assert list(pledges["iri"]) == sorted(sparql_items(real_store_dir, f"?s <{R}theme> <{ID}theme/migration>"))
    assert {"number", "title", "conference", "conference_iri", "pledgers", "pledgers_iri", "themes"} <= set(pledges)
    row = pledges[pledges["iri"] == ID + "pledge/SP320067"].iloc[0]
    assert row["number"] == "SP320067" and row["conference_iri"] == ID + "conference/32"
    assert row["pledgers_iri"].split("; ") == [ID + "organisation/icrc", ID + "organisation/ifrc"]
    assert row["issued"] == "2015-12-09"  # the data's own lexical form, not the page's "9 December 2015"
    resolutions = json.loads(real_client.get("/resolutions.json").data)
    assert resolutions["listing"] == "resolutions" and resolutions["total"] == len(resolutions["items"]) == 48
    order = [(int(r["conference"][0]["iri"].rsplit("/", 1)[1]), int(r["number"][0])) for r in resolutions["items"]]
    assert order == sorted(order)  # by conference, then number
    first = resolutions["items"][0]
    assert set(first) >= {"iri", "title", "conference", "number", "symbol", "source"}


@pytest.mark.parametrize(
    "accept, media_type",
    [
        ("text/csv", "text/csv"),
        ("application/json", "application/json"),
        ("text/html", "text/html"),
        (None, "text/html"),
    ],
)
def test_listings_negotiate_exports_by_accept(real_client, accept, media_type):
    response = real_client.get("/pledges?theme=migration", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200 and response.mimetype == media_type
    assert "Accept" in response.headers["Vary"]


def test_an_export_holds_every_row_whatever_the_page(real_client):
    everything = pd.read_csv(io.BytesIO(real_client.get("/pledges.csv?page=2").data), dtype=str)
    assert len(everything) == len(pd.read_csv(io.BytesIO(real_client.get("/pledges.csv").data), dtype=str)) > 50


def test_exports_keep_the_requested_order(real_client):
    by_title = pd.read_csv(io.BytesIO(real_client.get("/conferences.csv?sort=-number").data), dtype=str)
    assert list(by_title["number"]) == sorted(by_title["number"], key=int, reverse=True)


def test_an_unknown_filter_value_is_said_not_answered_with_silence(real_client):
    response = real_client.get("/pledges.csv?theme=no-such-theme")
    assert response.status_code == 200 and "no-such-theme" in response.headers["Warning"]
    assert len(pd.read_csv(io.BytesIO(response.data))) == 0
    data = json.loads(real_client.get("/pledges.json?theme=no-such-theme").data)
    assert data["unknown"] == [{"facet": "theme", "value": "no-such-theme"}]


@pytest.mark.parametrize("url", ["/pledges.json?theme=%3Cx%3E", "/pledges.csv?sort=colour", "/themes.csv?sort=-x"])
def test_malformed_export_requests_are_400(real_client, url):
    assert real_client.get(url).status_code == 400


def test_search_exports(real_client):
    response = real_client.get("/search.csv?q=migration")
    table = pd.read_csv(io.BytesIO(response.data), dtype=str, keep_default_na=False)
    assert ID + "pledge/SP320067" in set(table["iri"])
    assert {"iri", "label", "kind", "conference", "conference_iri", "field", "matched"} == set(table)
    cited = json.loads(real_client.get("/search.json?q=Res.%203%20of%20the%2031st%20IC").data)
    assert cited["items"][0]["iri"] == ID + "resolution/31/3"
    assert real_client.get("/search?q=migration", headers={"Accept": "text/csv"}).mimetype == "text/csv"


def test_listing_pages_link_their_exports(real_client):
    html = real_client.get("/pledges?theme=migration&sort=title").get_data(as_text=True)
    assert 'href="/pledges.csv?theme=migration&amp;sort=title"' in html
    assert 'href="/pledges.json?theme=migration&amp;sort=title"' in html
    assert '<link rel="alternate" type="text/csv"' in html

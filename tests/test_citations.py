"""Cite this: every resource page and the dataset page give a citation (title, IRI, release and its
date, access date) in BibTeX, RIS and CSL-JSON, read back by the libraries citation tools use."""

import json
import re
from datetime import UTC, date, datetime

import bibtexparser
import pytest
import rispy

from service.pages.citation import Citation, bibtex, csl_json, ris

PLEDGE = "https://w3id.org/rcrc/id/pledge/SP320067"
TITLE = 'Turning commitments into further action to implement Resolution 3 "Migration: Ensuring access'


def download(client, fmt, iri, **headers):
    response = client.get(f"/cite/{fmt}", query_string={"iri": iri}, headers=headers)
    assert response.status_code == 200
    return response


def test_bibtex_parses_and_names_the_record_and_release(real_client, real_store_dir):
    response = download(real_client, "bibtex", PLEDGE)
    assert response.mimetype == "application/x-bibtex"
    assert response.headers["Content-Disposition"] == 'attachment; filename="pledgegraph-pledge-SP320067.bib"'
    (entry,) = bibtexparser.loads(response.get_data(as_text=True)).entries
    release = (real_store_dir / "current").resolve().name
    assert entry["ID"] == "pledgegraph-pledge-SP320067" and entry["ENTRYTYPE"] == "misc"
    assert entry["title"].startswith("{" + TITLE)
    assert entry["url"] == PLEDGE and entry["version"] == release
    assert entry["date"] == f"{release[:4]}-{release[4:6]}-{release[6:8]}" and entry["year"] == release[:4]
    assert entry["urldate"] == datetime.now(UTC).date().isoformat()


def test_ris_parses(real_client):
    response = download(real_client, "ris", PLEDGE)
    assert response.mimetype == "application/x-research-info-systems"
    (record,) = rispy.loads(response.get_data(as_text=True))
    assert record["type_of_reference"] == "DATA" and record["title"].startswith(TITLE)
    assert record["urls"] == [PLEDGE] and record["access_date"] == datetime.now(UTC).strftime("%Y/%m/%d")


def test_csl_json_is_an_array_of_one_dataset_item(real_client):
    response = download(real_client, "csl-json", PLEDGE)
    assert response.mimetype == "application/vnd.citationstyles.csl+json"
    (item,) = json.loads(response.data)
    assert item["type"] == "dataset" and item["URL"] == PLEDGE and item["title"].startswith(TITLE)
    today = datetime.now(UTC).date()
    assert item["accessed"] == {"date-parts": [[today.year, today.month, today.day]]}
    assert len(item["issued"]["date-parts"][0]) == 3


def test_the_title_follows_the_readers_language(real_client):
    (item,) = json.loads(
        download(
            real_client, "csl-json", "https://w3id.org/rcrc/id/national-society/KE", **{"Accept-Language": "fr"}
        ).data
    )
    assert item["title"] == "Croix-Rouge du Kenya" and item["language"] == "fr"


def test_the_dataset_itself_can_be_cited(real_client):
    (item,) = json.loads(download(real_client, "csl-json", "https://w3id.org/rcrc/.well-known/void#dataset").data)
    assert item["title"] == "pledgegraph"
    html = real_client.get("/.well-known/void", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "/cite/bibtex?iri=https" in html and 'id="citation-text"' in html


@pytest.mark.parametrize(
    "path",
    ["/doc/pledge/SP320067", "/doc/resolution/31/3", "/doc/conference/32", "/doc/theme/migration", "/def/Pledge",
     "/def/", "/shapes/", "/shapes/PledgeShape", "/graph/pages/SP320067", "/.well-known/void"],
)
def test_every_page_offers_the_three_downloads_and_copyable_text(real_client, path):
    html = real_client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
    for fmt in ("bibtex", "ris", "csl-json"):
        link = re.search(rf'href="(/cite/{fmt}\?iri=[^"]+)" download', html).group(1)
        assert real_client.get(link.replace("&amp;", "&")).status_code == 200
    assert re.search(r'<p class="citation" id="citation-text">[^<]*https://w3id.org/rcrc/', html)
    assert '<pre id="bibtex"' in html and 'data-copy="citation-text"' in html


@pytest.mark.parametrize(
    "path, status",
    [
        ("/cite/bibtex", 400),
        ("/cite/endnote?iri=" + PLEDGE, 404),
        ("/cite/ris?iri=https://example.org/not-ours", 404),
        ("/cite/ris?iri=https://w3id.org/rcrc/id/pledge/NOSUCH", 404),
        ("/cite/ris?iri=not%20an%20iri", 404),
        ("/cite/ris?iri=https://w3id.org/rcrc/graph/pages/NOSUCH", 404),
    ],
)
def test_bad_citation_requests(real_client, path, status):
    assert real_client.get(path).status_code == status


HOSTILE = "Braces {and} 100% & $5 #1 _x_ ~y^ \\end{document}\nTY  - JOUR"


def test_hostile_titles_stay_inside_their_field():
    cite = Citation(
        HOSTILE, "https://w3id.org/rcrc/id/pledge/X", "20260101T000000000000Z", date(2026, 1, 1), date(2026, 2, 1)
    )
    (entry,) = bibtexparser.loads(bibtex(cite)).entries
    assert entry["url"] == "https://w3id.org/rcrc/id/pledge/X"  # nothing broke out of the title
    assert "\\{and\\}" in entry["title"] and "\\%" in entry["title"] and "\\&" in entry["title"]
    records = rispy.loads(ris(cite))
    assert len(records) == 1 and records[0]["type_of_reference"] == "DATA"  # the newline did not start a record
    assert json.loads(csl_json(cite))[0]["title"] == HOSTILE

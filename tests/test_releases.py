"""Releases as citable, versioned data, end to end: three real builds change a pledge while the
service runs; every release stays addressable, Memento finds the version of a datetime (checked with
the memento_client library from PyPI), a permalink made on the first release answers the same bytes
after the third, and the change set and feed name the pledge."""

import csv
import hashlib
import io
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest
import requests
from memento_client import MementoClient
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, Namespace

from service.stores.embedded import EmbeddedStore
from service.stores.releases import http_date, release_time

from .conftest import ROOT
from .servers import ServiceServer

pytestmark = pytest.mark.slow
PLEDGE = "https://w3id.org/rcrc/id/pledge/SP320112"
SUMMARY = "https://w3id.org/rcrc/def/summary"
ASK_SUMMARY = f"SELECT ?summary WHERE {{ <{PLEDGE}> <{SUMMARY}> ?summary }}"
DESCRIBE = f"CONSTRUCT {{ <{PLEDGE}> ?p ?o }} WHERE {{ <{PLEDGE}> ?p ?o }}"
SUMMARIES = ["", "A summary as the second release has it.", "A summary as the third release has it."]
ATOM = "{http://www.w3.org/2005/Atom}"
DCAT = Namespace("http://www.w3.org/ns/dcat#")  # DCAT 3 terms (rdflib's DCAT has not all of them)


def build(data, store):
    done = subprocess.run([sys.executable, "-m", "service", "--data-dir", data, "--store-dir", store, "build"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    time.sleep(1.1)  # release times have a resolution of a second: keep the three apart
    return EmbeddedStore(store).current_release()


def set_summary(data, text):
    path = data / "pledges.tsv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8")), delimiter="\t"))
    column = rows[0].index("summary")
    for row in rows:
        if len(row) > 2 and row[2] == "SP320112":
            row[column] = text
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """Three releases built from data/ with the pledge's summary changed twice, a service over them,
    and what its permalinks answered while the first release was current."""
    folder = tmp_path_factory.mktemp("history")
    data, store = folder / "data", folder / "store"
    shutil.copytree(ROOT / "data", data)
    SUMMARIES[0] = _summary_in(data)
    releases = [build(data, store)]
    with ServiceServer({"STORE_DIR": str(store)}) as server:
        made = {}
        for name, query in (("table", ASK_SUMMARY), ("graph", DESCRIBE)):
            response = requests.post(server.url("/q"), data={"query": query}, timeout=60)
            assert response.status_code == 201, response.text
            made[name] = (response.json(), _answers(response.json()))
        for text in SUMMARIES[1:]:
            set_summary(data, text)
            releases.append(build(data, store))
        yield server, releases, made


def _summary_in(data):
    rows = list(csv.DictReader(io.StringIO((data / "pledges.tsv").read_text(encoding="utf-8")), delimiter="\t"))
    return next(r["summary"] for r in rows if r["number"] == "SP320112")


def _answers(permalink):
    """{format: (status, bytes, X-Checksum-SHA256)} of every format a permalink is offered in."""
    found = {}
    for name, meta in permalink["formats"].items():
        response = requests.get(meta["url"], timeout=60)
        found[name] = (response.status_code, response.content, response.headers.get("X-Checksum-SHA256"))
    return found


def test_the_release_list_names_the_three_releases(history):
    server, releases, _ = history
    page = requests.get(server.url("/releases/"), headers={"Accept": "text/html"}, timeout=60)
    assert page.status_code == 200
    assert all(f"/releases/{r}/" in page.text for r in releases)
    dcat = Graph().parse(data=requests.get(server.url("/releases/"), timeout=60).text, format="turtle")
    series = URIRef("https://w3id.org/rcrc/releases/")
    assert (series, RDF.type, DCAT.DatasetSeries) in dcat
    members = {str(m) for m in dcat.objects(series, DCAT.seriesMember)}
    assert members == {f"https://w3id.org/rcrc/release/{r}" for r in releases}
    for member in members:
        assert (URIRef(member), RDF.type, DCAT.Dataset) in dcat
        assert (URIRef(member), DCAT.inSeries, series) in dcat
        assert list(dcat.objects(URIRef(member), DCAT.distribution)), "a release names its dumps"


@pytest.mark.parametrize("index", [0, 1, 2])
def test_each_release_endpoint_still_gives_its_answers(history, index):
    server, releases, _ = history
    response = requests.get(server.url(f"/releases/{releases[index]}/sparql"), params={"query": ASK_SUMMARY},
                            headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert response.status_code == 200
    assert [b["summary"]["value"] for b in response.json()["results"]["bindings"]] == [SUMMARIES[index]]


def test_memento_client_finds_the_first_version_between_the_first_two_releases(history):
    server, releases, _ = history
    first, second = release_time(releases[0]), release_time(releases[1])
    between = first + (second - first) / 2
    original = server.url("/doc/pledge/SP320112")
    info = MementoClient(timegate_uri="", check_native_timegate=True).get_memento_info(
        original, between.replace(tzinfo=None))
    closest = info["mementos"]["closest"]
    assert closest["uri"] == [server.url(f"/releases/{releases[0]}/doc/pledge/SP320112")]
    assert closest["datetime"] == first.replace(tzinfo=None)
    assert info["mementos"]["first"]["uri"] == closest["uri"]
    assert info["mementos"]["last"]["uri"] == [server.url(f"/releases/{releases[2]}/doc/pledge/SP320112")]
    memento = requests.get(closest["uri"][0], headers={"Accept": "application/n-triples"}, timeout=60)
    assert memento.headers["Memento-Datetime"] == http_date(first)
    assert SUMMARIES[0] in memento.text and SUMMARIES[1] not in memento.text


def test_the_timegate_answers_as_rfc_7089_says(history):
    server, releases, _ = history
    when = release_time(releases[1]) + timedelta(milliseconds=500)
    response = requests.get(server.url("/doc/pledge/SP320112"), allow_redirects=False, timeout=60,
                            headers={"Accept-Datetime": http_date(when)})
    assert response.status_code == 302
    assert response.headers["Location"] == server.url(f"/releases/{releases[1]}/doc/pledge/SP320112")
    assert "accept-datetime" in response.headers["Vary"].lower()
    assert "Memento-Datetime" not in response.headers
    links = requests.utils.parse_header_links(response.headers["Link"])
    rels = {link["rel"]: link["url"] for link in links}
    assert rels["original timegate"] == server.url("/doc/pledge/SP320112")
    assert rels["timemap"] == server.url("/timemap/link/doc/pledge/SP320112")
    current = requests.get(server.url("/doc/pledge/SP320112"), timeout=60)
    assert "accept-datetime" in current.headers["Vary"].lower() and "Memento-Datetime" not in current.headers
    memento = requests.get(response.headers["Location"], timeout=60)
    rels = {link["rel"] for link in requests.utils.parse_header_links(memento.headers["Link"])}
    assert {"original", "timegate", "timemap", "memento"} <= rels


def test_the_timemap_lists_the_three_mementos(history):
    server, releases, _ = history
    response = requests.get(server.url("/timemap/link/doc/pledge/SP320112"), timeout=60)
    assert response.headers["Content-Type"].startswith("application/link-format")
    links = requests.utils.parse_header_links(response.text.replace("\n", ""))
    mementos = [link for link in links if "memento" in link["rel"].split()]
    assert [m["url"] for m in mementos] == [server.url(f"/releases/{r}/doc/pledge/SP320112") for r in releases]
    assert [m["datetime"] for m in mementos] == [http_date(release_time(r)) for r in releases]
    as_json = requests.get(server.url("/timemap/json/doc/pledge/SP320112"), timeout=60).json()
    assert [m["uri"] for m in as_json["mementos"]["list"]] == [m["url"] for m in mementos]


@pytest.mark.parametrize("form", ["table", "graph"])
def test_a_permalink_made_on_the_first_release_answers_the_same_bytes_after_the_third(history, form):
    server, releases, made = history
    permalink, before = made[form]
    assert permalink["release"] == releases[0]
    after = _answers(permalink)
    assert after == before
    for name, (status, body, checksum) in after.items():
        assert status == 200, name
        assert checksum == hashlib.sha256(body).hexdigest() == permalink["formats"][name]["sha256"], name
    again = requests.post(server.url("/q"), data={"query": permalink["query"], "release": releases[0]}, timeout=60)
    assert again.status_code == 200 and again.json()["id"] == permalink["id"]
    if form == "table":
        assert SUMMARIES[0] in before["csv"][1].decode()


def test_the_change_set_and_the_feed_name_the_pledge(history):
    server, releases, _ = history
    for release in releases[1:]:
        patch = requests.get(server.url(f"/releases/{release}/changes"), timeout=60)
        assert patch.headers["Content-Type"].startswith("application/rdf-patch")
        lines = patch.text.splitlines()
        assert lines[0] == f"H id <https://w3id.org/rcrc/release/{release}> ."
        assert any(line.startswith(f"D <{PLEDGE}> <{SUMMARY}>") for line in lines)
        assert any(line.startswith(f"A <{PLEDGE}> <{SUMMARY}>") for line in lines)
    feed = ElementTree.fromstring(requests.get(server.url("/releases/feed.atom"), timeout=60).content)
    entries = {e.find(f"{ATOM}id").text.rsplit("/", 1)[1]: e for e in feed.findall(f"{ATOM}entry")}
    assert set(entries) == set(releases)
    for release in releases:
        listed = [a.get("href") for a in entries[release].iter("{http://www.w3.org/1999/xhtml}a")]
        assert PLEDGE in listed


def test_the_resource_page_says_in_which_releases_it_changed(history):
    server, releases, _ = history
    page = requests.get(server.url("/doc/pledge/SP320112"), headers={"Accept": "text/html"}, timeout=60).text
    for release in releases:
        assert f'href="{server.url(f"/releases/{release}/doc/pledge/SP320112")}"' in page


def test_an_accept_datetime_before_the_first_release_gets_the_first_memento(history):
    server, releases, _ = history
    early = http_date(datetime(2001, 3, 20, 20, 35, tzinfo=UTC))
    response = requests.head(server.url("/doc/pledge/SP320112"), headers={"Accept-Datetime": early}, timeout=60)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/releases/{releases[0]}/doc/pledge/SP320112")


@pytest.mark.parametrize("index", [0, 2])
def test_named_queries_take_a_release(history, index):
    server, releases, _ = history
    response = requests.get(server.url("/api/queries/pledge-card.nt"), timeout=60,
                            params={"pledge": PLEDGE, "release": releases[index]})
    assert response.status_code == 200
    assert SUMMARIES[index] in response.text and SUMMARIES[2 - index] not in response.text
    cli = subprocess.run([sys.executable, "-m", "service", "--store-dir", server.config["STORE_DIR"], "query",
                          "pledge-card", "-p", f"pledge={PLEDGE}", "--format", "nt", "--release", releases[index]],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert cli.returncode == 0 and SUMMARIES[index] in cli.stdout


@pytest.mark.parametrize("tail", ["", ".csv", "?format=json"])
def test_a_permalink_under_another_release_moves_to_its_own_address(history, tail):
    server, releases, made = history
    permalink = made["table"][0]
    assert permalink["release"] == releases[0]
    own = requests.get(server.url(f"/releases/{releases[0]}/q/{permalink['id']}{tail}"), timeout=60)
    assert own.status_code == 200  # under its own release: the same answer
    other = requests.get(server.url(f"/releases/{releases[-1]}/q/{permalink['id']}{tail}"), timeout=60,
                         allow_redirects=False)  # fmt: skip
    assert other.status_code == 301
    assert other.headers["Location"] == server.url(f"/q/{permalink['id']}{tail}")

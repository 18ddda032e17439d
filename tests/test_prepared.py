"""The page index: built once per release at publication (before the release is current), read by
every process without building anything, pruned with its release, rebuilt once when missing or
damaged (a clear 503 while a damaged file is noticed, never a traceback), built on demand for
kept releases that have none; search input is never read as FTS5 query syntax."""

import json
import subprocess
import sys

import pytest

from service.app import create_app
from service.dataset.prepare import prepare_release
from service.pages import prepared
from service.pages.search import search, suggest
from service.stores.embedded import EmbeddedStore

from .conftest import FIXTURES, ROOT

MINI = FIXTURES / "mini.trig"
OLD, NEW = "20260101T000000000000Z", "20260102T000000000000Z"


def publish(root, names, prepare=prepare_release, **retention):
    store = EmbeddedStore(root, prepare=prepare, **retention)
    for name in names:
        store.publish([MINI], release=name)
    return store


def client(root):
    return create_app({"TESTING": True, "STORE_DIR": str(root)}).test_client()


@pytest.fixture
def published(tmp_path):
    publish(tmp_path, [OLD])
    return tmp_path


def test_publication_writes_the_index_and_dumps_before_the_release_is_current(tmp_path):
    seen = []

    def prepare(release):
        seen.append(EmbeddedStore(tmp_path).current_release())  # what readers see meanwhile
        return prepare_release(release)

    store = publish(tmp_path, [OLD, NEW], prepare=prepare)
    assert seen == [None, OLD]  # prepared while the previous release was still current
    assert store.prepared.keys() == {"page index", "dumps"}
    for name in (OLD, NEW):
        assert prepared.problem(tmp_path / "indexes" / f"{name}.sqlite", name) is None
        assert (tmp_path / "dumps" / name / "manifest.json").exists()


FRESH_PROCESS = """
import sys
from service.app import create_app
from service.pages import prepared
calls = []
prepared.write_index = lambda *a, **k: calls.append(a)  # a build would be counted here
client = create_app({"TESTING": True, "STORE_DIR": sys.argv[1]}).test_client()
codes = [client.get(p).status_code for p in ("/pledges?theme=migration", "/search?q=pledge", "/", "/themes")]
print(codes, len(calls))
"""


def test_a_fresh_process_serves_listings_search_and_home_without_building(published):
    index = published / "indexes" / f"{OLD}.sqlite"
    before = index.stat().st_mtime_ns
    out = subprocess.run([sys.executable, "-c", FRESH_PROCESS, str(published)], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out.split() == ["[200,", "200,", "200,", "200]", "0"]
    assert index.stat().st_mtime_ns == before


def test_cli_build_reports_the_time_the_index_took(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "PLEDGEGRAPH_STORE_DIR": str(tmp_path / "store")}
    result = subprocess.run([sys.executable, "-m", "service", "build"], capture_output=True, text=True, cwd=ROOT,
                            env=env)
    assert result.returncode == 0, result.stderr
    assert "prepared before publication: page index" in result.stderr  # beside the notes; stdout's first
    assert result.stdout.startswith("published release")  # line stays the release
    release = EmbeddedStore(tmp_path / "store").current_release()
    assert prepared.problem(tmp_path / "store" / "indexes" / f"{release}.sqlite", release) is None


def test_pruning_removes_a_release_index(tmp_path):
    publish(tmp_path, [OLD, NEW], keep=1)
    assert not list((tmp_path / "indexes").glob(f"{OLD}*"))
    assert (tmp_path / "indexes" / f"{NEW}.sqlite").exists()


def _cut_short(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _overwritten(path):
    path.write_bytes(b"not a database " * (path.stat().st_size // 15))


@pytest.mark.parametrize("harm", [lambda p: p.unlink(), _cut_short, _overwritten,
                                  lambda p: p.with_name(p.name + ".json").unlink()],
                         ids=["missing", "cut short", "overwritten", "sidecar missing"])
def test_a_missing_or_damaged_index_is_rebuilt_once(published, harm):
    index = published / "indexes" / f"{OLD}.sqlite"
    harm(index)
    prepared._open.clear()  # as a fresh process
    response = client(published).get("/pledges?theme=migration")
    assert response.status_code == 200
    assert prepared.problem(index, OLD) is None


def test_an_index_damaged_while_it_is_read_is_a_clear_503_then_rebuilt(published):
    index = published / "indexes" / f"{OLD}.sqlite"
    prepared._open.clear()
    browser = client(published)
    assert browser.get("/pledges").status_code == 200  # opened, its listings read
    data = bytearray(index.read_bytes())
    data[4096:] = b"\xff" * (len(data) - 4096)  # every page but the first
    index.write_bytes(bytes(data))
    response = browser.get("/search?q=pledge")
    assert response.status_code == 503
    assert b"page index" in response.data and b"Traceback" not in response.data
    assert browser.get("/search?q=pledge").status_code == 200
    assert prepared.problem(index, OLD) is None


def test_a_kept_release_without_an_index_gets_one_on_demand(tmp_path):
    publish(tmp_path, [OLD], prepare=None)  # published before indexes existed
    publish(tmp_path, [NEW])
    assert not (tmp_path / "indexes" / f"{OLD}.sqlite").exists()
    browser = client(tmp_path)
    assert browser.get(f"/releases/{OLD}/pledges").status_code == 200
    assert prepared.problem(tmp_path / "indexes" / f"{OLD}.sqlite", OLD) is None
    assert browser.get(f"/releases/{OLD}/search?q=pledge").status_code == 200


HOSTILE = ['"', '""', "*", "mig*", "NEAR(", "NEAR(a b)", "-", "-migration", "OR", "a OR b", "AND NOT", "migration)",
           "(", "^mig", "title:migration", "{lowered}:x", "'", "%", "_", "\\", "ö", "🙂", "a" * 200, "x " * 100]


@pytest.mark.parametrize("route", ["/search", "/search.json", "/search.csv", "/search/suggest"])
def test_hostile_search_input_gives_results_or_a_clean_400(published, route):
    browser = client(published)
    for text in HOSTILE + ["a" * 201, "a" * 10_000, "mig\x00ration", "\x00", "a\x1bb"]:
        key = "q"
        response = browser.get(route, query_string={key: text})
        assert response.status_code in (200, 400), (route, text[:20], response.status_code)
        assert b"Traceback" not in response.data


def test_words_are_substrings_not_fts_syntax(published):
    store = EmbeddedStore(published)
    assert search(store, "migration").total > 0
    assert search(store, "MIGRAT").total == search(store, "migrat").total > 0  # a prefix, any case
    assert search(store, "igratio").total > 0  # inside a word, as before
    assert search(store, "mi").total >= search(store, "migration").total  # short words: an exact scan
    assert search(store, "migration OR nothing-like-this").total == 0  # OR is a word
    assert search(store, '"migration"').total == 0  # quotes are characters


def test_search_ranks_as_the_scan_did(published):
    """The SQL ranking against a scan over the same literals in Python (the former implementation,
    with the rules since added: an exact name scores as an exact label; the dataset's own first)."""
    store = EmbeddedStore(published)
    rows = prepared.prepared(store).rows("SELECT iri, predicate, kind, text, lang FROM texts")
    for query in ("migration", "red cross", "pledge", "conference", "the", "icrc", "sp320067"):
        terms = query.lower().split()
        best = {}
        for iri, predicate, kind, text, lang in rows:
            lowered = text.lower()
            if not all(t in lowered for t in terms):
                continue
            score = 100 if kind < 2 and lowered == query else (80 if lowered.startswith(query) else 60) if (
                kind == 0) else 50 if kind == 1 else 20
            rank = (score, -len(text), predicate, text, lang)
            if iri not in best or rank > best[iri]:
                best[iri] = rank
        ours = "https://w3id.org/rcrc/id/"
        expected = sorted(best.items(), key=lambda item: (-item[1][0], not item[0].startswith(ours),
                                                          item[1][3].lower(), item[0]))
        found = search(store, query, limit=1000).hits
        assert [(h.iri, h.score, h.matched) for h in found if h.score != 200] == [
            (iri, r[0], r[3]) for iri, r in expected if iri not in {h.iri for h in found if h.score == 200}
        ], query


@pytest.mark.parametrize("query, first", [
    ("SP320067", "https://w3id.org/rcrc/id/pledge/SP320067"),  # its number, before the page citing it
    ("ICRC", "https://w3id.org/rcrc/id/organisation/icrc"),  # its short name, before sources naming it
])
def test_a_resource_named_exactly_comes_first(real_store_dir, query, first):
    store = EmbeddedStore(real_store_dir)
    assert search(store, query).hits[0].iri == first
    assert suggest(store, query)[0][0] == first


def test_sidecar_names_the_format(published):
    sidecar = json.loads((published / "indexes" / f"{OLD}.sqlite.json").read_text())
    assert sidecar["format"] == prepared.FORMAT and sidecar["bytes"] > 0


def test_an_index_that_cannot_be_written_is_a_clear_503(tmp_path):
    publish(tmp_path, [OLD], prepare=None)
    (tmp_path / "indexes").write_text("a file where the folder should be")  # mkdir fails
    prepared._open.clear()
    response = client(tmp_path).get("/pledges")
    assert response.status_code == 503
    assert b"page index" in response.data and b"Traceback" not in response.data

"""Retention: every release is kept by default; KEEP_RELEASES and KEEP_DAYS prune, but never the current
release, a tagged one, or one a query permalink points to. Tags and pruning from the command line."""

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from service.app import create_app
from service.stores.embedded import EmbeddedStore
from service.stores.ledger import Ledger
from service.stores.releases import NAME_FORMAT
from service.stores.retention import expired

from .conftest import FIXTURES, ROOT

NAMES = [f"2026010{n}T000000000000Z" for n in range(1, 8)]
QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def publish(root, names, **retention):
    store = EmbeddedStore(root, **retention)
    for name in names:
        store.publish([FIXTURES / "mini.trig"], release=name)
    return store


def permalink_on(root, release):
    client = create_app({"TESTING": True, "STORE_DIR": str(root)}).test_client()
    response = client.post("/q", data={"query": QUERY, "release": release})
    assert response.status_code == 201, response.data
    return response.get_json()["id"]


def test_every_release_is_kept_by_default(tmp_path):
    store = publish(tmp_path, NAMES)
    assert store.release_names() == NAMES


def test_pruning_by_count_spares_the_current_the_tagged_and_the_cited(tmp_path):
    store = publish(tmp_path, NAMES[:3])
    Ledger(tmp_path).tag("2026-01", NAMES[0])
    cited = permalink_on(tmp_path, NAMES[1])
    store = publish(tmp_path, NAMES[3:], keep=2)
    assert store.release_names() == [NAMES[0], NAMES[1], NAMES[5], NAMES[6]]
    assert not (tmp_path / "dumps" / NAMES[2]).exists()
    client = create_app({"TESTING": True, "STORE_DIR": str(tmp_path)}).test_client()
    assert client.get(f"/q/{cited}.csv").status_code == 200  # the cited release still answers
    assert client.get(f"/releases/{NAMES[2]}/sparql", query_string={"query": QUERY}).status_code == 404


def test_pruning_by_age(tmp_path):
    now = datetime.now(UTC)
    old = [(now - timedelta(days=d)).strftime(NAME_FORMAT) for d in (40, 20, 10)]
    store = publish(tmp_path, old)
    Ledger(tmp_path).tag("kept", old[0])
    assert store.release_names() == old
    assert EmbeddedStore(tmp_path, keep_days=15).prune() == [old[1]]
    assert EmbeddedStore(tmp_path).release_names() == [old[0], old[2]]


@pytest.mark.parametrize("keep, days, gone", [
    (0, 0, []),
    (3, 0, ["20260101T000000000000Z", "20260102T000000000000Z"]),  # the oldest two, but 03 is tagged
    (0, 3.5, ["20260101T000000000000Z", "20260102T000000000000Z"]),
    (6, 4.5, ["20260101T000000000000Z"]),  # within the count, but past the age
])
def test_the_policy_prunes_what_breaks_a_limit(keep, days, gone):
    now = datetime(2026, 1, 6, tzinfo=UTC)
    names = [f"2026010{n}T000000000000Z" for n in range(1, 7)]
    assert expired(names, names[-1], keep, days, {"20260103T000000000000Z"}, now) == gone


def test_a_tag_never_moves_and_is_checked(tmp_path):
    publish(tmp_path, NAMES[:2])
    ledger = Ledger(tmp_path)
    ledger.tag("v1", NAMES[0])
    ledger.tag("v1", NAMES[0])  # the same again: fine
    with pytest.raises(Exception, match="already names"):
        ledger.tag("v1", NAMES[1])
    for bad in ["", "current", "-x", "a b", NAMES[1], "x" * 65, "../x", "v2\n", " v2", "feed.atom", "Feed.Atom"]:
        with pytest.raises(Exception, match="a tag is"):
            ledger.tag(bad, NAMES[1])
    assert ledger.tags() == {"v1": NAMES[0]}


def test_no_tag_takes_the_name_of_a_route_under_releases(tmp_path):
    """Every literal first segment of a /releases/... route (feed.atom) is refused as a tag."""
    publish(tmp_path, NAMES[:1])
    app = create_app({"TESTING": True, "STORE_DIR": str(tmp_path)})
    names = {rule.rule.split("/")[2] for rule in app.url_map.iter_rules() if rule.rule.startswith("/releases/")}
    names = sorted(n for n in names if n and "<" not in n)
    assert names, "the routes under /releases/ have a literal name"
    for name in names:
        with pytest.raises(Exception, match="a tag is"):
            Ledger(tmp_path).tag(name, NAMES[0])
    assert Ledger(tmp_path).tags() == {}


def run_cli(store, *args):
    return subprocess.run([sys.executable, "-m", "service", "--store-dir", store, "release", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_release_commands_tag_list_untag_and_prune(tmp_path):
    publish(tmp_path, NAMES[:3])
    tagged = run_cli(tmp_path, "tag", "2026-12", NAMES[0])
    assert tagged.returncode == 0 and f"release {NAMES[0]} is tagged 2026-12" in tagged.stdout
    listed = run_cli(tmp_path, "list")
    assert listed.returncode == 0
    assert [line.split()[0] for line in listed.stdout.splitlines()] == NAMES[:3]
    assert "tag 2026-12" in listed.stdout and "current" in listed.stdout
    client = create_app({"TESTING": True, "STORE_DIR": str(tmp_path)}).test_client()
    moved = client.get("/releases/2026-12/sparql", query_string={"query": QUERY})
    assert moved.status_code == 302 and moved.headers["Location"].startswith(f"/releases/{NAMES[0]}/sparql?")
    pruned = subprocess.run([sys.executable, "-m", "service", "--store-dir", tmp_path, "release", "prune"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**_environ(), "PLEDGEGRAPH_KEEP_RELEASES": "1"})
    assert pruned.returncode == 0 and f"removed 1 release(s): {NAMES[1]}" in pruned.stdout
    assert EmbeddedStore(tmp_path).release_names() == [NAMES[0], NAMES[2]]
    for args, message in [(("tag", "2026-12", NAMES[2]), "already names"), (("tag", "x"), "takes NAME RELEASE"),
                          (("tag", "x", "nope"), "no release or tag"), (("untag", "nope"), "no tag"),
                          (("tag", "feed.atom", NAMES[2]), "a tag is"), (("tag", "x", NAMES[2] + "\n"), "no release")]:
        refused = run_cli(tmp_path, *args)
        assert refused.returncode == 2 and refused.stderr.startswith("error:") and message in refused.stderr
    assert run_cli(tmp_path, "untag", "2026-12").returncode == 0
    assert EmbeddedStore(tmp_path, keep=1).prune() == [NAMES[0]]


def _environ():
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("PLEDGEGRAPH_")}


# -- change sets after a prune ---------------------------------------------------------------

PLEDGE = "https://w3id.org/rcrc/id/pledge/SP320067"
TITLES = ("Turning commitments into further action to implement Resolution 3", "A title as release B has it")
A, B, C = NAMES[:3]


@pytest.fixture(scope="module")
def pruned(tmp_path_factory):
    """Releases A, B (the pledge's title changed) and C (a theme's label changed); every change set,
    feed and TimeMap asked for while B was kept; then A tagged and B pruned. The same app answers after."""
    root = tmp_path_factory.mktemp("pruned")
    text = (FIXTURES / "mini.trig").read_text(encoding="utf-8")
    versions = [text, text.replace(TITLES[0], TITLES[1])]
    versions.append(versions[1].replace('rdfs:label "Migration"@en', 'rdfs:label "Migration, as C has it"@en'))
    store = EmbeddedStore(root)
    for name, version in zip((A, B, C), versions, strict=True):
        path = root / f"{name}.trig"
        path.write_text(version, encoding="utf-8")
        store.publish([path], release=name)
    client = create_app({"TESTING": True, "STORE_DIR": str(root)}).test_client()
    client.etags = {}  # (path, headers) -> the ETag answered while B was kept
    for path, headers in AFTER_PRUNE:
        response = client.get(path, headers=headers)  # computed and cached while B is kept
        client.etags[path, tuple(headers.items())] = response.headers.get("ETag")
    Ledger(root).tag("first", A)
    assert EmbeddedStore(root, keep=1).prune() == [B]
    return client


def _lines(response):
    return response.get_data(as_text=True).splitlines()


def _timegate(response):
    return response.status_code == 302 and response.headers["Location"].endswith(f"/releases/{C}/doc/pledge/SP320067")


AFTER_PRUNE_CHECKS = [
    (f"/releases/{C}/changes", {}, lambda r: f"H prev <https://w3id.org/rcrc/release/{A}> ." in _lines(r)
     and any(line.startswith(f'D <{PLEDGE}> <http://www.w3.org/2000/01/rdf-schema#label> "{TITLES[0]}"')
             for line in _lines(r))),
    (f"/releases/{C}/changes", {"Accept": "application/json"}, lambda r: r.get_json()["previous"] == A
     and PLEDGE in r.get_json()["resources"]),
    (f"/releases/{C}/changes.json", {},
     lambda r: r.get_json()["previous"] == A and PLEDGE in r.get_json()["resources"]),
    (f"/releases/{C}/changes", {"Accept": "text/html"}, lambda r: PLEDGE in r.get_data(as_text=True)
     and f"/releases/{B}/" not in r.get_data(as_text=True)),
    (f"/releases/{C}/", {"Accept": "application/n-triples"},
     lambda r: f"<http://www.w3.org/ns/dcat#prev> <https://w3id.org/rcrc/release/{A}>" in r.get_data(as_text=True)),
    ("/releases/feed.atom", {}, lambda r: f"since release {A}" in r.get_data(as_text=True)
     and f"since release {B}" not in r.get_data(as_text=True)),
    ("/timemap/json/doc/pledge/SP320067", {},
     lambda r: [m["uri"].rsplit("/releases/", 1)[1][:len(A)] for m in r.get_json()["mementos"]["list"]] == [A, C]),
    ("/timemap/link/doc/pledge/SP320067", {},
     lambda r: f"/releases/{C}/doc/pledge/SP320067" in r.get_data(as_text=True)),
    ("/doc/pledge/SP320067", {"Accept-Datetime": "Fri, 01 Jan 2100 00:00:00 GMT"}, _timegate),
    ("/doc/pledge/SP320067.ttl", {"Accept-Datetime": "Fri, 01 Jan 2100 00:00:00 GMT"},
     lambda r: r.headers["Location"].endswith(f"/releases/{C}/doc/pledge/SP320067.ttl")),
    ("/doc/pledge/SP320067", {"Accept": "text/html"},
     lambda r: f"/releases/{C}/doc/pledge/SP320067" in r.get_data(as_text=True)),
]
AFTER_PRUNE = [(path, headers) for path, headers, _ in AFTER_PRUNE_CHECKS]


@pytest.mark.parametrize("path, headers, check", AFTER_PRUNE_CHECKS, ids=[f"{p} {h}" for p, h, _ in AFTER_PRUNE_CHECKS])
def test_after_a_prune_the_next_release_changes_against_the_previous_kept_one(pruned, path, headers, check):
    response = pruned.get(path, headers=headers)
    assert response.status_code in (200, 302), (response.status_code, response.data[:300])
    assert check(response), response.get_data(as_text=True)[:2000]


@pytest.mark.parametrize("path, headers", [(p, h) for p, h in AFTER_PRUNE if "Accept-Datetime" not in h],
                         ids=[f"{p} {h}" for p, h in AFTER_PRUNE if "Accept-Datetime" not in h])
def test_after_a_prune_a_cache_gets_the_new_answer_not_304(pruned, path, headers):
    before = pruned.etags[path, tuple(headers.items())]
    assert before, "the answer has an ETag"
    response = pruned.get(path, headers={**headers, "If-None-Match": before})
    assert response.status_code == 200 and response.headers["ETag"] != before

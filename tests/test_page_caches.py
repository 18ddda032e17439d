"""What pages keep between requests (labels, listing columns, search contexts, home figures,
versions, retired IRIs, compact names) never outlives its release: a process that served every
page of release A serves release B's facts on its next requests, on every route that keeps any."""

import pytest

from service.app import create_app
from service.dataset.prepare import prepare_release
from service.pages import prepared
from service.stores.embedded import EmbeddedStore

from .conftest import FIXTURES

A, B = "20260101T000000000000Z", "20260102T000000000000Z"
CHANGES = {  # release B: mini.trig with these texts replaced
    '"Turning commitments into further action to implement Resolution 3"@en': '"Commitments renewed in B"@en',
    '"International Committee of the Red Cross"@en': '"ICRC as renamed in B"@en',
    'rdfs:label "Migration"@en ; skos:prefLabel "Migration"@en': 'rdfs:label "Migration renamed in B"@en',
    '"SP320067" ; rcrc:conference id:conference\\/32': '"SP320067" ; rcrc:conference id:conference\\/31',
}
RETIRED = "\ng:data\\/retired { id:pledge\\/OLD1 dcterms:isReplacedBy id:pledge\\/SP320067 . }\n"
# (path, what release B's page says, what only release A's page said)
ROUTES = [
    ("/pledges", "Commitments renewed in B", "Turning commitments"),  # item labels
    ("/pledges", "ICRC as renamed in B", "International Committee of the Red Cross<"),  # column labels
    ("/pledges", '<td class="col-conference"><a href="http://localhost/doc/conference/31"', "conference/32"),  # columns
    ("/pledges?theme=migration", "Migration renamed in B", ">Migration<"),  # facet labels, chips
    ("/search?q=commitments", "Commitments renewed in B", "Turning commitments"),  # search hits
    ("/search?q=renewed", "31st", "32nd"),  # search contexts (the hit's conference)
    ("/", "Migration renamed in B", ">Migration<"),  # home figures
    ("/doc/pledge/SP320067", f"/releases/{B}/doc/pledge/SP320067\"", None),  # versions: B changed it
    ("/doc/pledge/SP320067", "ICRC as renamed in B", "International Committee of the Red Cross<"),
    ("/doc/theme/migration", "Migration renamed in B", None),  # related sections' labels
    ("/resolutions", "Migration: Ensuring access", None),
]


@pytest.fixture(scope="module")
def served_a_then_b(tmp_path_factory):
    root = tmp_path_factory.mktemp("caches")
    store = EmbeddedStore(root, prepare=prepare_release)
    store.publish([FIXTURES / "mini.trig"], release=A)
    client = create_app({"TESTING": True, "STORE_DIR": str(root)}).test_client()
    for path, _, _ in ROUTES + [("/doc/pledge/OLD1", "", "")]:
        client.get(path, headers={"Accept": "text/html"})  # every cache warm with A
    text = (FIXTURES / "mini.trig").read_text()
    for old, new in CHANGES.items():
        assert old in text
        text = text.replace(old, new)
    changed = root.parent / "b.trig"
    changed.write_text(text + RETIRED)
    store.publish([changed], release=B)
    return client


@pytest.mark.parametrize(("path", "now", "before"), ROUTES)
def test_a_new_release_shows_at_once_on_every_route_that_keeps_values(served_a_then_b, path, now, before):
    response = served_a_then_b.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert now in html
    if before:
        assert before not in html


def test_a_retired_iri_of_the_new_release_redirects_at_once(served_a_then_b):
    response = served_a_then_b.get("/doc/pledge/OLD1", headers={"Accept": "text/html"})
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/doc/pledge/SP320067")


def test_values_kept_between_requests_are_bounded_and_fetched_once(tmp_path, monkeypatch):
    store = EmbeddedStore(tmp_path, prepare=prepare_release)
    store.publish([FIXTURES / "mini.trig"], release=A)
    index = prepared.prepared(store)
    monkeypatch.setattr(prepared, "FETCHED", 4)
    asked = []

    def fetch(keys):
        asked.append(list(keys))
        return {k: k.upper() for k in keys if k != "none"}

    assert index.remembered("t", ["a", "b", "none"], fetch, "") == {"a": "A", "b": "B", "none": ""}
    assert index.remembered("t", ["a", "none", "c"], fetch, "") == {"a": "A", "none": "", "c": "C"}
    assert asked == [["a", "b", "none"], ["c"]]  # each key read from the store once
    for keys in (["d", "e"], list("fghijk")):  # full: emptied, then refilled; an export is not kept
        index.remembered("t", keys, fetch, "")
        assert len(index._remembered["t"]) <= 4
    assert index.remembered("t", list("fgh"), fetch, "") == {"f": "F", "g": "G", "h": "H"}

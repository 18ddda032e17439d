"""Reconciliation details, each a whole kind: blank property values, cursor paging on the three
suggest services, everyday short names of National Societies, weak type guesses for untyped
queries. Over the reference store, the real build, and the remote stores."""

import json

import pytest

from service.reconcile.matcher import Query, Reconciler, check_types
from service.stores.embedded import EmbeddedStore
from service.stores.remote import RemoteStore
from tests.stores import STORE_KINDS, store_servers  # noqa: F401 -- a fixture
from tests.test_reconcile import FIXTURE, client, post_queries, rec_store_dir  # noqa: F401 -- fixtures

ID = "https://w3id.org/rcrc/id/"
COUNTRY = "https://w3id.org/rcrc/def/country"
KENYA = ID + "national-society/KE"


@pytest.mark.parametrize(
    "properties",
    [
        [{"pid": COUNTRY, "v": ""}],  # the example: an empty cell in the country column
        [{"pid": COUNTRY, "v": "   "}],
        [{"pid": COUNTRY, "v": None}],
        [{"pid": COUNTRY, "v": []}],
        [{"pid": COUNTRY, "v": ["", " "]}],
        [{"pid": COUNTRY, "v": {"id": ""}}],
        [{"p": "rcrc:country", "v": ""}],
        [{"pid": COUNTRY, "v": ""}, {"pid": "rcrc:fdrsCode", "v": ""}],
        [{"pid": COUNTRY, "v": ["", "KE"]}],  # a blank beside a real value: only the real one counts
        [{"pid": COUNTRY, "v": "KE"}],
        [{"pid": COUNTRY, "v": {"id": ID + "country/KE"}}],
    ],
)
def test_blank_property_values_never_lower_a_score(client, properties):  # noqa: F811
    query = {"query": "Kenya Red Cross Society", "type": "NationalSociety", "properties": properties}
    result = post_queries(client, {"q": query}).get_json()["q"]["result"]
    assert (result[0]["id"], result[0]["score"], result[0]["match"]) == (KENYA, 100, True)


def test_a_wrong_value_still_lowers_the_score(client):  # noqa: F811
    query = {"query": "Kenya Red Cross Society", "properties": [{"pid": COUNTRY, "v": "NO"}]}
    assert post_queries(client, {"q": query}).get_json()["q"]["result"][0]["score"] < 100


SUGGEST = [
    ("/reconcile/suggest/entity", {"prefix": "red"}),
    ("/reconcile/suggest/entity", {"prefix": "croix", "type": "NationalSociety"}),
    ("/reconcile/suggest/type", {"prefix": ""}),
    ("/reconcile/suggest/property", {"prefix": ""}),
    ("/reconcile/suggest/property", {"prefix": "", "type": "Pledge"}),
]


@pytest.mark.parametrize("path, params", SUGGEST, ids=[f"{p} {q}" for p, q in SUGGEST])
def test_cursor_pages_through_every_suggest_service(client, path, params):  # noqa: F811
    everything = client.get(path, query_string={**params, "limit": 50}).get_json()["result"]
    assert len(everything) >= 3
    pages = []
    for cursor in range(0, len(everything), 2):
        page = client.get(path, query_string={**params, "limit": 2, "cursor": cursor}).get_json()["result"]
        assert page, cursor
        pages += page
    assert [r["id"] for r in pages][: len(everything)] == [r["id"] for r in everything]
    assert client.get(path, query_string={**params, "cursor": 10_000}).get_json()["result"] == []
    for bad in ("-1", "x", "1.5", "10001"):
        response = client.get(path, query_string={**params, "cursor": bad})
        assert response.status_code == 400 and "cursor" in response.get_data(as_text=True)


# (everyday name, the Society it names, its name in the data)
SHORT_NAMES = [
    ("Iranian Red Crescent", "IR"),  # Red Crescent Society of the Islamic Republic of Iran
    ("Iranian Red Crescent Society", "IR"),
    ("Iran Red Crescent", "IR"),
    ("iranian red crescent", "IR"),
    ("Kenyan Red Cross", "KE"),  # Kenya Red Cross Society
    ("Chadian Red Cross", "TD"),  # Red Cross of Chad
    ("Beninese Red Cross", "BJ"),  # Red Cross of Benin
    ("Azerbaijani Red Crescent", "AZ"),  # Red Crescent Society of Azerbaijan
    ("Guinean Red Cross", "GN"),  # Red Cross Society of Guinea
    ("Cape Verdean Red Cross", "CV"),  # Red Cross of Cape Verde
    ("Niger Red Cross", "NE"),  # Red Cross Society of Niger
    # real names keep their owners: derived forms never take them over
    ("Nigerian Red Cross", "NG"),  # not Niger
    ("Dominican Red Cross", "DO"),  # not Dominica
    ("Iraqi Red Crescent", "IQ"),  # not Iran
    ("Sudanese Red Crescent", "SD"),
]


def reconcile_over(store, text, type_name=None):
    return Reconciler(store).reconcile(Query(text, check_types(type_name) if type_name else (), 3))


@pytest.mark.parametrize("text, code", SHORT_NAMES, ids=[s[0] for s in SHORT_NAMES])
def test_everyday_short_names_find_their_national_society(rec_store_dir, text, code):  # noqa: F811
    store = EmbeddedStore(rec_store_dir)
    for type_name in (None, "NationalSociety"):
        best = reconcile_over(store, text, type_name)[0]
        assert (best["id"], best["match"]) == (ID + "national-society/" + code, True), (text, best)


@pytest.mark.parametrize("text", ["Korean Red Cross", "Congo Red Cross"])
def test_a_short_name_two_societies_could_have_matches_neither(rec_store_dir, text):  # noqa: F811
    candidates = reconcile_over(EmbeddedStore(rec_store_dir), text)
    assert not any(c["match"] for c in candidates), candidates[:2]


UNTYPED = [
    # (an organisation's name, untyped as OpenRefine's type guessing sends it)
    "International Committee of the Red Cross",
    "International Committee of Red Cross",
    "International Federation of Red Cross and Red Crescent Societies",
    "IFRC",
    "NATO",
    "Magen David Adom",
    "Magen David Adom en Israël",
    "United Kingdom",
    "Australia",
    "Partners for Resilience",
    "Kenya Red Cross Society",
]


@pytest.mark.parametrize("text", UNTYPED)
def test_type_guessing_proposes_only_the_kind_of_thing_named(real_client, text):
    queries = {"q": {"query": text, "limit": 10}}
    result = real_client.post("/reconcile", data={"queries": json.dumps(queries)}).get_json()["q"]["result"]
    guessed = {t["name"] for candidate in result for t in candidate["type"]}
    assert result and "Organisation" in guessed
    assert not guessed & {"Conference", "Pledge", "Resolution", "Theme"}, result


def test_close_candidates_of_another_kind_are_kept(real_client):
    queries = {"q": {"query": "Migration", "limit": 10}}
    result = real_client.post("/reconcile", data={"queries": json.dumps(queries)}).get_json()["q"]["result"]
    kinds = {t["name"] for c in result for t in c["type"]}
    assert {"Theme", "Resolution"} <= kinds  # the theme (100) and the resolution "Migration: ..." (95)
    assert "Pledge" not in kinds


KINDS = [k if k == "embedded" else pytest.param(k, marks=pytest.mark.slow) for k in STORE_KINDS]


@pytest.mark.parametrize("kind", KINDS)
def test_short_names_and_blank_values_over_every_store_kind(kind, store_servers, tmp_path):  # noqa: F811
    store = EmbeddedStore(tmp_path / "store") if kind == "embedded" else RemoteStore.from_config(
        store_servers(kind).config()
    )
    store.publish([FIXTURE])
    try:
        for text, code in SHORT_NAMES:
            best = reconcile_over(store, text)[0]
            assert (best["id"], best["match"]) == (ID + "national-society/" + code, True), (kind, text)
    finally:
        store.close()

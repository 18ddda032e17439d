"""The reconciliation service: matching core and the W3C Reconciliation API, over a real store.

The store holds tests/fixtures/reconcile/reference.trig (written from the reference tables by
make_fixture.py beside it); the accuracy test on the real build is test_reconcile_accuracy.py.
"""

import json
import re
from pathlib import Path

import pytest

from service.app import create_app
from service.reconcile.extend import outgoing, parse_constraints, property_scorer
from service.reconcile.keys import normalise, parse_conference, parse_resolution
from service.reconcile.matcher import Query, Reconciler, check_types
from service.stores.embedded import EmbeddedStore
from service.stores.remote import RemoteStore
from tests.stores import STORE_KINDS, store_servers  # noqa: F401 -- a fixture

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "reconcile" / "reference.trig"
ID = "https://w3id.org/rcrc/id/"
DEF = "https://w3id.org/rcrc/def/"


@pytest.fixture(scope="session")
def rec_store_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("reconcile-store")
    EmbeddedStore(root).publish([FIXTURE])
    return root


@pytest.fixture
def client(rec_store_dir):
    return create_app({"TESTING": True, "STORE_DIR": str(rec_store_dir)}).test_client()


@pytest.fixture(scope="session")
def reconciler(rec_store_dir):
    return Reconciler(EmbeddedStore(rec_store_dir))


def top(reconciler, text, type_name=None, limit=5):
    return reconciler.reconcile(Query(text, check_types(type_name) if type_name else (), limit))


def post_queries(client, queries, **kw):
    return client.post("/reconcile", data={"queries": json.dumps(queries)}, **kw)


# -- the matching core ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Res. 3 of the 31st IC", (31, 3, None)),
        ("Resolution 3 of the 31st International Conference", (31, 3, None)),
        ("32IC/15/R2", (32, 2, "15")),
        ("31IC Res. 3", (31, 3, None)),
        ("32nd IC Res. 10", (32, 10, None)),
        ("résolution 3 de la 31e Conférence internationale", (31, 3, None)),
        ("Kenya Red Cross", None),
        ("32nd International Conference", None),
    ],
)
def test_parse_resolution(text, expected):
    assert parse_resolution(text) == expected


@pytest.mark.parametrize(
    "text, expected", [("32nd International Conference", 32), ("31st IC", 31), ("Res. 3 of the 31st IC", None)]
)
def test_parse_conference(text, expected):
    assert parse_conference(text) == expected


def test_normalise_drops_accents_case_punctuation_and_articles():
    assert normalise("Comité international de la Croix-Rouge") == "comite international croix rouge"
    assert normalise("The  International Committee of the Red-Cross") == "international committee red cross"
    assert normalise("Kenya Red Cross Society", drop_weak=True) == "kenya red cross"


@pytest.mark.parametrize(
    "text, type_name, expected",
    [
        ("International Committee of Red Cross", None, "organisation/icrc"),
        ("ICRC", None, "organisation/icrc"),
        ("Comité international de la Croix-Rouge", None, "organisation/icrc"),
        ("comite international de la croix rouge", None, "organisation/icrc"),
        ("Kenya Red Cross", None, "national-society/KE"),
        ("Croix-Rouge du Kenya", None, "national-society/KE"),
        ("Res. 3 of the 31st IC", None, "resolution/31/3"),
        ("32IC/15/R2", None, "resolution/32/2"),
        ("KE", "NationalSociety", "national-society/KE"),
        ("KEN", "NationalSociety", "national-society/KE"),
        ("NS - Bulgaria", None, "national-society/BG"),
        ("SP320067", None, "pledge/SP320067"),
        ("Migration", "Theme", "theme/migration"),
        ("32nd International Conference", None, "conference/32"),
        ("Internatonal Comittee of the Red Cross", None, "organisation/icrc"),  # typos
    ],
)
def test_named_variants_match(reconciler, text, type_name, expected):
    best = top(reconciler, text, type_name)[0]
    assert best["id"] == ID + expected
    assert best["match"] is True
    assert 0 <= best["score"] <= 100


def test_ambiguous_name_is_never_a_match(reconciler):
    candidates = top(reconciler, "Red Cross")
    assert len(candidates) == 5
    assert not any(c["match"] for c in candidates)


def test_type_constraint_filters_candidates(reconciler):
    for candidate in top(reconciler, "Australia", "NationalSociety"):
        assert DEF + "NationalSociety" in [t["id"] for t in candidate["type"]]
    assert top(reconciler, "KE", "Resolution") == []


def test_parent_type_covers_subclasses(reconciler):
    assert top(reconciler, "Kenya Red Cross", "Organisation")[0]["id"] == ID + "national-society/KE"


def test_nonsense_gives_no_match(reconciler):
    assert not any(c["match"] for c in top(reconciler, "zzzz qqqq xxxx"))
    assert top(reconciler, "") == []


def test_unknown_type_names_the_type():
    with pytest.raises(Exception, match="Foo"):
        check_types("Foo")


def test_index_follows_a_new_release(tmp_path):
    store = EmbeddedStore(tmp_path)
    store.publish([FIXTURE])
    rec = Reconciler(store)
    assert not any(c["match"] for c in rec.reconcile(Query("Zeta Relief Alliance")))
    extra = tmp_path / "extra.trig"
    extra.write_text(
        f"<{ID}organisation/zeta> a <{DEF}Observer> ;"
        ' <http://www.w3.org/2000/01/rdf-schema#label> "Zeta Relief Alliance"@en .'
    )
    store.publish([FIXTURE, extra])
    assert rec.reconcile(Query("Zeta Relief Alliance"))[0]["id"] == ID + "organisation/zeta"


# -- the web API ------------------------------------------------------------------------------


def test_manifest(client):
    response = client.get("/reconcile")
    assert response.status_code == 200
    manifest = response.get_json()
    assert "0.2" in manifest["versions"]
    assert manifest["identifierSpace"] == ID and manifest["schemaSpace"] == DEF
    assert {t["id"] for t in manifest["defaultTypes"]} >= {DEF + "NationalSociety", DEF + "Resolution", DEF + "Pledge"}
    assert "{{id}}" in manifest["preview"]["url"]
    assert set(manifest["suggest"]) == {"entity", "type", "property"}
    assert manifest["extend"]["propose_properties"]["service_path"] == "/properties"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_batch_by_form_query_string_and_json_body(client):
    queries = {"q0": {"query": "ICRC"}, "q1": {"query": "KE", "type": DEF + "NationalSociety", "limit": 2}}
    for response in (
        post_queries(client, queries),
        client.get("/reconcile", query_string={"queries": json.dumps(queries)}),
        client.post("/reconcile", json={"queries": queries}),
    ):
        assert response.status_code == 200
        body = response.get_json()
        assert body["q0"]["result"][0]["id"] == ID + "organisation/icrc"
        assert body["q1"]["result"][0]["id"] == ID + "national-society/KE"
        assert len(body["q1"]["result"]) <= 2
        candidate = body["q0"]["result"][0]
        assert set(candidate) >= {"id", "name", "score", "match", "type"}


def test_property_constraint_picks_the_candidate(client):
    queries = {
        "byvalue": {
            "query": "Red Cross",
            "type": "NationalSociety",
            "properties": [{"pid": "rcrc:country", "v": "KE"}],
        },
        "byid": {"query": "Croix-Rouge", "properties": [{"pid": DEF + "country", "v": {"id": ID + "country/FR"}}]},
        "bylabel": {"query": "Red Cross", "properties": [{"pid": "country", "v": "Kenya"}]},
    }
    body = post_queries(client, queries).get_json()
    assert body["byvalue"]["result"][0]["id"] == ID + "national-society/KE"
    assert body["byvalue"]["result"][0]["match"] is True
    assert body["byid"]["result"][0]["id"] == ID + "national-society/FR"
    assert body["bylabel"]["result"][0]["id"] == ID + "national-society/KE"


def test_a_failing_property_constraint_lowers_the_score(client):
    plain = post_queries(client, {"q": {"query": "Kenya Red Cross"}}).get_json()["q"]["result"][0]
    wrong = post_queries(
        client, {"q": {"query": "Kenya Red Cross", "properties": [{"pid": "rcrc:country", "v": "FR"}]}}
    ).get_json()["q"]["result"][0]
    assert wrong["score"] < plain["score"]


@pytest.mark.parametrize(
    "payload",
    [
        "{",
        "[1, 2]",
        '"just a string"',
        json.dumps({"q": 5}),
        json.dumps({"q": {"query": 5}}),
        json.dumps({"q": {"query": "x" * 501}}),
        json.dumps({"q": {"query": "x", "type": "Foo"}}),
        json.dumps({"q": {"query": "x", "type": 7}}),
        json.dumps({"q": {"query": "x", "limit": "5"}}),
        json.dumps({"q": {"query": "x", "properties": "country"}}),
        json.dumps({"q": {"query": "x", "properties": [{"pid": "nope:x y", "v": "KE"}]}}),
        json.dumps({"q": {"query": "x", "properties": [{"pid": "rcrc:country"}]}}),
        json.dumps({f"q{i}": {"query": "x"} for i in range(101)}),
    ],
)
def test_malformed_batches_are_400(client, payload):
    response = client.post("/reconcile", data={"queries": payload})
    assert response.status_code == 400
    assert response.data  # a readable reason


@pytest.mark.parametrize(
    "text",
    [
        '"} DROP ALL ; {',
        "> <http://evil/> .",
        "x\n} ; DROP ALL #",
        "'; DELETE WHERE { ?s ?p ?o } ; '",
        "\x00\x01\ufeff",
        "%%%%%%",
        "SERVICE <http://127.0.0.1/> { }",
    ],
)
def test_hostile_query_text_is_only_text(client, text):
    response = post_queries(client, {"q": {"query": text, "properties": [{"pid": "rcrc:country", "v": text}]}})
    assert response.status_code == 200
    assert not any(c["match"] for c in response.get_json()["q"]["result"])
    again = post_queries(client, {"q": {"query": "ICRC"}}).get_json()
    assert again["q"]["result"][0]["id"] == ID + "organisation/icrc"  # nothing changed


def test_too_large_request_is_413(client):
    response = client.post("/reconcile", data={"queries": json.dumps({"q": {"query": "x" * 200_000}})})
    assert response.status_code == 413


def test_suggest_entity_type_property(client):
    entities = client.get("/reconcile/suggest/entity", query_string={"prefix": "kenya"}).get_json()["result"]
    assert entities[0]["id"] == ID + "national-society/KE" and entities[0]["name"]
    typed = client.get("/reconcile/suggest/entity", query_string={"prefix": "Aus", "type": "Government"})
    assert all("government/" in e["id"] for e in typed.get_json()["result"])
    types = client.get("/reconcile/suggest/type", query_string={"prefix": "nation"}).get_json()["result"]
    assert types == [{"id": DEF + "NationalSociety", "name": "National Society"}]
    props = client.get("/reconcile/suggest/property", query_string={"prefix": "coun"}).get_json()["result"]
    assert DEF + "country" in [p["id"] for p in props]
    assert client.get("/reconcile/suggest/entity").get_json() == {"result": []}
    assert client.get("/reconcile/suggest/entity", query_string={"prefix": "x", "limit": "many"}).status_code == 400


def test_propose_properties_and_extend(client):
    proposed = client.get("/reconcile/properties", query_string={"type": "NationalSociety"}).get_json()
    assert DEF + "country" in [p["id"] for p in proposed["properties"]]
    extend = {
        "ids": [ID + "national-society/KE", ID + "no/such/thing", "not an iri <>"],
        "properties": [{"id": "rcrc:country"}, {"id": DEF + "fdrsCode"}],
    }
    body = client.post("/reconcile", data={"extend": json.dumps(extend)}).get_json()
    assert [m["id"] for m in body["meta"]] == ["rcrc:country", DEF + "fdrsCode"]
    kenya = body["rows"][ID + "national-society/KE"]
    assert kenya["rcrc:country"] == [{"id": ID + "country/KE", "name": "Kenya"}]
    assert kenya[DEF + "fdrsCode"] == [{"str": "DKE001"}]
    assert body["rows"][ID + "no/such/thing"] == {"rcrc:country": [], DEF + "fdrsCode": []}


@pytest.mark.parametrize("unknown", ["bad prefix:x", "nope:country", DEF + "noSuchProperty", "rcrc:no such"])
def test_an_unknown_property_gets_no_values_and_the_others_still_answer(client, unknown):
    extend = {"ids": [ID + "national-society/KE"], "properties": [{"id": unknown}, {"id": "rcrc:country"}]}
    response = client.post("/reconcile", data={"extend": json.dumps(extend)})
    assert response.status_code == 200
    kenya = response.get_json()["rows"][ID + "national-society/KE"]
    assert kenya[unknown] == [] and kenya["rcrc:country"] == [{"id": ID + "country/KE", "name": "Kenya"}]


@pytest.mark.parametrize("limit, status, count", [(0, 200, 0), (1, 200, 1), (-1, 400, None)])
def test_a_query_limit_is_the_most_candidates(client, limit, status, count):
    queries = {"q": {"query": "Red Cross", "limit": limit}}
    response = client.post("/reconcile", data={"queries": json.dumps(queries)})
    assert response.status_code == status
    if count is not None:
        assert len(response.get_json()["q"]["result"]) == count


@pytest.mark.parametrize(
    "extend",
    [
        "{",
        json.dumps([]),
        json.dumps({"ids": "x", "properties": []}),
        json.dumps({"ids": [], "properties": [{"name": "x"}]}),
        json.dumps({"ids": [1], "properties": []}),
        json.dumps({"ids": ["x"] * 201, "properties": []}),
        json.dumps({"ids": [], "properties": [{"id": " "}]}),
        json.dumps({"ids": [], "properties": [{"id": "x" * 301}]}),
    ],
)
def test_malformed_extend_is_400(client, extend):
    assert client.post("/reconcile", data={"extend": extend}).status_code == 400


def test_preview_and_flyout(client):
    response = client.get("/reconcile/preview", query_string={"id": ID + "national-society/KE"})
    assert response.status_code == 200 and b"Kenya Red Cross Society" in response.data
    flyout = client.get("/reconcile/flyout/entity", query_string={"id": ID + "organisation/icrc"}).get_json()
    assert flyout["id"] == ID + "organisation/icrc" and "International Committee" in flyout["html"]


@pytest.mark.parametrize("iri", ["", ID + "nothing", '"><script>alert(1)</script>', "x" * 600])
def test_preview_of_unknown_ids(client, iri):
    response = client.get("/reconcile/preview", query_string={"id": iri})
    assert response.status_code in (400, 404)
    assert b"<script>" not in response.data


def test_try_page(client):
    response = client.get("/reconcile/try", query_string={"query": "<b>ICRC</b>"})
    assert response.status_code == 200
    assert b"<b>ICRC</b>" not in response.data  # escaped
    response = client.get("/reconcile/try", query_string={"query": "ICRC"})
    assert b"International Committee of the Red Cross" in response.data


VALUE_KEYS = ({"id", "name"}, {"str"}, {"int"}, {"float"}, {"date"})
DATE_TIME = re.compile(r"^-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$")


def test_extension_values_have_the_api_shapes_on_the_real_data(real_client):
    ids = [ID + "conference/32", ID + "pledge/SP320067", ID + "national-society/KE"]
    props = ["rcrc:startDate", "rcrc:ordinal", "rcrc:year", "dcterms:issued", "rcrc:pledgedBy", "rdfs:label"]
    extend = {"ids": ids, "properties": [{"id": p} for p in props]}
    body = real_client.post("/reconcile", data={"extend": json.dumps(extend)}).get_json()
    values = [v for row in body["rows"].values() for vs in row.values() for v in vs]
    assert values and all(set(v) in VALUE_KEYS for v in values)
    assert all(DATE_TIME.match(v["date"]) for v in values if "date" in v)
    assert {"int": 32} in body["rows"][ID + "conference/32"]["rcrc:ordinal"]
    pledgers = body["rows"][ID + "pledge/SP320067"]["rcrc:pledgedBy"]
    assert {p["id"] for p in pledgers} == {ID + "organisation/icrc", ID + "organisation/ifrc"}


def test_manifest_and_candidates_have_the_api_shapes(client):
    manifest = client.get("/reconcile").get_json()
    assert {"versions", "name", "identifierSpace", "schemaSpace"} <= set(manifest)
    assert set(manifest["preview"]) == {"url", "width", "height"}
    assert "${id}" in manifest["suggest"]["entity"]["flyout_service_path"]
    result = post_queries(client, {"q": {"query": "Kenya Red Cross"}}).get_json()["q"]["result"]
    for candidate in result:
        assert isinstance(candidate["score"], (int, float)) and isinstance(candidate["match"], bool)
        assert all({"id", "name"} == set(t) for t in candidate["type"])
        assert all(isinstance(f["value"], (int, float, bool)) for f in candidate["features"])


# -- the same over remote stores ---------------------------------------------------------------

KINDS = [k if k == "embedded" else pytest.param(k, marks=pytest.mark.slow) for k in STORE_KINDS]


@pytest.mark.parametrize("kind", KINDS)
def test_reconciliation_over_every_store_kind(kind, store_servers, tmp_path):  # noqa: F811
    if kind == "embedded":
        store = EmbeddedStore(tmp_path / "store")
    else:
        store = RemoteStore.from_config(store_servers(kind).config())
    store.publish([FIXTURE])
    try:
        rec = Reconciler(store)
        for text, type_name, expected in [
            ("International Committee of Red Cross", None, "organisation/icrc"),
            ("Croix-Rouge du Kenya", None, "national-society/KE"),
            ("32IC/15/R2", None, "resolution/32/2"),
            ("KE", "NationalSociety", "national-society/KE"),
        ]:
            best = top(rec, text, type_name)[0]
            assert (best["id"], best["match"]) == (ID + expected, True), text
        scorer = property_scorer(store)
        query = Query(
            "Red Cross", check_types("NationalSociety"), 3, parse_constraints([{"pid": "country", "v": "KE"}])
        )
        assert rec.reconcile(query, scorer)[0]["id"] == ID + "national-society/KE"
        values = outgoing(store, ID + "national-society/KE", ["en"])
        assert {"str": "DKE001"} in values[DEF + "fdrsCode"]
    finally:
        store.close()

"""Character encodings: text that is not UTF-8 is refused with a 400 naming where it is (or decoded
in the charset a form declares), never answered with a silently replaced character. Every route
that takes text, through werkzeug's client and a real gunicorn."""

import json
from urllib.parse import quote

import pytest
import requests

from .servers import ServiceServer
from .test_iri_mapping import client, odd_files, odd_store  # noqa: F401 -- a store holding an IRI with %E9

FORM = "application/x-www-form-urlencoded"
LATIN1_QUERY = quote('SELECT ("café" AS ?x) {}', encoding="latin-1").encode()
UTF8_QUERY = quote('SELECT ("café" AS ?x) {}').encode()
ICRC_FRENCH = json.dumps({"q0": "Comité international"}, ensure_ascii=False)
RECONCILE_FORM = b"queries=" + quote(ICRC_FRENCH, encoding="latin-1").encode()
MULTIPART = (
    b'--XX\r\nContent-Disposition: form-data; name="queries"\r\n\r\n{"q0": "K\xe9nya"}\r\n--XX--\r\n'
)

# (method, path, body, content type, status, what the answer must say)
ROWS = [
    ("GET", "/search?q=caf%E9", None, None, 400, "'q' is not valid UTF-8"),
    ("GET", "/search/suggest?q=K%E9", None, None, 400, "'q' is not valid UTF-8"),
    ("GET", "/pledges?theme=caf%E9", None, None, 400, "'theme' is not valid UTF-8"),
    ("GET", "/organisations?country=%FF", None, None, 400, "'country' is not valid UTF-8"),
    ("GET", "/sparql?query=ASK%7B%7D%E9", None, None, 400, "'query' is not valid UTF-8"),
    ("GET", "/api/queries/pledges-on-theme?theme=%E9", None, None, 400, "'theme' is not valid UTF-8"),
    ("GET", "/reconcile?queries=%7B%22q0%22%3A%22K%E9nya%22%7D", None, None, 400, "'queries' is not valid UTF-8"),
    ("GET", "/reconcile/suggest/entity?prefix=K%E9", None, None, 400, "'prefix' is not valid UTF-8"),
    ("GET", "/reconcile/try?query=K%E9nya", None, None, 400, "'query' is not valid UTF-8"),
    ("GET", "/search?q%E9=x", None, None, 400, "not valid UTF-8"),
    ("GET", "/doc/theme/caf%E9", None, None, 400, "the path is not valid UTF-8"),
    ("GET", "/id/theme/caf%E9", None, None, 400, "the path is not valid UTF-8"),
    ("GET", "/api/queries/x%E9", None, None, 400, "the path is not valid UTF-8"),
    ("GET", "/reconcile/preview%E9", None, None, 400, "the path is not valid UTF-8"),
    ("POST", "/sparql", b"query=" + LATIN1_QUERY, FORM, 400, "'query' is not valid UTF-8"),
    ("POST", "/sparql", b"query=" + LATIN1_QUERY, FORM + "; charset=ISO-8859-1", 200, "café"),  # declared: honoured
    ("POST", "/sparql", b"query=" + UTF8_QUERY, FORM + "; charset=UTF-8", 200, "café"),
    ("POST", "/sparql", b"query=" + UTF8_QUERY, FORM, 200, "café"),
    ("POST", "/sparql", b"query=ASK%7B%7D", FORM + "; charset=x-klingon", 415, "charset"),
    ("POST", "/sparql", b"query=" + 'SELECT ("caf\xe9" AS ?x) {}'.encode("latin-1"), FORM, 400, "not valid"),
    ("POST", "/sparql", 'SELECT ("caf\xe9" AS ?x) {}'.encode("latin-1"), "application/sparql-query", 400, "UTF-8"),
    ("POST", "/reconcile", RECONCILE_FORM, FORM, 400, "'queries' is not valid UTF-8"),
    ("POST", "/reconcile", RECONCILE_FORM, FORM + "; charset=latin-1", 200, "International Committee of the Red Cross"),
    ("POST", "/reconcile", MULTIPART, "multipart/form-data; boundary=XX", 400, "'queries' is not valid UTF-8"),
    ("POST", "/reconcile", b'{"queries": {"q0": "K\xe9nya"}}', "application/json", 400, "not valid JSON in UTF-8"),
    # the same texts in UTF-8 work, and an IRI stored with %E9 is found as sent
    ("GET", "/search?q=caf%C3%A9", None, None, 200, "iri,label"),  # Accept asks for CSV: the export
    ("GET", "/doc/theme/latin%E9", None, None, 200, "latin%E9"),
    ("GET", "/id/theme/latin%E9", None, None, 303, ""),
]


@pytest.fixture(scope="module")
def gunicorn(odd_store):  # noqa: F811
    with ServiceServer({"STORE_DIR": str(odd_store)}, threads=4) as server:
        yield server


@pytest.mark.parametrize("client_kind", ["werkzeug", "gunicorn"])
@pytest.mark.parametrize(
    "method, path, body, content_type, status, says", ROWS, ids=[f"{r[0]} {r[1]} {r[3]}" for r in ROWS]
)
def test_text_that_is_not_utf8_is_refused_or_decoded_as_declared(
    client, gunicorn, client_kind, method, path, body, content_type, status, says  # noqa: F811
):
    headers = {"Accept": "text/csv, text/plain;q=0.9, */*;q=0.1"}
    if content_type:
        headers["Content-Type"] = content_type
    if client_kind == "werkzeug":
        response = client.open(path, method=method, data=body, headers=headers)
        code, text = response.status_code, response.get_data(as_text=True)
    else:
        response = requests.request(method, gunicorn.url(path), data=body, headers=headers, timeout=30,
                                    allow_redirects=False)
        code, text = response.status_code, response.text
    assert code == status, text[:300]
    assert says in text
    assert "\ufffd" not in text

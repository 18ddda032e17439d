"""Content negotiation: the Accept matrix, 303 then 200, HEAD, 304, 404, 406, format URLs."""

import pytest

from service.errors import NotAcceptable
from service.web import conneg

PLEDGE = "/doc/pledge/SP320067"
CHROME = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
    "application/signed-exchange;v=b3;q=0.7"
)
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"

MATRIX = [
    (None, "text/turtle"),
    ("*/*", "text/turtle"),
    ("text/html", "text/html"),
    ("application/xhtml+xml", "text/html"),
    ("text/turtle", "text/turtle"),
    ("application/x-turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("application/json", "application/ld+json"),
    ("application/rdf+xml", "application/rdf+xml"),
    ("application/n-triples", "application/n-triples"),
    ("text/plain", "application/n-triples"),
    (CHROME, "text/html"),
    (FIREFOX, "text/html"),
    ("text/turtle;q=0.5, application/ld+json;q=0.9", "application/ld+json"),
    ("application/rdf+xml;q=0.2, text/turtle;q=0.3", "text/turtle"),
    ("text/html;q=0, */*", "text/turtle"),
    ("text/*", "text/turtle"),
    ("application/*;q=0.3, text/turtle;q=0.2", "application/ld+json"),
    ("text/turtle, application/ld+json", "text/turtle"),  # equal q: the server's order
    ("image/png, */*;q=0.1", "text/turtle"),
    # malformed headers are ignored (RFC 9110 allows it): the default applies
    ("text/html;q=abc", "text/turtle"),
    ("garbage", "text/turtle"),
    (";;;,,", "text/turtle"),
    ("text/html/x", "text/turtle"),
]


@pytest.mark.parametrize("accept, expected", MATRIX)
def test_accept_matrix(mini_client, accept, expected):
    response = mini_client.get(PLEDGE, headers={"Accept": accept} if accept is not None else {})
    assert response.status_code == 200
    assert response.mimetype == expected
    assert "Accept" in response.headers["Vary"]
    assert response.headers["Content-Location"].endswith(PLEDGE + "." + _ext(expected))


def _ext(media_type):
    return {
        "text/html": "html",
        "text/turtle": "ttl",
        "application/ld+json": "jsonld",
        "application/rdf+xml": "rdf",
        "application/n-triples": "nt",
    }[media_type]


@pytest.mark.parametrize("accept", ["image/png", "application/pdf", "text/csv;q=1, text/html;q=0"])
def test_unsupported_type_is_406_listing_offered_types(mini_client, accept):
    response = mini_client.get(PLEDGE, headers={"Accept": accept})
    assert response.status_code == 406
    body = response.get_data(as_text=True)
    for media_type in [f.media_type for f in conneg.resource_formats()]:
        assert media_type in body
    assert 'rel="alternate"' in response.headers["Link"]


def test_negotiate_unit():
    assert conneg.negotiate(None).name == "turtle"
    assert conneg.negotiate("application/n-triples;q=1, text/turtle;q=0.99").name == "ntriples"
    with pytest.raises(NotAcceptable) as info:
        conneg.negotiate("video/mp4")
    assert "text/turtle" in info.value.offered


@pytest.mark.parametrize(
    "ext, media_type",
    [
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("rdf", "application/rdf+xml"),
        ("nt", "application/n-triples"),
        ("html", "text/html"),
    ],
)
def test_format_urls_ignore_accept(mini_client, ext, media_type):
    response = mini_client.get(f"{PLEDGE}.{ext}", headers={"Accept": "image/png"})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "Content-Location" not in response.headers


def test_303_then_200(mini_client):
    response = mini_client.get("/id/pledge/SP320067", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/doc/pledge/SP320067")
    followed = mini_client.get("/id/pledge/SP320067", headers={"Accept": "text/turtle"}, follow_redirects=True)
    assert followed.status_code == 200
    assert followed.mimetype == "text/turtle"
    assert b"SP320067" in followed.data


def test_303_keeps_the_query_string(mini_client):
    response = mini_client.get("/id/theme/migration?page=1")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/doc/theme/migration?page=1")


def test_link_header_lists_alternates_and_canonical_iri(mini_client):
    link = mini_client.get(PLEDGE).headers["Link"]
    for ext in ("ttl", "jsonld", "rdf", "nt", "html"):
        assert f"/doc/pledge/SP320067.{ext}>" in link
    assert '<https://w3id.org/rcrc/id/pledge/SP320067>; rel="describes"' in link
    assert '<https://w3id.org/rcrc/doc/pledge/SP320067>; rel="canonical"' in link


def test_head_has_the_headers_and_no_body(mini_client):
    get = mini_client.get(PLEDGE, headers={"Accept": "text/turtle"})
    head = mini_client.head(PLEDGE, headers={"Accept": "text/turtle"})
    assert head.status_code == 200
    assert head.data == b""
    for name in ("ETag", "Last-Modified", "Link", "Vary", "Content-Type"):
        assert head.headers[name] == get.headers[name]
    assert mini_client.head("/id/pledge/SP320067").status_code == 303


def test_304_on_etag_and_on_last_modified(mini_client):
    first = mini_client.get(PLEDGE, headers={"Accept": "text/turtle"})
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = mini_client.get(PLEDGE, headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    since = mini_client.get(PLEDGE, headers={"Accept": "text/turtle", "If-Modified-Since": modified})
    assert since.status_code == 304
    other = mini_client.get(PLEDGE, headers={"Accept": "application/ld+json", "If-None-Match": etag})
    assert other.status_code == 200  # another representation has another ETag
    stale = mini_client.get(PLEDGE, headers={"Accept": "text/turtle", "If-None-Match": '"stale"'})
    assert stale.status_code == 200


def test_etag_changes_when_the_store_is_rebuilt(tmp_path):
    from service.app import create_app
    from service.stores.embedded import EmbeddedStore
    from tests.conftest import FIXTURES

    store = EmbeddedStore(tmp_path)
    store.publish([FIXTURES / "mini.trig"], release="20260101T000000000000Z")
    client = create_app({"TESTING": True, "STORE_DIR": str(tmp_path)}).test_client()
    first = client.get(PLEDGE)
    store.publish([FIXTURES / "mini.trig"], release="20260102T000000000000Z")
    second = client.get(PLEDGE, headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    assert second.headers["ETag"] != first.headers["ETag"]
    assert second.headers["Last-Modified"] == "Fri, 02 Jan 2026 00:00:00 GMT"


@pytest.mark.parametrize("path", ["/doc/pledge/NOPE", "/id/pledge/NOPE", "/doc/pledge/NOPE.ttl", "/def/NoSuchTerm"])
def test_unknown_iris_are_404(mini_client, path):
    response = mini_client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 404


def test_404_is_an_html_page_for_browsers(mini_client):
    response = mini_client.get("/doc/pledge/NOPE", headers={"Accept": CHROME})
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "<h1>There is nothing at this address <small>(404)</small></h1>" in response.get_data(as_text=True)


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1e3", "99999999999"])
def test_bad_page_numbers_are_400(mini_client, page):
    assert mini_client.get(f"/doc/theme/migration?page={page}").status_code == 400


def test_page_past_the_end_is_404(mini_client):
    assert mini_client.get("/doc/theme/migration?page=2").status_code == 404


def test_303_from_a_format_iri_goes_to_that_format(mini_client):
    response = mini_client.get("/id/pledge/SP320067.ttl")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/doc/pledge/SP320067.ttl")


def test_listings_vary_on_language(mini_client):
    assert "Accept-Language" in mini_client.get("/pledges").headers["Vary"]


ERROR_PAGES = [  # (request, status): every kind of error a browser meets
    (("GET", "/no/such/page"), 404), (("GET", "/doc/pledge/NOPE"), 404), (("GET", "/pledges?page=abc"), 400),
    (("DELETE", "/pledges"), 405), (("GET", "/pledges.CSV"), 404),
]
TITLES = {"en": "There is nothing at this address", "fr": "Il n'y a rien à cette adresse",
          "ar": "لا يوجد شيء في هذا العنوان"}


@pytest.mark.parametrize("lang", ["en", "fr", "es", "ar"])
@pytest.mark.parametrize("request_line, status", ERROR_PAGES, ids=[" ".join(r) for r, _ in ERROR_PAGES])
def test_error_pages_speak_the_page_language_and_keep_the_reason(mini_client, lang, request_line, status):
    method, path = request_line
    response = mini_client.open(path, method=method, headers={"Accept": CHROME, "Accept-Language": lang})
    html = response.get_data(as_text=True)
    assert response.status_code == status and f'<html lang="{lang}"' in html
    heading = html.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert f"({status})" in heading
    if status == 404 and lang in TITLES:
        assert TITLES[lang] in heading
    if lang != "en":  # the title is translated; the reason after it is marked as English
        assert "nothing at this address" not in heading and 'class="error" lang="en"' in html
    assert "The requested URL was not found on the server" not in html  # Werkzeug's stock text


@pytest.mark.parametrize(("page", "said"), [("２", "written 0-9"), ("99999999", "from 1 to 1,000,000"),
                                            ("2", "the last is page 1")])
def test_a_page_number_error_says_what_would_do(mini_client, page, said):
    response = mini_client.get(f"/pledges?page={page}", headers={"Accept": "text/plain"})
    assert response.status_code in (400, 404) and said in response.get_data(as_text=True)


WRONG_CASE = [("/doc/pledge/sp320067", "pledge/SP320067"), ("/doc/theme/Migration.ttl", "theme/migration"),
              ("/doc/organisation/ICRC", "organisation/icrc"), ("/doc/pledge/NOPE", None)]


@pytest.mark.parametrize(("path", "near"), WRONG_CASE)
def test_an_iri_in_the_wrong_case_is_404_with_the_right_one_named(mini_client, path, near):
    response = mini_client.get(path, headers={"Accept": "text/plain"})
    text = response.get_data(as_text=True)
    assert response.status_code == 404
    assert (f"did you mean <https://w3id.org/rcrc/id/{near}>?" in text) if near else "did you mean" not in text


@pytest.mark.parametrize("path", ["/doc/pledge/SP320067", "/doc/pledge/SP320067.ttl", "/.well-known/void",
                                  "/doc/theme/migration.jsonld", "/releases/", "/def/context.jsonld"])
def test_etags_change_with_the_code_not_only_with_the_release(mini_client, monkeypatch, path):
    """After an upgrade, a cached page of the same release is fetched again (its markup may differ)."""
    from service.web import conneg

    before = mini_client.get(path, headers={"Accept": CHROME})
    assert before.status_code == 200 and before.headers["ETag"]
    assert mini_client.get(path, headers={"Accept": CHROME, "If-None-Match": before.headers["ETag"]}).status_code == 304
    monkeypatch.setattr(conneg, "CODE_VERSION", "another version")
    after = mini_client.get(path, headers={"Accept": CHROME, "If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]

"""CORS on every public answer: pages, data, redirects, dumps, listings, vocabulary and errors.

A table of every kind of route, read as a script on another origin would read it, and a real
Chromium that fetches across origins (where the browser, not our assertion, enforces CORS).
"""

import json

import pytest

from .test_browser import browser  # noqa: F401 -- Chromium

MEANINGFUL = ("Link", "ETag", "Content-Location", "Location", "Retry-After", "Warning", "Allow")
ORIGIN = {"Origin": "https://elsewhere.example"}

ROUTES = [
    # (method, path, headers, expected status)
    ("GET", "/", {}, 200),
    ("GET", "/id/pledge/SP320067", {}, 303),
    ("GET", "/id/pledge/SP320067", {"Accept": "application/ld+json"}, 303),
    ("GET", "/doc/pledge/SP320067", {"Accept": "application/ld+json"}, 200),
    ("GET", "/doc/pledge/SP320067.jsonld", {}, 200),
    ("GET", "/doc/pledge/SP320067.ttl", {"If-None-Match": "*"}, 304),
    ("HEAD", "/doc/pledge/SP320067.nt", {}, 200),
    ("GET", "/def/", {}, 200),
    ("GET", "/def/Pledge", {"Accept": "text/turtle"}, 200),
    ("GET", "/def", {}, 301),
    ("GET", "/shapes/", {}, 200),
    ("GET", "/.well-known/void", {}, 200),
    ("GET", "/sitemap.xml", {}, 200),
    ("GET", "/dumps/", {}, 200),
    ("GET", "/dumps/pledgegraph.ttl", {}, 200),
    ("GET", "/pledges?theme=migration", {}, 200),
    ("GET", "/organisations", {}, 200),
    ("GET", "/search?q=kenya", {}, 200),
    ("GET", "/search/suggest?q=ken", {}, 200),
    ("GET", "/sparql?query=ASK%7B%7D", {}, 200),
    ("POST", "/sparql", {"Content-Type": "application/sparql-query"}, 200),
    ("GET", "/api/queries", {"Accept": "application/json"}, 200),
    ("GET", "/openapi.json", {}, 200),
    ("GET", "/reconcile", {}, 200),
    ("GET", "/reconcile/suggest/entity?prefix=ken", {}, 200),
    ("GET", "/static/site.css", {}, 200),
    # errors
    ("GET", "/no/such/page", {}, 404),
    ("GET", "/id/pledge/NOSUCH", {}, 404),
    ("GET", "/doc/pledge/SP320067", {"Accept": "image/png"}, 406),
    ("GET", "/pledges?page=x", {}, 400),
    ("GET", "/sparql?query=SELEC", {}, 400),
    ("GET", "/dumps/nothing.zip", {}, 404),
    ("POST", "/doc/pledge/SP320067", {}, 405),
]


@pytest.mark.parametrize("method, path, headers, status", ROUTES, ids=[f"{r[0]} {r[1]} {r[3]}" for r in ROUTES])
def test_every_answer_may_be_read_cross_origin(real_client, method, path, headers, status):
    data = "ASK {}" if method == "POST" and path == "/sparql" else None
    response = real_client.open(path, method=method, headers={**ORIGIN, **headers}, data=data)
    assert response.status_code == status
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    exposed = {h.strip().lower() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert {h.lower() for h in MEANINGFUL} <= exposed
    assert {h.lower() for h in response.headers.keys() if h.lower().startswith("x-pledgegraph-")} <= exposed


@pytest.mark.parametrize("path", ["/sparql", "/reconcile", "/doc/pledge/SP320067", "/api/queries/pledges-on-theme"])
def test_preflight_allows_the_methods_and_headers_clients_send(real_client, path):
    response = real_client.options(
        path,
        headers={**ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
    )
    assert response.status_code in (200, 204)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "content-type" in response.headers["Access-Control-Allow-Headers"].lower()


FETCHES = [
    # (script on one origin, what it must read from the other)
    ("/id/pledge/SP320067", {"headers": {"Accept": "application/ld+json"}}, 200, "Link"),
    ("/doc/pledge/SP320067.jsonld", {}, 200, "ETag"),
    ("/.well-known/void", {}, 200, "ETag"),
    ("/search/suggest?q=ken", {}, 200, "Content-Type"),
    ("/dumps/", {}, 200, "Content-Type"),
    ("/no/such/page", {}, 404, "Content-Type"),
    ("/sparql", {"method": "POST", "headers": {"Content-Type": "application/sparql-query"}, "body": "ASK {}"},
     200, "X-Pledgegraph-Row-Limit"),
]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("path, init, status, header", FETCHES, ids=[f[0] for f in FETCHES])
def test_a_browser_script_on_another_origin_reads_the_answer(browser, real_server, path, init, status, header):  # noqa: F811
    server = real_server
    other_origin = server.replace("127.0.0.1", "localhost")
    browser.get(server + "/")
    script = """
        const [url, init, header, done] = arguments;
        fetch(url, init).then(
            r => r.text().then(() => done({status: r.status, header: r.headers.get(header)})),
            e => done({error: String(e)}));
    """
    browser.set_script_timeout(30)
    seen = browser.execute_async_script(script, other_origin + path, init, header)
    assert "error" not in seen, json.dumps(seen)
    assert seen["status"] == status
    assert seen["header"]

"""Host header trust: only trusted names reach the app, so no untrusted host ends up in a link."""

from urllib.parse import urlsplit

import pytest

from service.app import create_app

UNTRUSTED = ["evil.example", "localhost.evil.example", "127.0.0.1.evil.example", "bad host", "x" * 300]
# Every kind of answer that builds absolute URLs from the host: links, redirects, manifests, UI.
PATHS = [
    "/doc/pledge/SP320067.html",
    "/id/pledge/SP320067",
    "/reconcile",
    "/sparql?format=nt",
    "/sparql",
    "/.well-known/void",
    "/sitemap.xml",
    "/no/such/page",
]


def app_with(mini_store_dir, **settings):
    return create_app({"TESTING": True, "STORE_DIR": str(mini_store_dir), **settings})


@pytest.mark.parametrize("host", UNTRUSTED)
def test_an_untrusted_host_gets_400_everywhere(mini_store_dir, host):
    client = app_with(mini_store_dir).test_client()
    for path in PATHS:
        for accept in ("text/html", "application/json", "*/*"):
            response = client.get(path, headers={"Host": host, "Accept": accept})
            assert response.status_code == 400, (path, accept)
            assert host.encode() not in response.data
            assert "Location" not in response.headers


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:8080"])
def test_loopback_names_are_trusted_by_default(mini_store_dir, host):
    response = app_with(mini_store_dir).test_client().get("/id/pledge/SP320067", headers={"Host": host})
    assert response.status_code == 303
    assert response.headers["Location"] in ("/doc/pledge/SP320067", f"http://{host}/doc/pledge/SP320067")


def test_the_host_of_public_base_is_trusted(mini_store_dir):
    client = app_with(mini_store_dir, PUBLIC_BASE="https://pledges.example.org/").test_client()
    assert client.get("/sparql?format=nt", headers={"Host": "pledges.example.org"}).status_code == 200
    assert client.get("/sparql?format=nt", headers={"Host": "other.example.org"}).status_code == 400


def test_the_setting_names_hosts_subdomains_or_any(mini_store_dir):
    client = app_with(mini_store_dir, TRUSTED_HOSTS="data.example, .mirror.example").test_client()
    assert client.get("/sparql?format=nt", headers={"Host": "data.example"}).status_code == 200
    assert client.get("/sparql?format=nt", headers={"Host": "eu.mirror.example"}).status_code == 200
    assert client.get("/sparql?format=nt", headers={"Host": "localhost"}).status_code == 400
    anyone = app_with(mini_store_dir, TRUSTED_HOSTS="*").test_client()
    assert anyone.get("/sparql?format=nt", headers={"Host": "whatever.example"}).status_code == 200


def test_a_forwarded_host_is_checked_too(mini_store_dir):
    client = app_with(mini_store_dir, PROXY_HOPS=1).test_client()
    response = client.get("/id/pledge/SP320067", headers={"X-Forwarded-Host": "evil.example"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("setting", "host", "forwarded"),
    [
        ("", "LOCALHOST:8000", None),  # the default loopback names
        ("", "LocalHost", None),
        ("Data.Example", "data.example", None),  # the setting in any case
        ("data.example", "DATA.EXAMPLE", None),
        (".mirror.example", "EU.Mirror.Example", None),
        ("data.example", "localhost", "Data.EXAMPLE"),  # a forwarded host behind a proxy
    ],
)
def test_host_names_are_compared_without_case(mini_store_dir, setting, host, forwarded):
    settings = {"TRUSTED_HOSTS": setting} if setting else {}
    headers = {"Host": host, **({"X-Forwarded-Host": forwarded} if forwarded else {})}
    client = app_with(mini_store_dir, PROXY_HOPS=1 if forwarded else 0, **settings).test_client()
    response = client.get("/id/pledge/SP320067", headers=headers)
    assert response.status_code == 303  # RFC 3986 §3.2.2: the host is case-insensitive
    location = urlsplit(response.headers["Location"])
    assert location.netloc == location.netloc.lower() and location.path == "/doc/pledge/SP320067"

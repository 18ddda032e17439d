"""IRIs are minted under https://w3id.org/rcrc/ only; PUBLIC_BASE is how the service serves them elsewhere.

There is no setting that claims to change the IRIs' base (the ontology, shapes and data are
minted under w3id.org); a variable naming one, or any unknown PLEDGEGRAPH_* variable, stops
the service and the CLI with a message instead of being ignored.
"""

import os
import subprocess
import sys

import pytest

from service.app import create_app
from service.config import DEFAULTS, settings_from
from service.errors import InputError

from .conftest import ROOT


@pytest.mark.parametrize(
    "variable, says",
    [
        ("PLEDGEGRAPH_BASE_IRI", "PLEDGEGRAPH_PUBLIC_BASE"),
        ("PLEDGEGRAPH_PUBLICBASE", "unknown setting PLEDGEGRAPH_PUBLICBASE"),
        ("PLEDGEGRAPH_STORE_DIRECTORY", "unknown setting PLEDGEGRAPH_STORE_DIRECTORY"),
    ],
)
def test_a_removed_or_unknown_setting_is_an_error_naming_it(mini_store_dir, variable, says):
    environ = {variable: "https://example.org/", "PLEDGEGRAPH_STORE_DIR": str(mini_store_dir)}
    with pytest.raises(InputError, match=says):
        settings_from(environ)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLEDGEGRAPH_")} | environ
    result = subprocess.run(
        [sys.executable, "-m", "service", "stats"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2 and says in result.stderr


@pytest.mark.parametrize(
    "public_base, base_url, served_under",
    [
        ("", "http://localhost", "http://localhost/"),
        ("", "http://other.host:8080", "http://other.host:8080/"),
        ("https://pledges.example/", "http://localhost", "https://pledges.example/"),
        ("https://example.org/rcrc/", "http://127.0.0.1:8000", "https://example.org/rcrc/"),
        ("https://example.org/rcrc", "http://127.0.0.1:8000", "https://example.org/rcrc/"),  # the "/" is added
    ],
)
def test_public_base_serves_canonical_iris_under_another_host(mini_store_dir, public_base, base_url, served_under):
    app = create_app({"TESTING": True, "STORE_DIR": str(mini_store_dir), "PUBLIC_BASE": public_base,
                      "TRUSTED_HOSTS": "localhost, 127.0.0.1, other.host"})
    client = app.test_client()
    html = client.get("/doc/pledge/SP320067.html", base_url=base_url).get_data(as_text=True)
    assert f'href="{served_under}doc/resolution/31/3"' in html
    turtle = client.get("/doc/pledge/SP320067.ttl", base_url=base_url)
    assert turtle.headers["Link"].count(f"<{served_under}doc/pledge/SP320067") >= 1
    body = turtle.get_data(as_text=True)
    assert "https://w3id.org/rcrc/id/resolution/31/3" in body and served_under not in body
    moved = client.get("/id/pledge/SP320067", base_url=base_url)
    assert moved.status_code == 303 and moved.headers["Location"] == f"{served_under}doc/pledge/SP320067"
    sitemap = client.get("/sitemap.xml", base_url=base_url).get_data(as_text=True)
    assert f"<loc>{served_under}doc/pledge/SP320067</loc>" in sitemap


@pytest.mark.parametrize("public_base", ["notaurl", "ftp://example.org/", "https://", "/rcrc/",
                                         "https://example.org/rcrc/?x=1", "https://example.org/#top"])
def test_a_public_base_that_is_not_an_http_url_is_refused_at_start(mini_store_dir, public_base):
    with pytest.raises(InputError, match="PUBLIC_BASE must be an http"):
        create_app({"TESTING": True, "STORE_DIR": str(mini_store_dir), "PUBLIC_BASE": public_base})


@pytest.mark.parametrize("name", ["KEEP_RELEASES", "KEEP_DAYS", "QUERY_TIMEOUT", "MAX_RESULT_ROWS", "PROXY_HOPS"])
@pytest.mark.parametrize("raw", ["-1", "-0.5", "nan", "inf", "many"])
def test_a_number_setting_must_be_finite_and_not_negative(name, raw):
    if raw == "-0.5" and isinstance(DEFAULTS[name], int):
        raw = "-2"
    with pytest.raises(InputError, match=f"setting {name} must be a"):
        settings_from({f"PLEDGEGRAPH_{name}": raw})

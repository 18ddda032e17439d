"""Folder settings are resolved against the folder the user started in, once, when settings load.

The service runs as users run it (`pledgegraph serve` with default settings, from a folder that
holds `data/`, so the store lands in the relative default `var/store`), and every dump it
advertises downloads with the checksum `/dumps/` gives.
"""

import hashlib
import os
import shutil
import sys
from pathlib import Path

import pytest
import requests
from rdflib import Graph, Namespace

from service.config import FOLDERS, settings_from
from service.dataset.dumps import DUMPS

from .conftest import ROOT
from .servers import ServiceServer

DCAT = Namespace("http://www.w3.org/ns/dcat#")
PLEDGEGRAPH = Path(sys.executable).parent / "pledgegraph"


def user_environment():
    return {k: v for k, v in os.environ.items() if not k.startswith("PLEDGEGRAPH_")}


@pytest.mark.parametrize(
    "name, raw, expected",
    [
        ("STORE_DIR", None, "var/store"),  # the defaults are relative; they come back absolute
        ("DATA_DIR", None, "data"),
        ("STORE_DIR", "elsewhere/store", "elsewhere/store"),
        ("DATA_DIR", "../data", "../data"),
        ("QUERIES_DIR", "my-queries", "my-queries"),
        ("QUERIES_DIR", "", ""),  # empty: the project's queries/, left empty
        ("STORE_DIR", "/srv/store", "/srv/store"),
    ],
)
def test_every_folder_setting_is_absolute_against_the_start_folder(tmp_path, name, raw, expected):
    environ = {} if raw is None else {"PLEDGEGRAPH_" + name: raw}
    config = settings_from(environ, cwd=tmp_path)
    want = os.path.normpath(os.path.join(tmp_path, expected)) if expected else ""
    assert config[name] == want
    assert name in FOLDERS


def test_overrides_are_resolved_too(tmp_path):
    """CLI options (--store-dir, --data-dir) and create_app's settings arrive as overrides."""
    config = settings_from({}, {"STORE_DIR": "s", "DATA_DIR": str(tmp_path / "d")}, cwd=tmp_path)
    assert (config["STORE_DIR"], config["DATA_DIR"]) == (str(tmp_path / "s"), str(tmp_path / "d"))


@pytest.fixture(scope="module")
def checkout_service(tmp_path_factory):
    """`pledgegraph serve`, default settings, started in a folder laid out like a checkout."""
    folder = tmp_path_factory.mktemp("checkout")
    shutil.copytree(ROOT / "data", folder / "data")
    command = [str(PLEDGEGRAPH), "serve", "--threads", "4"]
    with ServiceServer({}, command=command, cwd=folder, env=user_environment()) as server:
        yield server, folder


@pytest.mark.slow
@pytest.mark.parametrize("dump", [d.name for d in DUMPS])
def test_every_dump_downloads_with_its_published_checksum(checkout_service, dump):
    server, folder = checkout_service
    assert (folder / "var" / "store" / "current").is_symlink()  # the relative default, under the start folder
    listed = requests.get(server.url("/dumps/"), timeout=30)
    assert listed.status_code == 200
    sums = {name: digest for digest, name in (line.split("  ") for line in listed.text.splitlines())}
    response = requests.get(server.url(f"/dumps/{dump}"), timeout=60)
    assert response.status_code == 200, response.text[:300]
    assert hashlib.sha256(response.content).hexdigest() == sums[dump]
    assert response.headers["X-Checksum-SHA256"] == sums[dump]


@pytest.mark.slow
def test_the_dumps_the_dataset_description_advertises_are_the_ones_served(checkout_service):
    server, _ = checkout_service
    void = requests.get(server.url("/.well-known/void"), headers={"Accept": "text/turtle"}, timeout=30)
    graph = Graph().parse(data=void.text, format="turtle")
    advertised = sorted(str(url).rsplit("/", 1)[-1] for url in graph.objects(None, DCAT.downloadURL))
    assert advertised == sorted(d.name for d in DUMPS)
    for url in graph.objects(None, DCAT.downloadURL):
        local = server.url("/dumps/" + str(url).rsplit("/", 1)[-1])
        assert requests.head(local, timeout=30).status_code == 200

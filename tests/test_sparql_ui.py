"""The query UI in a real headless Chromium: YASGUI loads from our own server and shows results."""

import re
import shutil
import subprocess
import urllib.parse

import pytest

from service.namedqueries.catalog import load_queries
from tests.servers import ServiceServer

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def rendered_dom(url):
    """The DOM after scripts ran (Chromium's virtual time lets the query round-trip finish)."""
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=8000", "--dump-dom", url]
    return subprocess.run(command, capture_output=True, text=True, timeout=120).stdout


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_a_shared_link_opens_yasgui_and_shows_the_results(mini_store_dir):
    text = load_queries()["pledges-citing-resolution"].example_text()
    with ServiceServer({"STORE_DIR": str(mini_store_dir)}) as server:
        dom = rendered_dom(server.url("/sparql?" + urllib.parse.urlencode({"query": text})))
    assert 'class="yasgui' in dom  # the editor was built by the vendored script, no CDN
    assert "CodeMirror" in dom
    assert "SP320067" in dom  # YASR's table shows the answer our endpoint gave
    assert re.search(r'<form id="plain-form"[^>]*hidden', dom)  # the no-JS fallback steps aside

"""In a real headless Chromium: "Cite this query" in the query UI makes a permalink of the query in the
editor and lands on its page, with the answer's preview and the citation."""

import threading

import pytest
from werkzeug.serving import make_server

from service.app import create_app
from service.stores.embedded import EmbeddedStore
from service.stores.ledger import Ledger

from .conftest import FIXTURES
from .test_browser import browser, shot, wait_for  # noqa: F401 -- browser is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_cite_this_query_makes_a_permalink_of_the_editor_query(browser, tmp_path):  # noqa: F811
    from selenium.webdriver.common.by import By

    EmbeddedStore(tmp_path).publish([FIXTURES / "mini.trig"], release="20260101T000000000000Z")
    httpd = make_server("127.0.0.1", 0, create_app({"STORE_DIR": str(tmp_path)}), threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        browser.get(f"http://127.0.0.1:{httpd.server_port}/sparql")
        button = wait_for(browser, lambda d: next(
            (b for b in d.find_elements(By.CSS_SELECTOR, "#cite-form button") if b.is_displayed()), None))
        button.click()
        wait_for(browser, lambda d: "/q/" in d.current_url)
        shot(browser, "permalink")
        assert "20260101T000000000000Z" in browser.page_source and "BibTeX" in browser.page_source
        (record,) = [Ledger(tmp_path).permalink(browser.current_url.rsplit("/", 1)[1])]
        assert record["query"].strip() and record["release"] == "20260101T000000000000Z"
    finally:
        httpd.shutdown()

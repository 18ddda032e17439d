"""Headless Chromium for the browser tests (Debian's chromium and chromium-driver, driven by
selenium), the service under a real HTTP server, and axe-core for accessibility checks.

axe-core is vendored from npm (``npm pack axe-core@4.14.1``) in tests/vendor/, with its licence
(MPL-2.0): nothing is fetched while the tests run. Screenshots go to tests/artifacts/ (git-ignored).
"""

import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from service.app import create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1.min.js"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,1000",
)
# axe's own run, answered through selenium's async callback: the violations with their impact.
AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run({exclude: arguments[0]}, {resultTypes: ['violations']})
  .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                         nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))
  .catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));
"""


def require_chromium():
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("chromium and chromium-driver are not installed (Debian packages chromium, chromium-driver)")
    return pytest.importorskip("selenium.webdriver", reason="selenium is not installed")


def chromium(profile, language=None, javascript=True):
    """A headless Chromium whose reader prefers ``language`` (Accept-Language), with or without JavaScript."""
    webdriver = require_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    prefs = {}
    if language:
        options.add_argument(f"--lang={language}")
        prefs["intl.accept_languages"] = language
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    return driver


@contextmanager
def serving(store_dir):
    """The service over ``store_dir`` on 127.0.0.1 (a real HTTP server, threaded); yields its base URL."""
    httpd = make_server("127.0.0.1", 0, create_app({"STORE_DIR": str(store_dir)}), threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(timeout=10)


def shot(driver, name):
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def wait_for(driver, condition, timeout=10):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def axe_violations(driver, exclude=()):
    """axe-core's violations on the page now shown, as [{id, impact, help, nodes}]."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    return driver.execute_async_script(AXE_RUN, [[selector] for selector in exclude])

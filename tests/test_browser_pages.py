"""Every page type in headless Chromium, in English, French and Arabic: the interface's language and
direction, the fact card and the order of rows and sections the shapes give, the export links, the
citation downloads, and axe-core's accessibility check (no serious or critical violation). Then the
keyboard (skip link, switcher, sorting) and the pages without JavaScript.

Screenshots go to tests/artifacts/<language>-<page>.png (git-ignored).
"""

import re

import pytest

from service.namespaces import PREFIXES
from service.pages.layout import layouts
from service.stores.embedded import EmbeddedStore

from .browsers import axe_violations, chromium, shot, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LANGUAGES = {"en": ("ltr", "Pledges"), "fr": ("ltr", "Engagements"), "ar": ("rtl", "التعهدات")}
# page type -> (path, what it is: "resource", "listing", "search", "document" or "page")
PAGE_TYPES = {
    "home": ("/", "page"),
    "pledge": ("/doc/pledge/SP320067", "resource"),
    "resolution": ("/doc/resolution/31/3", "resource"),
    "conference": ("/doc/conference/32", "resource"),
    "organisation": ("/doc/organisation/icrc", "resource"),
    "national-society": ("/doc/national-society/AU", "resource"),
    "theme": ("/doc/theme/migration", "resource"),
    "country": ("/doc/country/KE", "resource"),
    "pledges": ("/pledges?theme=migration", "listing"),
    "resolutions": ("/resolutions", "listing"),
    "organisations": ("/organisations?region=africa", "listing"),
    "search": ("/search?q=migration", "search"),
    "dataset": ("/.well-known/void", "document"),
    "term": ("/def/Pledge", "document"),  # a vocabulary term: no shape lays it out
    "sparql": ("/sparql", "page"),
    "api": ("/api", "page"),
    "reconcile": ("/reconcile/try?query=ICRC", "page"),
    "not-found": ("/doc/pledge/NOSUCH", "page"),
}
# The query editor is the vendored YASGUI 4.6.2 widget, whose own markup axe faults (tab roles,
# an unlabelled textarea, contrast of its syntax colours); the plain form beside it is the
# accessible way to query, and it is checked.
EXCLUDE = {"sparql": ["#yasgui"]}
FETCH = """
const done = arguments[arguments.length - 1];
fetch(arguments[0]).then(r => r.text().then(t => done({
  status: r.status, type: r.headers.get('content-type'),
  disposition: r.headers.get('content-disposition'), text: t.slice(0, 300)})))
  .catch(e => done({status: 0, text: String(e)}));
"""


@pytest.fixture(scope="module")
def base(real_server):
    return real_server


@pytest.fixture(scope="module")
def layout(real_store_dir):
    store = EmbeddedStore(real_store_dir)
    yield store, layouts(store)
    store.close()


@pytest.fixture(scope="module", params=list(LANGUAGES))
def reader(request, tmp_path_factory):
    driver = chromium(tmp_path_factory.mktemp(f"chromium-{request.param}"), language=request.param)
    yield request.param, driver
    driver.quit()


def compact_to_iri(name):
    prefix, _, local = name.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES else name


def check_shape_order(driver, path, layout):
    """The card's rows and the sections follow sh:order of the fields and of their groups."""
    store, shapes = layout
    iri = "https://w3id.org/rcrc/" + ("id/" + path[5:] if path.startswith("/doc/") else path[1:])
    types = [row["t"].value for row in store.query(f"SELECT ?t WHERE {{ <{iri}> a ?t }}")]
    fields = shapes.fields_for(types)
    rows = driver.execute_script("return Array.from(document.querySelectorAll('dl.card dt span')).map(e => e.title)")
    assert rows, "no fact card"
    orders = [fields[compact_to_iri(r)].order for r in rows if compact_to_iri(r) in fields]
    assert len(orders) == len(rows) and orders == sorted(orders), rows
    groups = driver.execute_script(
        "return Array.from(document.querySelectorAll('section.group h2')).map(e => e.id.slice(2))"
    )
    known = {g.iri.rsplit("/", 1)[-1]: g.order for g in shapes.groups.values()}
    placed = [known.get(g, float("inf")) for g in groups]
    assert placed == sorted(placed), groups


def check_exports(driver):
    for fmt, starts in (("csv", "iri,"), ("json", "{")):
        href = driver.execute_script(f"return document.querySelector('p.exports a[href*=\".{fmt}\"]').href")
        answer = driver.execute_async_script(FETCH, href)
        assert answer["status"] == 200 and answer["text"].startswith(starts), (href, answer)


def check_citations(driver):
    links = driver.execute_script(
        "return Array.from(document.querySelectorAll('section.cite a[download]')).map(a => a.href)"
    )
    assert len(links) == 3
    for href, starts in zip(links, ("@misc{", "TY  - DATA", "["), strict=True):
        answer = driver.execute_async_script(FETCH, href)
        assert answer["status"] == 200 and answer["text"].startswith(starts), (href, answer)
        assert answer["disposition"].startswith("attachment;")


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_every_page_type_in_every_language(reader, base, layout, name):
    lang, driver = reader
    path, kind = PAGE_TYPES[name]
    direction, nav = LANGUAGES[lang]
    driver.get(base + path)
    root = driver.execute_script("return [document.documentElement.lang, document.documentElement.dir]")
    assert root == [lang, direction]
    assert driver.execute_script("return document.querySelector('nav.main a').textContent.trim()") == nav
    if kind == "resource":
        check_shape_order(driver, path, layout)
    if kind in ("resource", "document"):
        check_citations(driver)
    if kind in ("listing", "search"):
        check_exports(driver)
    shot(driver, f"{lang}-{name}")
    serious = [v for v in axe_violations(driver, EXCLUDE.get(name, ())) if v["impact"] in ("serious", "critical")]
    assert not serious, serious
    errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE" and "NOSUCH" not in e["message"]]
    assert not errors, errors


@pytest.fixture
def english(tmp_path):
    driver = chromium(tmp_path / "profile", language="en")
    yield driver
    driver.quit()


def test_the_keyboard_reaches_the_content_the_switcher_and_the_sort(base, english):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver = english
    driver.get(base + "/pledges?theme=migration")
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    focused = driver.switch_to.active_element
    assert focused.text == "Skip to the content" and focused.is_displayed()
    focused.send_keys(Keys.ENTER)
    assert driver.execute_script("return document.activeElement.id") == "main"
    # on through the content: the first sortable column heading, then Enter sorts by it
    for _ in range(40):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        if "sort=" in (driver.switch_to.active_element.get_attribute("href") or ""):
            break
    target = driver.switch_to.active_element.get_attribute("href")
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for(driver, lambda d: d.current_url == target)
    # from the top of the page, Tab reaches the language switcher; Enter changes the language
    driver.get(base + "/doc/pledge/SP320067")
    for _ in range(40):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        if driver.switch_to.active_element.get_attribute("hreflang") == "fr":
            break
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for(driver, lambda d: d.execute_script("return document.documentElement.lang") == "fr")
    assert driver.current_url.endswith("/doc/pledge/SP320067")
    outline = driver.execute_script("return getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none" or driver.execute_script("return document.activeElement === document.body")
    shot(driver, "keyboard-fr-pledge")


def test_the_pages_work_without_javascript(base, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver = chromium(tmp_path / "profile", language="en", javascript=False)
    try:
        driver.get(base + "/")
        box = driver.find_element(By.CSS_SELECTOR, "form.search input[name=q]")
        box.send_keys("Res. 3 of the 31st IC", Keys.ENTER)
        wait_for(driver, lambda d: "/search" in d.current_url)
        driver.find_element(By.CSS_SELECTOR, 'ol.hits a[href$="/doc/resolution/31/3"]').click()
        wait_for(driver, lambda d: d.current_url.endswith("/doc/resolution/31/3"))
        assert driver.find_element(By.CSS_SELECTOR, "dl.card").is_displayed()
        driver.find_element(By.CSS_SELECTOR, "nav.languages a[hreflang=ar]").click()
        wait_for(driver, lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl")
        driver.get(base + "/pledges")
        driver.find_element(By.CSS_SELECTOR, 'section.facet[data-facet="conference"] a').click()
        wait_for(driver, lambda d: "conference=" in d.current_url)
        driver.find_element(By.CSS_SELECTOR, "th.col-title a").click()
        wait_for(driver, lambda d: "sort=title" in d.current_url)
        assert re.search(r"\d", driver.find_element(By.CSS_SELECTOR, "h1 small").text)
        shot(driver, "no-javascript-pledges")
        driver.get(base + "/doc/pledge/SP320067")
        assert driver.find_element(By.CSS_SELECTOR, "button.copy").get_attribute("hidden") is not None  # no dead button
        assert driver.find_element(By.ID, "citation-text").text.startswith("pledgegraph project.")
    finally:
        driver.quit()

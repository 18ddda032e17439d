"""Headless Chromium through the real service: home -> search "migration" -> pledge SP320067 ->
its resolution (31st Conference, Resolution 3) -> back through the pledges citing it to the pledge.

Screenshots go to tests/artifacts/ (gitignored; CI keeps them as artifacts).
"""

import pytest

from .browsers import chromium, wait_for
from .browsers import shot as save_shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


def shot(driver, name):
    save_shot(driver, f"browser-{name}")


def test_walk_from_home_to_pledge_to_resolution_and_back(real_server, browser):
    server = real_server
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(server + "/")
    assert "Pledges per conference" in browser.page_source
    assert browser.find_elements(By.CSS_SELECTOR, "svg.chart rect")
    shot(browser, "1-home")

    box = browser.find_element(By.CSS_SELECTOR, "form.search input[name=q]")
    box.send_keys("mig")
    wait_for(
        browser,
        lambda d: d.execute_script("return document.querySelectorAll('#suggestions option').length") > 0,
    )
    suggestions = browser.execute_script(
        "return Array.from(document.querySelectorAll('#suggestions option')).map(o => o.value)"
    )
    assert "Migration" in suggestions
    box.send_keys("ration", Keys.ENTER)
    wait_for(browser, lambda d: "/search" in d.current_url)
    assert "results for" in browser.find_element(By.CSS_SELECTOR, "p.summary").text
    shot(browser, "2-search")

    browser.find_element(By.CSS_SELECTOR, 'ol.hits a[href$="/doc/pledge/SP320067"]').click()
    wait_for(browser, lambda d: d.current_url.endswith("/doc/pledge/SP320067"))
    heading = browser.find_element(By.TAG_NAME, "h1").text
    assert heading.startswith("Turning commitments into further action to implement Resolution 3")
    kinds = browser.find_element(By.CSS_SELECTOR, "p.kinds").text
    assert "PLEDGE" in kinds.upper(), kinds
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "International Committee of the Red Cross" in page
    assert "International Federation of Red Cross and Red Crescent Societies" in page
    assert "https://w3id.org/rcrc/def/" not in page  # properties read as labels, not IRIs
    shot(browser, "3-pledge")

    browser.find_element(By.CSS_SELECTOR, 'a[href$="/doc/resolution/31/3"]').click()
    wait_for(browser, lambda d: d.current_url.endswith("/doc/resolution/31/3"))
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Migration: Ensuring access, dignity")
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "31st International Conference of the Red Cross and Red Crescent" in main
    assert "Pledges citing this resolution" in main
    shot(browser, "4-resolution")

    browser.find_element(By.CSS_SELECTOR, 'section.related a[href$="/doc/pledge/SP320067"]').click()
    wait_for(browser, lambda d: d.current_url.endswith("/doc/pledge/SP320067"))
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Turning commitments")
    shot(browser, "5-back-to-pledge")
    errors = [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]
    assert not errors, errors

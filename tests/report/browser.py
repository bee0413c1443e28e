"""Headless Chromium (Debian's, driven through its ChromeDriver) for the report's tests: load
a page from the file system, wait for every plot, and read the console.

No network: the browser is pointed at a proxy on a closed loopback port, so a page that
needed anything from the internet would log an error instead of quietly fetching it.
"""

from __future__ import annotations

import base64
import shutil
from contextlib import suppress
from pathlib import Path

import pytest

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
# Each plot's SVG has a size and holds drawn marks: traces' paths, or a heat map's image.
PLOTS_STATE = """
const divs = [...document.querySelectorAll('.plotly-graph-div')];
return divs.map(div => {
  const svg = div.querySelector('svg.main-svg');
  const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  const marks = div.querySelectorAll(
    'g.trace path[d]:not([d=""]), g.trace .point, .cartesianlayer image');
  return {title: div.closest('.block').querySelector('h3').textContent,
          traces: (div._fullData || []).length, width: box.width, height: box.height,
          marks: marks.length};
});
"""


def chromium_driver(profile: Path):
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        pytest.fail("Chromium and ChromeDriver are not installed: run scripts/ensure_chromium.sh"
                    " (`make test` does)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1000",
                 "--proxy-server=http://127.0.0.1:9", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))


def open_page(driver, page: Path) -> list[dict]:
    """Load `page` and wait until every plot it declares has drawn; the plots' state."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(page.resolve().as_uri())
    declared = int(driver.execute_script(
        "return document.querySelector('meta[name=cdp-plots]').content"))
    with suppress(TimeoutException):  # then the state says which plots stayed empty
        WebDriverWait(driver, 60).until(lambda d: sum(
            plot["marks"] > 0 for plot in d.execute_script(PLOTS_STATE)) >= declared)
    plots = driver.execute_script(PLOTS_STATE)
    assert len(plots) == declared, f"{declared} plots declared, {len(plots)} on the page"
    return plots


def console_errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser")
            if entry["level"] == "SEVERE"]


def screenshot(driver, path: Path) -> None:
    """The whole page, not only the window."""
    shot = driver.execute_cdp_cmd("Page.captureScreenshot",
                                  {"format": "png", "captureBeyondViewport": True})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))

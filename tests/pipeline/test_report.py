"""`cdp report` on (a copy of) the session's generated warehouse after one sync, opened in
headless Chromium: every section is there, every plot draws, the console stays clean, the
numbers are the warehouse's, and a person's page shows their record, ID graph and timeline.
Screenshots are kept in test-artifacts/ (CDP_TEST_ARTIFACTS)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from cdp.report import charts
from cdp.report.document import Figure, Section, Table, render_page, write_atomically
from cdp.settings import PROJECT_DIR
from tests.report.browser import chromium_driver, console_errors, open_page, screenshot

ARTIFACTS = Path(os.environ.get("CDP_TEST_ARTIFACTS", PROJECT_DIR / "test-artifacts"))
SECTIONS = ["Identity", "Audiences", "Value", "Attribution", "Sync health", "Data quality"]


@dataclass(frozen=True)
class Pages:
    overview: Path
    person: Path
    person_id: str
    email: str
    env: dict


def _cdp(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cdp.cli", *args], env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def pages(warehouse, tmp_path_factory) -> Pages:
    """The pages of a copy of the session's warehouse on which a sync has run."""
    out = tmp_path_factory.mktemp("report")
    shutil.copy(warehouse.duckdb_path, out / "cdp.duckdb")
    (out / "syncs").mkdir()
    (out / "syncs" / "contacts_export.yml").write_text(json.dumps({
        "name": "contacts_export", "source": {"model": "stg_crm__contacts"},
        "primary_key": "contact_id", "mode": "upsert", "purpose": "service",
        "destination": {"type": "file", "config": {"path": str(out / "exports"),
                                                   "format": "csv"}},
        "fields": {"email": "email"}}))
    env = {**os.environ, "CDP_DUCKDB_PATH": str(out / "cdp.duckdb"),
           "CDP_RAW_DIR": str(warehouse.raw_dir), "CDP_SYNCS_DIR": str(out / "syncs"),
           "CDP_EXPORT_ROOT": str(out), "COLUMNS": "200"}
    done = _cdp(env, "sync", "run", "contacts_export")
    assert done.returncode == 0, done.stdout + done.stderr
    done = _cdp(env, "report", "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    # The person with a probabilistic link and the most identifiers: the richest page.
    [(person_id, email)] = warehouse.rows("""
        select customers.person_id, customers.email from marts.dim_customers as customers
        where customers.email is not null
        order by exists (select 1 from marts.fct_identity_links as links
                         where links.person_id = customers.person_id
                             and links.link_type = 'probabilistic') desc,
            customers.identifier_count desc, customers.person_id
        limit 1""")
    done = _cdp(env, "report", "--person", email.upper(), "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    return Pages(out / "index.html", out / "persons" / f"{person_id}.html", person_id, email,
                 env)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = chromium_driver(tmp_path_factory.mktemp("chromium"))
    yield driver
    driver.quit()


def _empty(plots: list[dict]) -> list[dict]:
    return [plot for plot in plots if not (plot["traces"] and plot["marks"]
                                           and plot["width"] > 100 and plot["height"] > 100)]


def test_the_overview_has_every_section_and_draws_every_plot(pages, browser):
    plots = open_page(browser, pages.overview)
    screenshot(browser, ARTIFACTS / "report-overview.png")
    assert console_errors(browser) == []
    headings = [h.text for h in browser.find_elements("css selector", "section h2")]
    assert headings == SECTIONS
    assert _empty(plots) == []
    titles = {plot["title"] for plot in plots}
    assert {"Identifiers per person", "Overlaps between audiences", "RFM grid",
            "CLV distribution", "P(alive) vs recency", "Cohort retention", "KPI trends",
            "Attributed revenue by channel", "Rejects per source and reason",
            "Source freshness", "Records sent per sync"} <= titles
    assert len(plots) >= 18


def test_the_overview_shows_the_warehouses_numbers(pages, warehouse):
    html = pages.overview.read_text()
    [(persons, blocked)] = warehouse.rows("""
        select (select count(*) from marts.dim_customers),
            (select count(*) from marts.dim_identity_identifiers where status = 'blocked')""")
    assert re.search(rf">{persons:,}</div><div class=\"label\">persons \(golden records\)", html)
    assert re.search(rf">{blocked:,}</div><div class=\"label\">blocked identifiers", html)
    assert "Evaluation against the ground truth" in html  # generated data has a truth


def test_the_pages_need_no_network(pages):
    for page in (pages.overview, pages.person):
        html = page.read_text()
        assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)=", html, re.I)
        assert "Plotly.newPlot" in html


def test_a_person_page_shows_record_graph_timeline_audiences(pages, browser, warehouse):
    plots = open_page(browser, pages.person)
    screenshot(browser, ARTIFACTS / "report-person.png")
    assert console_errors(browser) == []
    assert _empty(plots) == []
    headings = [h.text for h in browser.find_elements("css selector", "section h2")]
    assert headings == ["Golden record", "Identifiers and ID graph", "Timeline", "Audiences",
                        "Consent"]
    [(identifiers, links)] = warehouse.rows(f"""
        select (select count(*) from marts.dim_identity_identifiers
                where person_id = '{pages.person_id}'),
            (select count(*) from marts.fct_identity_links
             where person_id = '{pages.person_id}')""")
    drawn = browser.execute_script("""
        const graph = [...document.querySelectorAll('.plotly-graph-div')].find(
            div => div.closest('.block').querySelector('h3').textContent === 'ID graph');
        const count = mode => graph._fullData.filter(t => t.mode === mode)
            .reduce((n, t) => n + t.x.filter(x => x !== null).length, 0);
        return [count('markers+text'), count('lines') / 2];""")
    assert drawn == [identifiers, links]
    assert pages.email in browser.find_element("css selector", "#record").text


def test_values_from_exports_are_shown_as_text_not_markup(browser, tmp_path):
    hostile = "<img src=x onerror=\"document.title='injected'\"><b>bold</b>"
    frame = pd.DataFrame({"channel": [hostile, "email"], "persons": [3, 5]})
    page = tmp_path / "hostile.html"
    write_atomically(page, render_page("Hostile values", hostile, [Section("s", "Section", [
        Table("Table", frame), Figure("Bars", charts.bars(frame, "channel", "persons"))])]))
    plots = open_page(browser, page)
    assert _empty(plots) == []
    assert browser.title == "Hostile values"
    assert browser.find_elements("css selector", "img, b") == []
    assert hostile in browser.find_element("css selector", "table").text
    assert console_errors(browser) == []


def test_a_shared_identifier_names_no_person(pages, warehouse):
    [(phone,)] = warehouse.rows("""
        select id_value from marts.dim_identity_identifiers as identifiers
        where status = 'shared' and not exists (
            select 1 from marts.dim_customers as customers
            where customers.person_id = identifiers.person_id)
        order by id_value limit 1""")
    done = _cdp(pages.env, "report", "--person", phone, "--out", str(pages.overview.parent))
    assert done.returncode == 1
    assert "belongs to no single person" in done.stdout and "Traceback" not in done.stderr


def test_a_file_the_report_did_not_write_is_left_alone(pages, tmp_path):
    mine = tmp_path / "index.html"
    mine.write_text("<html>my own dashboard</html>")
    done = _cdp(pages.env, "report", "--out", str(tmp_path))
    assert done.returncode == 1 and "not a page `cdp report` wrote" in done.stdout
    assert mine.read_text() == "<html>my own dashboard</html>"
    assert "Traceback" not in done.stderr

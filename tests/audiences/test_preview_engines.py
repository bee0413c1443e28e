"""`cdp audiences preview` runs the rule as compiled for the active engine (the text dbt runs
there), not the DuckDB rule transpiled: on the same golden records, DuckDB and PostgreSQL
count the same matches and members, with the same arms, for rules whose spelling differs
between the engines (`contains`, which PostgreSQL lacks, and a `%` pattern, which its driver
would take for a placeholder)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from cdp.audiences.compile import compile_audiences
from cdp.audiences.preview import run_preview
from cdp.warehouse import open_warehouse
from tests.reverse_etl.fakes.postgres_server import active_postgres_database

CUSTOMERS = pa.table({
    "person_id": [f"prs_{n:03d}" for n in range(200)],
    "email": [f"{'shop' if n % 3 else 'home'}{n}@mail.{'com' if n % 4 else 'org'}"
              for n in range(200)],
    "orders": [n % 5 for n in range(200)],
})
AUDIENCES = {
    "shoppers.yml": """name: shoppers
description: Shoppers with a .com address and a few orders.
owner: growth@example.com
rule: contains(email, 'shop') and email like '%.com' and orders >= 2
holdout: 10
""",
    "regulars.yml": """name: regulars
description: Everybody else with orders.
owner: growth@example.com
rule: orders >= 1
exclude: [shoppers]
""",
}


@pytest.fixture
def compiled(tmp_path):
    folder = tmp_path / "audiences"
    folder.mkdir()
    for name, text in AUDIENCES.items():
        (folder / name).write_text(text)
    return compile_audiences(folder)


def _preview_everything(compiled) -> list:
    with open_warehouse() as warehouse:
        warehouse.execute("create schema if not exists marts")
        warehouse.write_table("marts.dim_customers", CUSTOMERS)
    previews = [run_preview(audience, compiled) for audience in compiled]
    return [(p.rule_matches, p.members, p.arms, p.sample) for p in previews]


def test_duckdb_and_postgres_previews_agree(compiled, tmp_path, monkeypatch):
    monkeypatch.setenv("CDP_TARGET", "duckdb")
    monkeypatch.setenv("CDP_DUCKDB_PATH", str(tmp_path / "cdp.duckdb"))
    on_duckdb = _preview_everything(compiled)
    with active_postgres_database(monkeypatch, "preview"):
        on_postgres = _preview_everything(compiled)
    shoppers = on_duckdb[[c.audience.name for c in compiled].index("shoppers")]
    assert 0 < shoppers[1] < len(CUSTOMERS) and len(shoppers[2]) == 2  # holdout and treatment
    assert on_postgres == on_duckdb

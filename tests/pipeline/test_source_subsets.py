"""Any subset of the sources builds green: a business that only has a CRM export, only shop
orders, only web tracking... gets golden records for the people in it, and nothing in the
build fails or is skipped because the other sources are empty.

The data is generated once (few persons), then each subset keeps only its own export files
(`load_raw` still creates every raw table, empty). Each subset is built once, lazily, into
the same warehouse path and then moved away, so every dbt run after the first re-uses the
parsed project (dbt re-parses everything when the profile's path changes). Unit tests are
left out of these builds: they do not read the data and run in every other build.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from cdp.build import build_project
from cdp.generate import generate_sources
from cdp.load import load_raw
from cdp.load.tables import RAW_TABLES

PERSONS = 150
SEED = 7
# dbt node statuses that mean the build did not do its job for that node.
BAD_STATUSES = {"error", "fail", "runtime error", "skipped"}

SUBSETS: dict[str, tuple[str, ...]] = {
    "crm": ("crm_contacts",),
    "orders": ("shop_orders", "shop_order_items"),
    "web": ("web_events",),
    "app": ("app_events",),
    "esp": ("esp_email_events",),
    "helpdesk": ("helpdesk_tickets",),
    "billing": ("billing_subscriptions",),
    "consent": ("consent_events",),
    "all": tuple(table.name for table in RAW_TABLES),
}
# The default run keeps these; the other single sources are `slow` (see _PARAMS).
DEFAULT_SUBSETS = ("crm", "orders", "all")


@dataclass(frozen=True)
class SubsetBuild:
    name: str
    tables: tuple[str, ...]
    raw_dir: Path
    duckdb_path: Path
    statuses: dict[str, str]  # node unique_id -> status
    messages: dict[str, str]
    seconds: float

    def rows(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.duckdb_path), read_only=True) as con:
            con.execute(
                "create or replace temp view truth as select * from read_parquet("
                f"'{self.raw_dir / '_truth' / 'records.parquet'}')"
            )
            return con.execute(sql).fetchall()


def _keep_only(raw_dir: Path, tables: tuple[str, ...]) -> None:
    """Delete the export files of every raw table not in `tables` (the truth stays)."""
    for table in RAW_TABLES:
        if table.name not in tables:
            for path in raw_dir.glob(table.pattern):
                path.unlink()


@pytest.fixture(scope="module")
def build_subset(tmp_path_factory):
    root = tmp_path_factory.mktemp("subsets")
    generated = root / "generated"
    generate_sources(generated, PERSONS, seed=SEED, show_progress=False)
    work_db = root / "work" / "cdp.duckdb"
    work_db.parent.mkdir()
    dbt_paths = ["--target-path", str(root / "target"), "--log-path", str(root / "logs")]
    builds: dict[str, SubsetBuild] = {}

    def build(name: str) -> SubsetBuild:
        if name in builds:
            return builds[name]
        started = time.perf_counter()
        tables = SUBSETS[name]
        raw_dir = root / name / "raw"
        shutil.copytree(generated, raw_dir)
        _keep_only(raw_dir, tables)
        load_raw(raw_dir, work_db)
        nodes = build_project(["--exclude-resource-type", "unit_test", *dbt_paths],
                              duckdb_path=work_db, check=False)
        duckdb_path = root / name / "cdp.duckdb"
        work_db.rename(duckdb_path)
        builds[name] = SubsetBuild(
            name, tables, raw_dir, duckdb_path,
            statuses={r.node.unique_id: str(r.status) for r in nodes},
            messages={r.node.unique_id: (r.message or "") for r in nodes},
            seconds=time.perf_counter() - started,
        )
        return builds[name]

    return build


_PARAMS = [name if name in DEFAULT_SUBSETS else pytest.param(name, marks=pytest.mark.slow)
           for name in SUBSETS]


@pytest.mark.parametrize("name", _PARAMS)
def test_a_subset_of_sources_builds_green_with_its_persons(build_subset, name):
    built = build_subset(name)
    bad = sorted(f"{node}: {status} {built.messages[node]}".strip()
                 for node, status in built.statuses.items() if status in BAD_STATUSES)
    assert bad == [], f"{name} ({built.seconds:.0f} s): nodes that failed or were skipped"
    assert len(built.statuses) > 400

    tables = ", ".join(f"'{t}'" for t in built.tables)
    # Golden records are exactly the persons the subset's records resolve to.
    [(customers, resolved, other_sources, no_first_seen, no_cohort)] = built.rows(f"""
        select
            (select count(*) from marts.dim_customers),
            (select count(distinct person_id) from intermediate.int_identity__record_persons
             where person_id is not null and source_table in ({tables})),
            (select count(*) from intermediate.int_identity__record_persons
             where source_table not in ({tables})),
            (select count(*) from marts.dim_customers where first_seen_at is null),
            (select count(*) from marts.dim_customers where acquisition_cohort_month is null)
    """)
    assert customers == resolved > 0
    assert other_sources == 0
    assert (no_first_seen, no_cohort) == (0, 0)

    # Nearly every true person with a clean row in the subset has a golden record holding it
    # (a person whose only identifiers are junk, e.g. test@test.com, cannot be resolved).
    [(true_persons, with_record)] = built.rows(f"""
        with clean as (
            select truth.person_id as true_person_id, dim.person_id
            from truth
            left join intermediate.int_identity__record_persons as resolved
                on truth.source_table = resolved.source_table
                and md5(truth.source_table || '-' || truth.source_file || '-'
                        || cast(truth.source_row as varchar)) = resolved.source_record_key
            left join marts.dim_customers as dim on resolved.person_id = dim.person_id
            where truth.defect is null and truth.source_table in ({tables})
        )
        select count(distinct true_person_id),
               count(distinct true_person_id) filter (where person_id is not null)
        from clean
    """)
    assert true_persons > 0
    assert with_record >= 0.95 * true_persons

    # The as-of instant falls back to any activity when nobody did anything.
    [(basis,)] = built.rows("select as_of_basis from intermediate.int_customers__as_of")
    person_initiated = {"web_events", "app_events", "shop_orders", "esp_email_events",
                        "helpdesk_tickets"}
    expected = ("person_initiated_activity" if person_initiated & set(built.tables)
                else "any_activity")
    assert basis == expected

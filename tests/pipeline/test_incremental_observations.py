"""Identity observations and record identifiers are kept per load: an incremental run reads
only the loads it does not hold, and reads a load again when it changed in its base model
(here: a raw row erased).

Held rows are marked in place between runs; a mark that survives a run proves the load was
not read again, a mark that vanishes proves it was. The incremental-equals-full test checks
that the result is still exactly a full refresh's.
"""

from __future__ import annotations

import duckdb
import pytest

from cdp.build import build_project
from cdp.generate import generate_sources
from cdp.generate.deliveries import deliver, split_deliveries
from cdp.load import load_raw

SELECT = ["--select", "+int_identity__record_identifiers", "--indirect-selection",
          "cautious"]
OBSERVATIONS = "intermediate.int_identity__observations"
RECORD_IDENTIFIERS = "intermediate.int_identity__record_identifiers"
MARK = "#held"


def _mark(database, source_table: str) -> tuple[int, int]:
    """Marks every held observation and record identifier of `source_table` (a suffix on the
    value, on the type); returns how many of each."""
    with duckdb.connect(str(database)) as con:
        con.execute(f"update {OBSERVATIONS} set id_value = id_value || '{MARK}'"
                    " where source_table = ?", [source_table])
        con.execute(f"update {RECORD_IDENTIFIERS} set id_type = id_type || '{MARK}'"
                    " where source_table = ?", [source_table])
        return _marked(con, source_table)


def _marked(con, source_table: str) -> tuple[int, int]:
    return con.execute(
        f"select (select count(*) from {OBSERVATIONS} where source_table = $1"
        f" and id_value like '%{MARK}'), (select count(*) from {RECORD_IDENTIFIERS}"
        f" where source_table = $1 and id_type like '%{MARK}')", [source_table]).fetchone()


def _build(database) -> None:
    """The models up to record identifiers. Their data tests may fail: the marks make the held
    rows disagree with what a rebuild would give (that is what they show)."""
    results = build_project(SELECT, duckdb_path=database, check=False)
    models = {r.node.name: str(r.status) for r in results if r.node.resource_type == "model"}
    assert models and set(models.values()) == {"success"}, models


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("observations")
    generate_sources(root / "generated", 300, seed=5, show_progress=False)
    split_deliveries(root / "generated", root / "feed", root / "later", share=0.05)
    database = root / "cdp.duckdb"
    load_raw(root / "feed", database)
    build_project(SELECT, duckdb_path=database)
    return root, database


def test_a_run_reads_only_the_new_loads_then_a_changed_load_again(warehouse):
    root, database = warehouse
    marked_web, marked_crm = _mark(database, "web_events"), _mark(database, "crm_contacts")
    assert min(marked_web + marked_crm) > 100

    deliver(root / "later", root / "feed")
    load_raw(root / "feed", database, incremental=True)
    _build(database)
    with duckdb.connect(str(database)) as con:
        # the first load was kept as it was held; the new load was read
        assert (_marked(con, "web_events"), _marked(con, "crm_contacts")) == (
            marked_web, marked_crm)
        loads = con.execute(f"select count(distinct loaded_at) from {OBSERVATIONS}"
                            " where source_table = 'web_events'").fetchone()[0]
        assert loads == 2
        # a raw web event of the first load is erased (as `cdp forget` purges raw rows)
        (erased,) = con.execute(
            "select source_record_key from staging.base_web__events where loaded_at ="
            " (select min(loaded_at) from staging.base_web__events) and anonymous_id is not null"
            " and reject_reason is null order by source_record_key limit 1").fetchone()
        con.execute("delete from raw.web_events where (_source_file, _source_row) in (select"
                    " source_file, source_row from staging.base_web__events"
                    " where source_record_key = ?)", [erased])

    _build(database)
    with duckdb.connect(str(database)) as con:
        # the changed load was read again, the unchanged source kept
        assert (_marked(con, "web_events"), _marked(con, "crm_contacts")) == (
            (0, 0), marked_crm)
        for model in (OBSERVATIONS, RECORD_IDENTIFIERS):
            assert con.execute(f"select count(*) from {model} where source_record_key = ?",
                               [erased]).fetchone() == (0,), model

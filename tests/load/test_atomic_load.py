"""A load publishes every file or changes nothing, in full and incremental mode, also when the
process is killed part-way (the next load converges)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from cdp.load import LoadError, load_raw
from tests.load.raw_helpers import (
    csv_header,
    csv_line,
    rows,
    snapshot,
    staging_tables,
    write,
)

BAD_ORDERS = "shop/orders_2026-11-02.csv"


def _exports(raw: Path, version: int) -> None:
    """A set of exports touching tables before and after shop_orders, with unreadable lines
    (so `_load_errors` has rows); `version` changes their contents."""
    write(raw / "crm/contacts.csv", [csv_header("crm_contacts"),
                                     csv_line("crm_contacts", contact_id=f"CRM-{version}"),
                                     "CRM-broken,line"])
    write(raw / "web/events.jsonl", [f'{{"messageId": "m{version}"}}', "{broken"])
    write(raw / "shop/orders.csv", [csv_header("shop_orders"),
                                    csv_line("shop_orders", order_id=f"ORD-{version}")])
    write(raw / "consent/consent_events.jsonl", [f'{{"consent_id": "c{version}"}}'])


def _bad_file(raw: Path) -> None:
    write(raw / BAD_ORDERS, ["order,total", "ORD-9,1.00"])


def test_a_bad_file_in_the_middle_changes_nothing_in_a_full_load(tmp_path):
    raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
    _exports(raw, 1)
    load_raw(raw, db)
    before = snapshot(db)
    assert before["_load_errors"] and len(before["_loaded_files"]) == 4

    _exports(raw, 2)
    _bad_file(raw)
    with pytest.raises(LoadError, match=rf"^{BAD_ORDERS}: expected columns .* raw\.shop_orders"):
        load_raw(raw, db)
    assert snapshot(db) == before


def test_a_bad_file_changes_nothing_in_an_incremental_load(tmp_path):
    raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
    _exports(raw, 1)
    load_raw(raw, db, incremental=True)
    before = snapshot(db)

    write(raw / "crm/contacts_2026-11-02.csv", [csv_header("crm_contacts"),
                                                csv_line("crm_contacts", contact_id="CRM-2")])
    write(raw / "consent/consent_events_2026-11-02.jsonl", ['{"consent_id": "c2"}'])
    _bad_file(raw)
    with pytest.raises(LoadError, match=BAD_ORDERS):
        load_raw(raw, db, incremental=True)
    assert snapshot(db) == before
    assert staging_tables(db) == []

    (raw / BAD_ORDERS).unlink()  # fixed: the next incremental load takes the new files
    load_raw(raw, db, incremental=True)
    assert rows(db, "select contact_id from raw.crm_contacts order by 1") == [
        ("CRM-1",), ("CRM-2",)]
    assert rows(db, "select count(*) from raw._loaded_files") == [(6,)]


def test_a_failed_first_load_leaves_no_raw_schema(tmp_path):
    raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
    _bad_file(raw)
    with pytest.raises(LoadError):
        load_raw(raw, db)
    assert rows(db, "select count(*) from duckdb_schemas() where schema_name = 'raw'") == [(0,)]


# Runs in a child process that SIGKILLs itself: after the first file is staged, or in the
# publishing transaction after two tables were swapped in.
_KILLED_LOAD = """
import os, signal, sys
from pathlib import Path
from cdp.load import load_raw
from cdp.load.staging import Staging

def die(*_):
    os.kill(os.getpid(), signal.SIGKILL)

class DiesAfterTwoSwaps:
    def __init__(self, con):
        self.con, self.swaps = con, 0
    def execute(self, sql, *args):
        if sql.startswith("alter table") or sql.startswith("insert into raw."):
            self.swaps += 1
            if self.swaps > 2:
                die()
        return self.con.execute(sql, *args)

publish = Staging.publish
def dying_publish(self):
    self.con = DiesAfterTwoSwaps(self.con)
    publish(self)

raw, db, where, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
if where == "publish":
    Staging.publish = dying_publish
load_raw(raw, db, incremental=mode == "incremental", on_file=die if where == "stage" else None)
"""


@pytest.mark.parametrize("mode", ["full", "incremental"])
@pytest.mark.parametrize("where", ["stage", "publish"])
def test_a_killed_load_changes_nothing_and_the_next_load_converges(tmp_path, where, mode):
    raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
    _exports(raw, 1)
    load_raw(raw, db, incremental=mode == "incremental")
    before = snapshot(db)
    _exports(raw, 2)
    os.utime(raw / "crm/contacts.csv", (1, 1))  # a rewritten file, new to incremental mode
    write(raw / "crm/contacts_2026-11-02.csv", [csv_header("crm_contacts"),
                                                csv_line("crm_contacts", contact_id="CRM-3")])

    killed = subprocess.run([sys.executable, "-c", _KILLED_LOAD, str(raw), str(db), where, mode],
                            capture_output=True, text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert snapshot(db) == before

    load_raw(raw, db, incremental=mode == "incremental")
    assert staging_tables(db) == []
    assert ("crm/contacts_2026-11-02.csv",) in rows(db, "select source_file from raw._loaded_files")
    expected = {"CRM-2", "CRM-3"} | ({"CRM-1"} if mode == "incremental" else set())
    assert {c for (c,) in rows(db, "select contact_id from raw.crm_contacts")} == expected


def test_a_table_that_cannot_take_the_new_rows_rolls_the_whole_publish_back(tmp_path):
    """Incremental loads append to the published tables inside the one transaction: when a
    later table refuses (here: changed by hand since), the earlier appends are undone too."""
    raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
    _exports(raw, 1)
    load_raw(raw, db, incremental=True)
    with duckdb.connect(str(db)) as con:
        con.execute("alter table raw.consent_events rename column payload to body")
    before = snapshot(db)
    write(raw / "crm/contacts_2026-11-02.csv", [csv_header("crm_contacts"),
                                                csv_line("crm_contacts", contact_id="CRM-2")])
    write(raw / "consent/consent_events_2026-11-02.jsonl", ['{"consent_id": "c2"}'])
    with pytest.raises(LoadError, match=r"^raw\.consent_events could not be published .*"
                                        r"without --incremental"):
        load_raw(raw, db, incremental=True)
    assert snapshot(db) == before
    assert staging_tables(db) == []

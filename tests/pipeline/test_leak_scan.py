"""The scanners of test_no_secret_leaks find what they look for (a scan that cannot fail
proves nothing): a sentinel in a nested file, in a DuckDB table's cells of any type, in a
view's SQL, and nothing where it is absent."""

from __future__ import annotations

import duckdb

from tests.pipeline.leak_scan import files_containing, tables_containing

SENTINEL = "tulip0123456789ab"


def test_a_planted_sentinel_is_found_in_a_nested_binary_file(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "event.db").write_bytes(b"\x00\x01" + SENTINEL.encode() + b"\xff")
    (tmp_path / "clean.log").write_text("nothing here")
    assert files_containing([tmp_path], [SENTINEL, "absent"]) == {
        SENTINEL: [tmp_path / "a" / "b" / "event.db"]}


def test_a_planted_sentinel_is_found_in_any_cell_type_and_view_sql(tmp_path):
    db = tmp_path / "w.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create schema cdp_sync")
        con.execute("create table cdp_sync.runs (id int, error varchar)")
        con.execute("insert into cdp_sync.runs values (1, 'clean')")
        con.execute("create table main.nested (tags varchar[], meta struct(note varchar))")
        con.execute("insert into main.nested values (['a', ?], {'note': 'x'})", [SENTINEL])
        # Many distinct reasons quoting it: DuckDB compresses them (FSST), so the file's bytes
        # do not hold it as written, and only a query finds it.
        con.execute("create table main.wide as select 'record ' || i || ': token ' || ?"
                    " || ' rejected' as reason from range(100000) as t(i)", [SENTINEL])
        con.execute(f"create view main.v as select '{SENTINEL}' as leaked")
    with duckdb.connect(str(tmp_path / "only_wide.duckdb")) as con:
        con.execute("attach ? as w (read_only)", [str(db)])
        con.execute("create table wide as select * from w.main.wide")
    assert files_containing([tmp_path / "only_wide.duckdb"], [SENTINEL]) == {}
    assert tables_containing(db, [SENTINEL]) == {
        SENTINEL: ["main.nested", "main.wide", "main.v (view SQL)"]}
    assert tables_containing(db, [SENTINEL], schemas={"cdp_sync"}) == {}
    assert tables_containing(db, ["absent"]) == {}

"""Splitting an export folder into a first and a later delivery keeps every record exactly
once, at record boundaries, under names the loader picks up."""

from __future__ import annotations

import duckdb

from cdp.generate import generate_sources
from cdp.generate.deliveries import deliver, split_deliveries
from cdp.load import load_raw
from cdp.load.tables import RAW_TABLES


def _lines(db) -> dict[str, int]:
    """Records per raw table, the unreadable ones (raw._load_errors) included."""
    with duckdb.connect(str(db), read_only=True) as con:
        return {t.name: con.execute(
            f"select (select count(*) from raw.{t.name}) + (select count(*) from"
            " raw._load_errors where source_table = ?)", [t.name]).fetchone()[0]
            for t in RAW_TABLES}


def _rows(db) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t.name: sorted(map(repr, con.execute(
            f"select * exclude (_source_file, _source_row, _loaded_at) from raw.{t.name}"
        ).fetchall())) for t in RAW_TABLES}


def test_first_plus_later_delivery_loads_the_same_rows_as_the_original(tmp_path):
    generate_sources(tmp_path / "generated", 300, seed=5, show_progress=False)
    held = split_deliveries(tmp_path / "generated", tmp_path / "feed", tmp_path / "later",
                            share=0.05)
    assert all(count > 0 for count in held.values()), held
    load_raw(tmp_path / "feed", tmp_path / "first.duckdb")
    first = _lines(tmp_path / "first.duckdb")
    copied = deliver(tmp_path / "later", tmp_path / "feed")
    assert len(copied) == len(RAW_TABLES)
    load_raw(tmp_path / "feed", tmp_path / "split.duckdb")
    load_raw(tmp_path / "generated", tmp_path / "original.duckdb")
    split, original = _rows(tmp_path / "split.duckdb"), _rows(tmp_path / "original.duckdb")
    assert split == original
    total = _lines(tmp_path / "original.duckdb")
    assert {t: total[t] - first[t] for t in total} == held  # the later part is the rest


def test_a_quoted_field_spanning_lines_is_never_cut(tmp_path):
    source = tmp_path / "src" / "crm"
    source.mkdir(parents=True)
    header = "contact_id,first_name,address_line1\n"
    records = [f'C{i},Ann,"{i} Main St\nFlat {i}"\n' for i in range(10)]
    (source / "contacts.csv").write_text(header + "".join(records))
    held = split_deliveries(tmp_path / "src", tmp_path / "first", tmp_path / "later",
                            share=0.3)
    assert held == {"crm_contacts": 3}
    assert (tmp_path / "first" / "crm" / "contacts.csv").read_text() == header + "".join(
        records[:7])
    assert (tmp_path / "later" / "crm" / "contacts_later.csv").read_text() == header + "".join(
        records[7:])

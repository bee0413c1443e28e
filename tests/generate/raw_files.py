"""Generated files read back with plain Python (no loader, no dbt), joined to their truth."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from cdp.generate.config import SOURCES, SOURCES_BY_TABLE, Source

PERSONS = 2_000
SEED = 11


def read_source(raw_dir: Path, source: Source) -> list[dict]:
    """Every data row of a source's file as a dict with `_row` (the 1-based data row number).

    Lines that do not parse (the injected line-level defects) come back as {'_row': n} only.
    """
    path = raw_dir / source.path
    if source.fmt == "parquet":
        return [{"_row": i, **r} for i, r in enumerate(pq.read_table(path).to_pylist(), 1)]
    lines = path.read_text(encoding="utf-8").splitlines()
    if source.fmt == "csv":
        header, rows = lines[0].split(","), []
        for i, line in enumerate(lines[1:], 1):
            values = next(csv.reader([line]))
            rows.append({"_row": i, **dict(zip(header, values, strict=True))}
                        if len(values) == len(header) else {"_row": i})
        return rows
    rows = []
    for i, line in enumerate(lines, 1):
        try:
            rows.append({"_row": i, **json.loads(line)})
        except json.JSONDecodeError:
            rows.append({"_row": i})
    return rows


@dataclass
class Generated:
    raw_dir: Path
    manifest: dict

    def truth(self, sql: str) -> list[tuple]:
        """Run `sql` with views `truth` (records) and `persons` over the truth files."""
        with duckdb.connect() as con:
            con.execute(f"create view truth as select * from "
                        f"'{self.raw_dir / '_truth' / 'records.parquet'}'")
            con.execute(f"create view persons as select * from "
                        f"'{self.raw_dir / '_truth' / 'persons.parquet'}'")
            return con.execute(sql).fetchall()

    def with_truth(self, table: str, sql: str) -> list[tuple]:
        """Run `sql` over view `rows`: the parsed rows of `table` joined to their truth."""
        source = next(s for s in SOURCES if s.table == table)
        rows = read_source(self.raw_dir, source)
        keys = sorted({k for r in rows for k in r})
        data = pa.table({k: pa.array([_text(r.get(k)) for r in rows], pa.string()) for k in keys})
        with duckdb.connect() as con:
            con.register("parsed", data)
            con.execute(
                "create view rows as select parsed.*, truth.* exclude (source_row) from parsed"
                f" join '{self.raw_dir / '_truth' / 'records.parquet'}' as truth"
                f" on truth.source_table = '{table}' and truth.source_row = parsed._row::bigint"
            )
            return con.execute(sql).fetchall()


def _text(value) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def contacts_with_truth(raw_dir: Path) -> list[dict]:
    """The CRM export's rows, each with its truth row (`person_id`, `noise` as a list...)."""
    rows = read_source(raw_dir, SOURCES_BY_TABLE["crm_contacts"])
    truth = pq.read_table(raw_dir / "_truth" / "records.parquet").to_pylist()
    assert [t["source_row"] for t in truth] == [r["_row"] for r in rows]
    return [{**row, **t, "noise": t["noise"].split(",") if t["noise"] else []}
            for row, t in zip(rows, truth, strict=True)]

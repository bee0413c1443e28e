"""Split a generated export folder into what arrived first and a later delivery.

Incremental runs are tested and benchmarked on the same data as a full refresh: each export
file's last `share` of records (the exports are written roughly in time order, so these are
the newest rows plus some late ones) becomes a separate file of the later delivery, named so the
loader's pattern still picks it up (`web/events.jsonl` -> `web/events_<tag>.jsonl`). Loading
the first folder, then the later files incrementally, lands exactly the rows a full load of
both does. Files are split at record boundaries: a quoted CSV field spanning lines stays whole.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb

from cdp.load.tables import RAW_TABLES

csv.field_size_limit(1 << 30)  # a defect line may hold a very long field; it is copied whole


def _later_name(path: Path, tag: str) -> str:
    return f"{path.stem}_{tag}{path.suffix}"


def _split_text(path: Path, first: Path, later: Path, share: float, header: bool) -> int:
    """Copy the records before the split point to `first`, the rest (after the header, if
    any) to `later`; returns the number of later records."""
    with path.open(newline="", encoding="utf-8", errors="surrogateescape") as handle:
        if header:
            reader = csv.reader(handle)
            ends = [0] + [reader.line_num for _ in reader]  # line after each record
        else:
            ends = list(range(sum(1 for _ in handle) + 1))
    records = max(len(ends) - 1 - (1 if header else 0), 0)  # an empty export has none
    keep = records - int(records * share)
    split_line = ends[min(keep + (1 if header else 0), len(ends) - 1)]
    with path.open("rb") as source, first.open("wb") as head, later.open("wb") as tail:
        for number, line in enumerate(source):
            if number == 0 and header:
                tail.write(line)
            (head if number < split_line else tail).write(line)
    return records - keep


def _split_parquet(path: Path, first: Path, later: Path, share: float) -> int:
    con = duckdb.connect()
    try:
        scan = f"read_parquet('{path.as_posix()}', file_row_number = true)"
        (rows,) = con.execute(f"select count(*) from {scan}").fetchone()
        keep = rows - int(rows * share)
        for target, condition in ((first, f"< {keep}"), (later, f">= {keep}")):
            con.execute(f"copy (select * exclude (file_row_number) from {scan} where"
                        f" file_row_number {condition} order by file_row_number)"
                        f" to '{target.as_posix()}' (format parquet)")
    finally:
        con.close()
    return rows - keep


def split_deliveries(source: Path, first: Path, later: Path, *, share: float = 0.01,
                     tag: str = "later") -> dict[str, int]:
    """Write `source`'s export files into `first` and `later` (created; must not exist);
    returns the number of records held back per raw table."""
    if not 0 <= share < 1:
        raise ValueError(f"share must be in [0, 1), got {share}")
    held: dict[str, int] = {}
    for table in RAW_TABLES:
        for path in sorted(p for p in source.glob(table.pattern) if p.is_file()):
            rel = path.relative_to(source)
            for folder in (first, later):
                (folder / rel.parent).mkdir(parents=True, exist_ok=True)
            head, tail = first / rel, later / rel.parent / _later_name(path, tag)
            if table.file_format == "parquet":
                count = _split_parquet(path, head, tail, share)
            else:
                count = _split_text(path, head, tail, share, header=table.file_format == "csv")
            held[table.name] = held.get(table.name, 0) + count
    return held


def deliver(later: Path, into: Path) -> list[Path]:
    """Copy the later delivery's files into the folder the loader reads (new files only)."""
    copied = []
    for path in sorted(p for p in later.rglob("*") if p.is_file()):
        target = into / path.relative_to(later)
        if target.exists():
            raise FileExistsError(f"{target} exists: a delivery never overwrites a file")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        copied.append(target)
    return copied

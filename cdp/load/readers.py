"""DuckDB scans of one raw file, each returning rows in file order plus the lines it could not read.

Row numbers matter: `_source_row` is how a reject, a staging row or the ground truth points back
at the exact line of the export. DuckDB's CSV reader skips lines it cannot parse (they go to
its rejects table), so the surviving rows are renumbered around the skipped lines.

An empty export (zero bytes, or only blank lines) is a normal delivery on a quiet day: it
loads as zero rows without a scan (a zero-byte CSV has no header to check). A text file that
is not UTF-8 is refused as a whole: rejecting only its non-ASCII lines would load a
silently thinned file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from cdp.load.errors import LoadError
from cdp.load.tables import RawTable
from cdp.warehouse.schemas import RAW

_BLANK = frozenset(b" \t\r\n\f\v")
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class BadLine:
    source_row: int
    error_type: str
    error_message: str
    raw_line: str


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _csv_scan(path: Path, table: RawTable, rejects: str) -> str:
    common = (
        f"store_rejects = true, rejects_table = '{rejects}', rejects_scan = '{rejects}_scan'"
    )
    if table.file_format == "jsonl":
        # One JSON document per line, kept verbatim: staging validates and extracts it.
        return (
            f"read_csv({_quote(str(path))}, columns = {{'payload': 'VARCHAR'}}, delim = chr(1),"
            f" quote = '', escape = '', header = false, auto_detect = false, {common})"
        )
    return (
        f"read_csv({_quote(str(path))}, all_varchar = true, header = true, delim = ',',"
        f" quote = '\"', escape = '\"', {common})"
    )


def is_empty_export(path: Path, table: RawTable) -> bool:
    """Zero bytes, or (text formats) nothing but whitespace and a byte-order mark.

    Reads only until the first other byte, which for any real export is near the start."""
    with path.open("rb") as handle:
        head = handle.read(len(_BOM))
        if not head:
            return True
        if table.file_format == "parquet":
            return False
        chunk = head[len(_BOM):] if head == _BOM else head
        while chunk:
            if not _BLANK.issuperset(chunk):
                return False
            chunk = handle.read(1 << 16)
    return True


def stage_file(
    con: duckdb.DuckDBPyConnection, path: Path, rel: str, table: RawTable, scratch: str
) -> list[BadLine]:
    """Scan `path` into temp table `scratch` with `_source_row`; return the unreadable lines."""
    if table.file_format == "parquet":
        con.execute(
            f"create or replace temp table {scratch} as "
            f"select * exclude (file_row_number), file_row_number + 1 as _source_row "
            f"from read_parquet({_quote(str(path))}, file_row_number = true)"
        )
        return []

    if table.file_format == "csv":
        _check_header_encoding(path, rel, table)
    rejects = f"{scratch}_rejects"
    con.execute(
        f"create or replace temp table {scratch}_scan as "
        f"select *, row_number() over () as _read_order from {_csv_scan(path, table, rejects)}"
    )
    header_lines = 1 if table.file_format == "csv" else 0
    bad = [
        BadLine(int(line) - header_lines, error_type, message, raw_line or "")
        for line, error_type, message, raw_line in con.execute(
            f"select line, string_agg(distinct error_type, '; '), "
            f"min_by(error_message, coalesce(column_idx, 0)), any_value(csv_line) "
            f"from {rejects} group by line order by line"
        ).fetchall()
    ]
    if undecodable := [b for b in bad if "INVALID ENCODING" in b.error_type]:
        raise _not_utf8(rel, table, undecodable[0].source_row + header_lines, len(undecodable))
    _number_rows_around(con, scratch, [b.source_row for b in bad])
    con.execute(f"drop table if exists {rejects}")
    con.execute(f"drop table if exists {rejects}_scan")
    return bad


def _not_utf8(rel: str, table: RawTable, line: int, count: int) -> LoadError:
    return LoadError(
        f"{rel}: line {line} is not valid UTF-8 ({count} such line(s)) for {RAW}.{table.name};"
        " the file contract is UTF-8 (docs/raw_sources.md): re-export the file as UTF-8"
    )


def _check_header_encoding(path: Path, rel: str, table: RawTable) -> None:
    """DuckDB names the columns of an undecodable header column0, column1, ...: the file
    would then be refused for "missing columns", which hides the real problem."""
    with path.open("rb") as handle:
        header = handle.readline(1 << 20)
    try:
        header.decode("utf-8")
    except UnicodeDecodeError:
        raise _not_utf8(rel, table, 1, 1) from None


def _number_rows_around(con: duckdb.DuckDBPyConnection, scratch: str, bad_rows: list[int]) -> None:
    """Give the k-th readable row the k-th data row number that is not a rejected line."""
    if not bad_rows:  # the usual file: the read order is the row number (a rename, no copy)
        con.execute(f"alter table {scratch}_scan rename column _read_order to _source_row")
        con.execute(f"drop table if exists {scratch}")
        con.execute(f"alter table {scratch}_scan rename to {scratch}")
        return
    (good_rows,) = con.execute(f"select count(*) from {scratch}_scan").fetchone()
    upper = good_rows + 2 * len(bad_rows) + max(bad_rows, default=0) + 1
    con.execute("create or replace temp table _bad_rows (source_row bigint)")
    for row in bad_rows:
        con.execute("insert into _bad_rows values (?)", [row])
    con.execute(
        f"""
        create or replace temp table {scratch} as
        with free_rows as (
            select range as source_row, row_number() over (order by range) as slot
            from range(1, {upper})
            where range not in (select source_row from _bad_rows)
        )
        select scan.* exclude (_read_order), free_rows.source_row as _source_row
        from {scratch}_scan as scan
        inner join free_rows on free_rows.slot = scan._read_order
        order by scan._read_order
        """
    )
    con.execute(f"drop table {scratch}_scan")

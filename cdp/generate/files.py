"""Writing rows as export files (CSV, JSON lines, Parquet), chunk by chunk, plus the truth file,
and claiming the output folder first.

Lines are assembled in DuckDB and written straight from Arrow buffers: no per-row Python work
except for the ~1% of lines that get a line-level defect.

The generator never deletes or overwrites a file it did not write: it writes into an empty
folder, or one whose manifest lists what it wrote there before (checked by SHA-256, so a file
someone replaced since is theirs), or with `force` into a folder with other files, which it
then leaves alone.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cdp.generate import sql
from cdp.generate.config import GENERATOR_VERSION, Source
from cdp.load.raw_folder import MANIFEST, read_generator_manifest, visible_files

FORCE_HINT = "choose an empty folder, or use --force to write there anyway"

TRUTH_SCHEMA = pa.schema([
    ("source_table", pa.string()), ("source_file", pa.string()), ("source_row", pa.int64()),
    ("record_id", pa.string()), ("person_id", pa.string()), ("defect", pa.string()),
    ("defect_column", pa.string()), ("true_email", pa.string()), ("true_phone", pa.string()),
    ("is_duplicate", pa.bool_()),
])


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _csv_field(value: str | None) -> str:
    """Python twin of the csv_field SQL macro, for the few lines rebuilt by hand."""
    if value is None:
        return ""
    return '"' + value.replace('"', '""') + '"' if ("," in value or '"' in value) else value


class SourceFile:
    """One export file being written; `append` adds rows and returns their row numbers."""

    def __init__(self, out_dir: Path, source: Source, con: duckdb.DuckDBPyConnection):
        self.source = source
        self.path = out_dir / source.path
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.con = con
        self.rows = 0
        self._parquet: pq.ParquetWriter | None = None
        self._text = None
        if source.fmt != "parquet":
            self._text = self.path.open("wb")
            if source.fmt == "csv":
                self._text.write((",".join(source.columns) + "\n").encode())

    def append(self, fields: pa.Table, broken: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        first = self.rows + 1
        self.rows += fields.num_rows
        if self.source.fmt == "parquet":
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.path, fields.schema, compression="zstd")
            self._parquet.write_table(fields)
        else:
            lines = self._lines(fields)
            if broken.any():
                lines = self._break(lines, fields, broken, rng)
            _write_lines(self._text, lines)
        return np.arange(first, self.rows + 1, dtype=np.int64)

    def close(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
        if self._text is not None:
            self._text.close()

    def _lines(self, fields: pa.Table) -> pa.Array:
        names = fields.column_names
        if self.source.fmt == "csv":
            expr = "concat_ws(',', " + ", ".join(f"csv_field({_quoted(c)})" for c in names) + ")"
        else:  # JSON object from per-key JSON texts; a null text leaves the key out
            parts = ", ".join(f"CASE WHEN {_quoted(c)} IS NOT NULL THEN '{json.dumps(c)}:' || "
                              f"{_quoted(c)} END" for c in names)
            expr = f"'{{' || concat_ws(',', {parts}) || '}}'"
        table = fields.append_column("_i", pa.array(np.arange(fields.num_rows)))
        return sql.run(self.con, f"SELECT {expr} AS line FROM t ORDER BY _i", t=table
                       ).column("line").combine_chunks()

    def _break(self, lines: pa.Array, fields: pa.Table, broken: np.ndarray,
               rng: np.random.Generator) -> pa.Array:
        rows = np.flatnonzero(broken)
        if self.source.fmt == "csv":
            records = fields.take(pa.array(rows)).to_pylist()
            new = [_broken_csv([_csv_field(v) for v in r.values()], rng) for r in records]
        else:
            new = [_broken_json(line, rng) for line in lines.take(pa.array(rows)).to_pylist()]
        return pc.replace_with_mask(lines, pa.array(broken), pa.array(new, pa.string()))


def _broken_csv(encoded: list[str], rng: np.random.Generator) -> str:
    """A line with too few or too many fields, which the CSV reader cannot split."""
    if rng.random() < 0.5:
        return ",".join(encoded[: int(rng.integers(1, len(encoded) - 1))])
    return ",".join([*encoded, "EXTRA", "FIELDS"])


def _broken_json(line: str, rng: np.random.Generator) -> str:
    """Truncated, single-quoted, or with an unescaped quote: what broken producers emit.

    (Not a trailing comma: DuckDB's JSON parser accepts `{"a": 1,}`.)
    """
    kind = int(rng.integers(0, 3))
    if kind == 1:
        return line.replace('"', "'", 2)
    if kind == 2 and '":"' in line:
        return line.replace('":"', '":""', 1)
    return line[: max(1, int(len(line) * rng.uniform(0.2, 0.9)))]


def _write_lines(handle, lines: pa.Array) -> None:
    """Write each string of `lines` plus a newline, straight from the Arrow data buffer."""
    if len(lines) == 0:
        return
    if lines.null_count:
        raise ValueError("cannot write null lines")
    newline, empty = pa.scalar("\n", pa.large_string()), pa.scalar("", pa.large_string())
    joined = pc.binary_join_element_wise(lines.cast(pa.large_string()), newline, empty)
    offsets = np.frombuffer(joined.buffers()[1], dtype=np.int64)[joined.offset:]
    data = joined.buffers()[2]
    handle.write(memoryview(data)[offsets[0]:offsets[len(joined)]])


class TruthFile:
    """`_truth/records.parquet`: one row per data row of every export file (a profile may
    add columns after TRUTH_SCHEMA's)."""

    def __init__(self, path: Path, schema: pa.Schema = TRUTH_SCHEMA):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._schema = schema
        self._writer = pq.ParquetWriter(path, schema, compression="zstd")

    def append(self, **columns) -> None:
        self._writer.write_table(pa.table(columns, schema=self._schema))

    def close(self) -> None:
        self._writer.close()


class OutputFolderError(RuntimeError):
    """The generator will not write to this folder; one line saying why and what to do."""


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(out_dir: Path, manifest: dict) -> None:
    """Replace manifest.json in one step (a crash leaves the old one or the new one)."""
    tmp = out_dir / f".{MANIFEST}.tmp"  # hidden: never counted as somebody's file
    tmp.write_text(json.dumps(manifest, indent=2) + "\n")
    os.replace(tmp, out_dir / MANIFEST)


def claim_output(out_dir: Path, paths: list[str], *, force: bool) -> None:
    """Make `out_dir` ready for writing `paths` without touching a file the generator did not
    write, or refuse with an `OutputFolderError` before changing anything."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputFolderError(f"{out_dir} is a file, not a folder; choose an empty folder")
    previous = read_generator_manifest(out_dir) if out_dir.is_dir() else None
    ours = previous.written if previous else {}
    if previous is None and out_dir.is_dir() and not force:
        others = list(visible_files(out_dir))
        if others:
            shown = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
            raise OutputFolderError(
                f"{out_dir} holds {len(others)} file(s) the generator did not write ({shown})"
                f" and no generator {MANIFEST}: {FORCE_HINT} (it never deletes or overwrites"
                " them)")
    changed = [p for p, digest in ours.items()
               if digest and (out_dir / p).is_file() and file_digest(out_dir / p) != digest]
    taken = [p for p in [*paths, *([] if previous else [MANIFEST])]
             if p not in ours and (out_dir / p).exists()]
    if changed or taken:
        named = [f"{p} (changed since the generator wrote it)" for p in changed]
        named += [f"{p} (not written by the generator)" for p in taken]
        raise OutputFolderError(
            f"{out_dir}: the generator would replace {', '.join(named)}; move"
            f" {'it' if len(named) == 1 else 'them'} away or choose an empty folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    # Until the final manifest replaces this one the folder reads as `unfinished`: a crash
    # leaves files that the next run may replace, and `cdp run` does not load them.
    write_manifest(out_dir, {"generator_version": GENERATOR_VERSION, "complete": False,
                             "written": dict.fromkeys(sorted({*ours, *paths}))})
    for path in sorted(ours.keys() - set(paths)):  # an older generator's files, not rewritten
        if (out_dir / path).is_file():
            (out_dir / path).unlink()

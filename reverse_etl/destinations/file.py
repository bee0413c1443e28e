"""CSV or Parquet export: every batch becomes one part file with an `op` column.

A batch counts as accepted only once its part file is complete on disk (written under a
temporary name, then published), so a crash never leaves half a batch that the engine thinks
was sent. Publishing is `os.link(temporary, final)`, which fails when `final` exists: a part
file is never overwritten, even when someone deleted earlier parts (numbering continues from
the highest part present) or another writer took the number first.

Sync YAML is untrusted, so the folder it names (relative paths are relative to the project)
must resolve, symlinks and `..` included, to a place inside the operator's export root
(`CDP_EXPORT_ROOT`, default `data/exports` in the project).
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from cdp.settings import PROJECT_DIR, export_root
from reverse_etl.destinations.base import (
    BatchResult,
    Capabilities,
    ConfigError,
    Destination,
    Record,
    require_keys,
)


class FileDestination(Destination):
    kind = "file"
    capabilities = Capabilities(batch_size=50_000, modes=frozenset({"upsert", "insert",
                                                                   "mirror"}),
                                personal_data=True)

    def __init__(self, sync_name: str, mode: str, config: dict) -> None:
        super().__init__(sync_name, mode)
        require_keys(self.kind, config, {"path"}, {"format"})
        self.format = config.get("format", "parquet")
        if self.format not in ("csv", "parquet"):
            raise ConfigError(f"file destination: format must be csv or parquet, "
                              f"not {self.format!r}")
        self.configured = Path(str(config["path"]))
        folder = self.configured  # relative paths are relative to the project
        self.requested = (folder if folder.is_absolute() else PROJECT_DIR / folder) / sync_name
        self.folder = self._checked_folder()  # created on the first write: checking has no effects
        self.part_name = re.compile(rf"part-(\d+)\.{self.format}")

    def _checked_folder(self) -> Path:
        """The resolved folder, or ConfigError when it lies outside the resolved export root."""
        root = export_root().resolve()
        folder = self.requested.resolve()
        if not folder.is_relative_to(root):
            raise ConfigError(
                f"sync {self.sync_name}: file destination path {str(self.configured)!r} resolves "
                f"to {folder}, outside the export root {root} (set CDP_EXPORT_ROOT to change it)")
        return folder

    def upsert(self, records: list[Record]) -> BatchResult:
        return self._write("upsert", records)

    def remove(self, records: list[Record]) -> BatchResult:
        return self._write("remove", records)

    def _write(self, op: str, records: list[Record]) -> BatchResult:
        if not records:
            return BatchResult()
        # Checked again: a symlink swapped in since the constructor must not redirect writes.
        if self._checked_folder() != self.folder:
            raise ConfigError(f"sync {self.sync_name}: export folder {self.folder} now resolves "
                              "elsewhere; refusing to write")
        self.folder.mkdir(parents=True, exist_ok=True)
        columns = sorted({name for record in records for name in record.fields})
        table = pa.table({
            "op": [op] * len(records),
            "record_key": [r.key for r in records],
            "row_hash": [r.row_hash for r in records],
            **{c: [_text(r.fields.get(c)) for r in records] for c in columns},
        })
        partial = self.folder / f".writing-{uuid.uuid4().hex}.tmp"  # never matches part-*
        try:
            if self.format == "csv":
                pa_csv.write_csv(table, partial)
            else:
                pq.write_table(table, partial)
            self._publish(partial)
        finally:
            partial.unlink(missing_ok=True)
        return BatchResult(accepted=[r.key for r in records])

    def _publish(self, partial: Path) -> Path:
        """Link `partial` to the next free part name (highest present + 1, never an existing
        file); the caller removes the temporary name."""
        numbers = [int(m[1]) for p in self.folder.iterdir()
                   if (m := self.part_name.fullmatch(p.name))]
        number = max(numbers, default=0) + 1
        while True:
            final = self.folder / f"part-{number:06d}.{self.format}"
            try:
                os.link(partial, final)
            except FileExistsError:  # taken since we listed the folder: try the next one
                number += 1
                continue
            return final


def _text(value) -> str | None:
    return None if value is None else str(value)

"""CSV or Parquet export: every batch becomes one part file with an `op` column.

A batch counts as accepted only once its part file is complete on disk (written to a temporary
name, then renamed), so a crash never leaves half a batch that the engine thinks was sent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from cdp.settings import PROJECT_DIR
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
                                                                   "mirror"}))

    def __init__(self, sync_name: str, mode: str, config: dict) -> None:
        super().__init__(sync_name, mode)
        require_keys(self.kind, config, {"path"}, {"format"})
        self.format = config.get("format", "parquet")
        if self.format not in ("csv", "parquet"):
            raise ConfigError(f"file destination: format must be csv or parquet, "
                              f"not {self.format!r}")
        folder = Path(config["path"])  # relative paths are relative to the project
        self.folder = (folder if folder.is_absolute() else PROJECT_DIR / folder) / sync_name
        self.folder.mkdir(parents=True, exist_ok=True)

    def upsert(self, records: list[Record]) -> BatchResult:
        return self._write("upsert", records)

    def remove(self, records: list[Record]) -> BatchResult:
        return self._write("remove", records)

    def _write(self, op: str, records: list[Record]) -> BatchResult:
        if not records:
            return BatchResult()
        columns = sorted({name for record in records for name in record.fields})
        table = pa.table({
            "op": [op] * len(records),
            "record_key": [r.key for r in records],
            "row_hash": [r.row_hash for r in records],
            **{c: [_text(r.fields.get(c)) for r in records] for c in columns},
        })
        number = len(list(self.folder.glob(f"part-*.{self.format}"))) + 1
        final = self.folder / f"part-{number:06d}.{self.format}"
        partial = final.with_suffix(final.suffix + ".tmp")
        if self.format == "csv":
            pa_csv.write_csv(table, partial)
        else:
            pq.write_table(table, partial)
        os.replace(partial, final)
        return BatchResult(accepted=[r.key for r in records])


def _text(value) -> str | None:
    return None if value is None else str(value)

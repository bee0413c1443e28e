"""What a source writer hands back for one chunk of persons: rows plus their ground truth.

Writers build clean rows only; defects, duplicates' ordering, serialisation and the truth file
are the same for every source and happen afterwards (`defects.py`, `files.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa


@dataclass
class Batch:
    """Rows of one raw table for one chunk, in no particular order.

    `fields` holds the file's columns: text for CSV, typed for Parquet, and for JSONL one
    column per top-level key holding that value as JSON text (null = key left out). Nested keys
    that checks address (`traits.email`) live inside their parent's JSON object.
    """

    fields: pa.Table
    person: np.ndarray  # true person index per row
    record_id: pa.Array  # natural id as written (messageId, order_id, ...)
    sort_key: np.ndarray  # rows are written in ascending order of this (epoch seconds)
    true_email: pa.Array | None = None  # canonical email the row carries, null if none/junk
    true_phone: pa.Array | None = None  # E.164 of the row's primary phone, null if none/junk
    is_duplicate: np.ndarray | None = None  # re-delivered copy of an earlier row

    def __post_init__(self) -> None:
        n = self.fields.num_rows
        null_text = pa.nulls(n, pa.string())
        self.true_email = null_text if self.true_email is None else self.true_email
        self.true_phone = null_text if self.true_phone is None else self.true_phone
        if self.is_duplicate is None:
            self.is_duplicate = np.zeros(n, dtype=bool)
        sizes = {len(self.person), len(self.record_id), len(self.sort_key), len(self.true_email),
                 len(self.true_phone), len(self.is_duplicate)}
        if sizes != {n}:
            raise ValueError(f"batch columns disagree in length: {sorted(sizes)} vs {n} rows")

    @property
    def num_rows(self) -> int:
        return self.fields.num_rows

    def take(self, rows: np.ndarray) -> Batch:
        index = pa.array(np.asarray(rows, dtype=np.int64))
        return Batch(
            fields=self.fields.take(index), person=self.person[rows],
            record_id=self.record_id.take(index), sort_key=self.sort_key[rows],
            true_email=self.true_email.take(index), true_phone=self.true_phone.take(index),
            is_duplicate=self.is_duplicate[rows],
        )

    @staticmethod
    def concat(batches: list[Batch]) -> Batch:
        """Append batches of the same table (e.g. first deliveries and their re-deliveries)."""
        return Batch(
            fields=pa.concat_tables([b.fields for b in batches]).combine_chunks(),
            person=np.concatenate([b.person for b in batches]),
            record_id=pa.concat_arrays([_plain(b.record_id) for b in batches]),
            sort_key=np.concatenate([b.sort_key for b in batches]),
            true_email=pa.concat_arrays([_plain(b.true_email) for b in batches]),
            true_phone=pa.concat_arrays([_plain(b.true_phone) for b in batches]),
            is_duplicate=np.concatenate([b.is_duplicate for b in batches]),
        )


def _plain(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values

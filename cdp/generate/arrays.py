"""Vectorised building blocks: seeded generators, count expansion, fixed-width text columns.

Ids and digits are built as uint8 matrices and handed to Arrow as one buffer, which is two
orders of magnitude faster than formatting millions of Python strings.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# Stage numbers used in seed spawn keys; append new stages at the end so that existing
# stages keep their random streams.
STAGES = ("persons", "identifiers", "channels", "crm_contacts", "web_events", "app_events",
          "shop_orders", "esp_email_events", "helpdesk_tickets", "billing_subscriptions",
          "consent_events", "defects", "contacts_only")

_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_HEX_UPPER = np.frombuffer(b"0123456789ABCDEF", dtype=np.uint8)


def stage_rng(seed: int, stage: str, chunk: int = 0, part: int = 0) -> np.random.Generator:
    """Independent PCG64 stream per (seed, stage, chunk, part): order of use never matters."""
    key = (STAGES.index(stage), chunk, part)
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


def expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For counts [2, 0, 3]: owners [0, 0, 2, 2, 2] and positions within owner [0, 1, 0, 1, 2]."""
    counts = np.asarray(counts, dtype=np.int64)
    owners = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    starts = np.cumsum(counts) - counts
    return owners, np.arange(len(owners), dtype=np.int64) - starts[owners]


def choice(rng: np.random.Generator, n: int, weights: Sequence[float]) -> np.ndarray:
    """n draws of indices 0..len(weights)-1 with the given (unnormalised) weights."""
    p = np.asarray(weights, dtype=float)
    return np.searchsorted(np.cumsum(p / p.sum()), rng.random(n), side="right").clip(0, len(p) - 1)


def pick(rng: np.random.Generator, sizes: np.ndarray) -> np.ndarray:
    """One uniform index below each size (sizes >= 1)."""
    return (rng.random(len(sizes)) * sizes).astype(np.int64).clip(0, np.maximum(sizes - 1, 0))


def text_from_matrix(chars: np.ndarray) -> pa.Array:
    """Rows of an (n, width) uint8 ASCII matrix as an Arrow string array, without copies per row."""
    n, width = chars.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    data = np.ascontiguousarray(chars, dtype=np.uint8)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))


def digit_matrix(values: np.ndarray, width: int) -> np.ndarray:
    """Zero-padded decimal digits of non-negative integers as an (n, width) uint8 matrix."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((np.asarray(values, dtype=np.int64)[:, None] // powers) % 10 + 48).astype(np.uint8)


def prefixed_digits(prefix: str, values: np.ndarray, width: int) -> pa.Array:
    """`prefix` + zero-padded digits, e.g. ('CRM-', 42, 7) -> 'CRM-0000042'."""
    head = np.frombuffer(prefix.encode(), dtype=np.uint8)
    body = digit_matrix(values, width)
    return text_from_matrix(np.hstack([np.broadcast_to(head, (len(body), len(head))), body]))


def hex_matrix(values: np.ndarray, width: int, *, upper: bool = False) -> np.ndarray:
    """Lower/upper-case hex digits of non-negative integers as an (n, width) uint8 matrix."""
    shifts = 4 * np.arange(width - 1, -1, -1, dtype=np.uint64)
    nibbles = (np.asarray(values, dtype=np.uint64)[:, None] >> shifts) & np.uint64(15)
    return (_HEX_UPPER if upper else _HEX)[nibbles.astype(np.int64)]


def prefixed_hex(prefix: str, values: np.ndarray, width: int) -> pa.Array:
    head = np.frombuffer(prefix.encode(), dtype=np.uint8)
    body = hex_matrix(values, width)
    return text_from_matrix(np.hstack([np.broadcast_to(head, (len(body), len(head))), body]))


def uuid4(rng: np.random.Generator, n: int, *, upper: bool | np.ndarray = False) -> pa.Array:
    """n random version-4 UUID strings (8-4-4-4-12); `upper` may be a per-row mask."""
    raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    nibbles = np.empty((n, 32), dtype=np.int64)
    nibbles[:, 0::2] = raw >> 4
    nibbles[:, 1::2] = raw & 0x0F
    upper_rows = np.broadcast_to(np.asarray(upper, dtype=bool), (n,))
    chars = np.where(upper_rows[:, None], _HEX_UPPER[nibbles], _HEX[nibbles])
    dash = np.full((n, 1), ord("-"), dtype=np.uint8)
    parts = [chars[:, 0:8], dash, chars[:, 8:12], dash, chars[:, 12:16], dash, chars[:, 16:20],
             dash, chars[:, 20:32]]
    return text_from_matrix(np.hstack(parts))


def unique_draws(rng: np.random.Generator, n: int, low: int, high: int,
                 taken: np.ndarray | None = None) -> np.ndarray:
    """n distinct integers in [low, high), none in `taken`; redraws only the collisions."""
    values = rng.integers(low, high, size=n, dtype=np.int64)
    blocked = np.asarray(taken if taken is not None else [], dtype=np.int64)
    while True:
        clash = duplicated(values) | np.isin(values, blocked)
        if not clash.any():
            return values
        values[clash] = rng.integers(low, high, size=int(clash.sum()), dtype=np.int64)


def duplicated(values: np.ndarray) -> np.ndarray:
    """True for every occurrence of a value after its first (like pandas' duplicated)."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    later = np.zeros(len(values), dtype=bool)
    later[order[1:]] = ordered[1:] == ordered[:-1]
    return later


def vocab(values: Sequence[str | None]) -> pa.Array:
    return pa.array(list(values), type=pa.string())


def take(values: Sequence[str | None] | pa.Array, indices: np.ndarray) -> pa.Array:
    """values[indices] as an Arrow string array (indices may be a numpy int array)."""
    array = values if isinstance(values, pa.Array) else vocab(values)
    return array.take(pa.array(np.asarray(indices, dtype=np.int64)))


def where_text(mask: np.ndarray, values: pa.Array, otherwise: str | None = None) -> pa.Array:
    """values where mask, `otherwise` (null by default) elsewhere."""
    return pc.if_else(pa.array(np.asarray(mask, dtype=bool)), values,
                      pa.scalar(otherwise, pa.string()))


def scatter(n: int, rows: np.ndarray, values: pa.Array | list) -> pa.Array:
    """A text column of n nulls holding `values` at `rows` (ascending)."""
    mask = np.zeros(n, dtype=bool)
    mask[rows] = True
    values = values if isinstance(values, pa.Array) else pa.array(values, pa.string())
    return pc.replace_with_mask(pa.nulls(n, pa.string()), pa.array(mask), values)


def pick_text(rng: np.random.Generator, pool: Sequence[str], n: int,
              weights: Sequence[float] | None = None) -> pa.Array:
    """n random members of `pool` (uniform, or by `weights`) as an Arrow string array."""
    if weights is None:
        return take(pool, pick(rng, np.full(n, len(pool))))
    return vocab(pool).take(pa.array(choice(rng, n, weights)))

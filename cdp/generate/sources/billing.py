"""Placeholder: this source's builder is being written."""

from __future__ import annotations

from cdp.generate.batch import Batch
from cdp.generate.context import ChunkContext


def build(ctx: ChunkContext) -> dict[str, Batch]:
    return {}

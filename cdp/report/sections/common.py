"""What every section does the same way: formatting, the note for tables never built, and
the note for an empty plot."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

import pandas as pd
import plotly.graph_objects as go

from cdp.report.document import Block, Figure, Note, Section
from cdp.report.reader import Reader
from cdp.warehouse.schemas import Schema


def _missing(value) -> bool:
    return value is None or bool(pd.isna(value))


def count(value) -> str:
    return "0" if _missing(value) else f"{int(value):,}"


def share(value) -> str:
    return "-" if _missing(value) else f"{float(value):.1%}"


def money(value) -> str:
    return "-" if _missing(value) else f"{float(value):,.2f}"


def decimal(value) -> str:
    return "-" if _missing(value) else f"{float(value):.2f}"


def section(key: str, title: str, *needs: tuple[Schema, str]):
    """Make a function returning blocks the overview's section `key`: the blocks it returns,
    or, when a relation in `needs` was never built, one line naming it instead."""
    def wrap(build: Callable[[Reader], list[Block]]) -> Callable[[Reader], Section]:
        @wraps(build)
        def built(reader: Reader) -> Section:
            if missing := reader.missing(*needs):
                return Section(key, title, [Note(
                    f"Not built yet: {', '.join(missing)}. Run `cdp run` (or `cdp build`).",
                    warning=True)])
            return Section(key, title, build(reader))
        return built
    return wrap


def chart(title: str, draw: Callable[..., go.Figure], frame: pd.DataFrame, *args,
          caption: str = "", **options) -> Figure | Note:
    """`draw(frame, *args, **options)` (a `charts` function), or a line saying there is
    nothing to draw yet: a plot without marks reads as broken."""
    if frame.empty:
        return Note(f"{title}: no data yet.")
    return Figure(title, draw(frame, *args, **options), caption)

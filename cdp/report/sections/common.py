"""What every section does the same way: formatting, and the note for tables never built."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

from cdp.report.document import Figure, Note


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


def not_built(missing: list[str]) -> Note:
    return Note(f"Not built yet: {', '.join(missing)}. Run `cdp run` (or `cdp build`).",
                warning=True)


def chart(title: str, draw: Callable[..., go.Figure], frame: pd.DataFrame, *args,
          caption: str = "", **options) -> Figure | Note:
    """`draw(frame, *args, **options)` (a `charts` function), or a line saying there is
    nothing to draw yet: a plot without marks reads as broken."""
    if frame.empty:
        return Note(f"{title}: no data yet.")
    return Figure(title, draw(frame, *args, **options), caption)

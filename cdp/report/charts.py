"""The report's figures share one look: these build them from small aggregate frames."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

HEIGHT = 360
COLORS = px.colors.qualitative.Safe


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Text from the data as plotly shows it literally: plotly reads `<b>`, `<a href>` and
    entities in labels as markup, and values come from users' exports."""
    escaped = frame.copy()
    for column in escaped.columns:
        if escaped[column].dtype == object or pd.api.types.is_string_dtype(escaped[column]):
            escaped[column] = escaped[column].map(
                lambda v: v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                if isinstance(v, str) else v)
    return escaped


def styled(figure: go.Figure, *, height: int = HEIGHT, legend: bool = True) -> go.Figure:
    figure.update_layout(template="plotly_white", height=height, colorway=COLORS,
                         margin={"l": 60, "r": 20, "t": 40, "b": 60}, showlegend=legend,
                         legend={"orientation": "h", "y": 1.02, "yanchor": "bottom",
                                 "title": None})
    return figure


def bars(frame: pd.DataFrame, x: str, y: str, *, color: str | None = None,
         group: bool = False, horizontal: bool = False, log: bool = False,
         labels: dict | None = None, height: int = HEIGHT) -> go.Figure:
    """Bars of `y` per `x` (stacked by `color`, or side by side when `group`); `log` puts the
    values on a log scale (counts of very different sizes)."""
    figure = px.bar(plain(frame), x=y if horizontal else x, y=x if horizontal else y, color=color,
                    barmode="group" if group else "relative", labels=labels or {},
                    orientation="h" if horizontal else "v", color_discrete_sequence=COLORS,
                    log_x=log and horizontal, log_y=log and not horizontal)
    return styled(figure, height=height, legend=color is not None)


def lines(frame: pd.DataFrame, x: str, y: str | list[str], *, color: str | None = None,
          labels: dict | None = None, markers: bool = True) -> go.Figure:
    figure = px.line(plain(frame), x=x, y=y, color=color, labels=labels or {}, markers=markers,
                     color_discrete_sequence=COLORS)
    return styled(figure, legend=color is not None or isinstance(y, list))


def heatmap(frame: pd.DataFrame, x: str, y: str, z: str, *, labels: dict | None = None,
            text: bool = True, height: int = HEIGHT) -> go.Figure:
    """`z` on a grid of `x` by `y` (cells without a row stay blank); `text` writes each
    cell's value in it (for small grids)."""
    grid = plain(frame).pivot_table(index=y, columns=x, values=z, aggfunc="sum")
    figure = px.imshow(grid, labels=labels or {}, aspect="auto", origin="lower",
                       color_continuous_scale="Blues", text_auto=text)
    return styled(figure, height=height, legend=False)

"""What a report page is made of, and the one HTML template every page renders through.

Blocks say what to show (a figure, a table, key figures, a note); `render_page` turns them
into one HTML file with plotly.js inline once. Jinja's autoescaping escapes every value taken
from the warehouse (names, emails and error messages come from users' exports); plotly's JSON
escapes `</` itself.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import ClassVar

import jinja2
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import plotly.offline

TEMPLATE = Path(__file__).with_name("page.html.j2")
PLOT_CONFIG = {"displaylogo": False, "responsive": True}
GENERATOR_TAG = '<meta name="generator" content="cdp report">'  # in the first line of <head>


@dataclass
class Figure:
    kind: ClassVar[str] = "figure"
    title: str
    figure: go.Figure
    caption: str = ""


@dataclass
class Table:
    kind: ClassVar[str] = "table"
    title: str
    frame: pd.DataFrame
    caption: str = ""


@dataclass
class Figures:
    """Key figures in one row: label -> value, already formatted."""
    kind: ClassVar[str] = "figures"
    items: dict[str, str]


@dataclass
class Note:
    """A sentence instead of a plot: why a part is empty, or a warning about the data."""
    kind: ClassVar[str] = "note"
    text: str
    warning: bool = False


Block = Figure | Table | Figures | Note


@dataclass
class Section:
    key: str  # the anchor of its heading
    title: str
    blocks: list[Block] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def plots(self) -> int:
        return sum(isinstance(block, Figure) for block in self.blocks)


def timed(build, *args) -> Section:
    """`build(*args)`, with the seconds it took on the section (the page's footer shows them)."""
    started = time.perf_counter()
    section = build(*args)
    section.seconds = time.perf_counter() - started
    return section


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                              loader=jinja2.FileSystemLoader(TEMPLATE.parent))


def _table_html(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, escape=True, na_rep="-", border=0,
                         classes="data", float_format=lambda v: f"{v:,.2f}")


def _figure_html(figure: go.Figure) -> str:
    return pio.to_html(figure, full_html=False, include_plotlyjs=False, config=PLOT_CONFIG)


def render_page(title: str, subtitle: str, sections: list[Section]) -> str:
    """The whole page: a table of contents, the sections in order, plotly.js inline."""
    return _environment().get_template(TEMPLATE.name).render(
        title=title, subtitle=subtitle, sections=sections,
        plots=sum(section.plots for section in sections),
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        plotly_js=plotly.offline.get_plotlyjs(),
        figure_html=_figure_html, table_html=_table_html)


class NotOurs(RuntimeError):
    """The page's path holds a file the report did not write: it is left alone."""


def write_atomically(path: Path, text: str) -> None:
    """Write `path` in one step (a reader never sees half a page; a kill leaves the old one).
    A file there is replaced only if it is a page written before (its generator tag)."""
    if path.exists():
        with path.open("rb") as existing:
            if GENERATOR_TAG.encode() not in existing.read(1024):
                raise NotOurs(f"{path} exists and is not a page `cdp report` wrote: left as it"
                              " is (choose another folder with --out)")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)

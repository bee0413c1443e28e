"""`cdp report`: the overview page, every section read on one connection to the warehouse."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cdp import settings
from cdp.report.document import Section, render_page, timed, write_atomically
from cdp.report.reader import Reader
from cdp.report.sections.attribution import attribution_section
from cdp.report.sections.audiences import audiences_section
from cdp.report.sections.identity import identity_section
from cdp.report.sections.quality import quality_section
from cdp.report.sections.syncs import syncs_section
from cdp.report.sections.value import value_section
from cdp.warehouse import reading

SECTIONS: tuple[Callable[[Reader], Section], ...] = (
    identity_section, audiences_section, value_section, attribution_section, syncs_section,
    quality_section)


@dataclass(frozen=True)
class Written:
    path: Path
    sections: list[Section]
    seconds: float

    @property
    def plots(self) -> int:
        return sum(section.plots for section in self.sections)


def overview_path(folder: Path | None = None) -> Path:
    """The overview's file in `folder` (default: the report folder, CDP_REPORT_DIR)."""
    return (folder or settings.report_dir()) / "index.html"


def write_overview(path: Path, label: str) -> Written:
    """Read every section from the active warehouse and write the page to `path`."""
    started = time.perf_counter()
    with reading("cdp report") as warehouse:
        reader = Reader(warehouse)
        sections = [timed(build, reader) for build in SECTIONS]
    html = render_page("Customer 360 report", f"Warehouse: {label}", sections)
    write_atomically(path, html)
    return Written(path, sections, time.perf_counter() - started)

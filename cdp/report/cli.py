"""`cdp report`: write the overview page, or one person's page, from the active warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from cdp import settings
from cdp.console import make_console

console = make_console()


def report(
    person: Annotated[str | None, typer.Option(
        "--person", help="A person id, email, phone or other identifier: write that person's "
                         "page instead of the overview")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Folder to write to [default: CDP_REPORT_DIR, else data/reports]")] = None,
) -> None:
    """Write the customer-360 report (static HTML that opens offline): identity, audiences,
    value, attribution, sync health and data quality; or, with --person, one person's page."""
    from cdp.report.document import NotOurs
    from cdp.report.person_lookup import PersonNotFound
    from cdp.warehouse import WarehouseNotBuilt

    folder = out or settings.report_dir()
    try:
        path = _person_page(person, folder) if person is not None else _overview(folder)
    except (WarehouseNotBuilt, PersonNotFound, NotOurs) as exc:
        console.print(f"[bold red]error:[/] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(code=1) from None
    console.print(f"open file://{escape(str(path.resolve()))}", soft_wrap=True)


def _overview(folder: Path) -> Path:
    from cdp.report.overview import overview_path, write_overview
    from cdp.summary import warehouse_label

    written = write_overview(overview_path(folder), warehouse_label())
    timings = ", ".join(f"{s.title} {s.seconds:.1f} s" for s in written.sections)
    console.print(f"[green]report[/] {written.plots} plots in {written.seconds:.1f} s"
                  f" ({timings})", soft_wrap=True)
    return written.path


def _person_page(text: str, folder: Path) -> Path:
    from cdp.report.person_lookup import resolve_person
    from cdp.report.person_page import write_person_page

    person_id = resolve_person(text)
    path = write_person_page(person_id, folder / "persons")
    console.print(f"[green]person page[/] {person_id}", soft_wrap=True)
    return path

"""`cdp bench`: the command around cdp.bench.run (a table on the terminal, the JSON file)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cdp.bench.run import TARGETS, BenchError, run_bench, size_label, write_result
from cdp.console import make_console

console = make_console()


def bench(
    persons: Annotated[int, typer.Option(min=100, help="True persons to generate")] = 100_000,
    data: Annotated[Path | None, typer.Option(
        help="Working folder, cleared between runs [default: /tmp/cdp_bench_<size>]")] = None,
    seed: Annotated[int, typer.Option(help="Generator seed")] = 7,
) -> None:
    """Generate, load, full build, sync, append 1%, incremental load and build, sync: wall time
    and peak memory per step, scipy's components on the same edges; writes
    bench/results/<date>-<size>.json."""
    folder = data or Path(f"/tmp/cdp_bench_{size_label(persons)}")

    def show(step) -> None:
        mark = "ok" if step.ok else f"[bold red]failed[/] (see {escape(step.log)})"
        console.print(f"{step.name:<18} {step.wall_s:8.1f} s {step.peak_rss_mb:8,} MB  {mark}")

    try:
        result = run_bench(persons, folder, seed=seed, on_step=show)
    except BenchError as error:
        console.print(f"[bold red]error:[/] {escape(str(error))}", soft_wrap=True)
        raise typer.Exit(code=2) from None
    path = write_result(result)
    console.print(_table(result))
    console.print(f"written to {path}")
    if not result["ok"]:
        raise typer.Exit(code=1)


def _table(result: dict) -> Table:
    table = Table(title=f"{result['persons']:,} persons, {result['machine']['cores']} cores")
    for column in ("step", "wall s", "peak RSS MB"):
        table.add_column(column, justify="left" if column == "step" else "right")
    for step in result["steps"]:
        table.add_row(step["step"], f"{step['wall_s']:.1f}", f"{step['peak_rss_mb']:,}")
    if share := result.get("incremental_over_full"):
        table.caption = (f"incremental build = {share:.1%} of the full build (target"
                         f" ≤ {TARGETS['incremental_share']:.0%})")
    return table

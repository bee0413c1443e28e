"""`cdp audiences list | validate | preview NAME | compile`: usable without Dagster or dbt."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.syntax import Syntax

from cdp import settings
from cdp.console import make_console
from cdp.summary import table

app = typer.Typer(help="Audience definitions: list, validate, preview, compile.",
                  no_args_is_help=True)
console = make_console()

Folder = Annotated[Path | None, typer.Option("--dir", help="Audiences folder [default: audiences]")]


def _use_duckdb(path: Path | None) -> Path | None:
    from cdp.cli import use_duckdb  # not at the top: cdp.cli imports this module

    return use_duckdb(path)


DbPath = Annotated[Path | None, typer.Option(
    "--duckdb", help="DuckDB file [default: warehouse/cdp.duckdb]", callback=_use_duckdb)]


def _compiled(folder: Path | None, *, strict: bool):
    """The compiled audiences. `strict` (compile): any problem exits 1. Otherwise (list,
    preview) the valid ones are returned and each problem is printed as a warning."""
    from cdp.audiences.compile import compile_audiences
    from cdp.audiences.definitions import DefinitionError
    from cdp.audiences.rules import RuleError

    folder = folder or settings.audiences_dir()
    if not strict:
        problems: list[str] = []
        compiled = compile_audiences(folder, problems)
        for problem in problems:
            console.print(f"[yellow]skipped:[/] {escape(problem)}", soft_wrap=True)
        return compiled
    try:
        return compile_audiences(folder)
    except (DefinitionError, RuleError) as error:
        console.print(f"[bold red]invalid:[/] {escape(str(error))}", soft_wrap=True)
        raise typer.Exit(code=1) from None


@app.command("list")
def list_audiences(folder: Folder = None, duckdb_path: DbPath = None) -> None:
    """Every audience with its group, tags, arms and current size (when built)."""
    from cdp.warehouse import WarehouseNotBuilt, query
    from cdp.warehouse.schemas import MARTS

    try:
        sizes = dict(query(f"select audience_name, members from {MARTS}.dim_audiences"))
    except WarehouseNotBuilt:
        sizes = {}
    rows = [(c.audience.name,
             f"{c.audience.group} #{c.audience.priority}" if c.audience.group else "",
             ", ".join(c.audience.tags), ", ".join(a.name for a in c.audience.arms),
             c.audience.owner, sizes.get(c.audience.name, "-"))
            for c in _compiled(folder, strict=False)]
    console.print(table("audiences", ["name", "group", "tags", "arms", "owner", "members"], rows))


@app.command()
def validate(folder: Folder = None) -> None:
    """Check every definition and rule; exit 1 listing each problem."""
    from cdp.audiences.validate import validate_audiences

    errors = validate_audiences(folder or settings.audiences_dir())
    for error in errors:
        console.print(f"[bold red]invalid:[/] {escape(str(error))}", soft_wrap=True)
    if errors:
        raise typer.Exit(code=1)
    console.print("[green]all audiences are valid[/]")


@app.command()
def preview(name: Annotated[str, typer.Argument(help="Audience name")],
            folder: Folder = None, duckdb_path: DbPath = None) -> None:
    """Size, compiled SQL and a sample of members of one audience, on the built warehouse."""
    from cdp.audiences.preview import run_preview
    from cdp.warehouse import WarehouseNotBuilt

    compiled = _compiled(folder, strict=False)
    [audience] = [c for c in compiled if c.audience.name == name] or [None]
    if audience is None:
        from cdp.definition_files import suggest

        known = [c.audience.name for c in compiled]
        console.print(f"[bold red]error:[/] no audience '{escape(name)}'"
                      f"{suggest(name, known)}", soft_wrap=True)
        raise typer.Exit(code=1)
    try:
        result = run_preview(audience, compiled)
    except WarehouseNotBuilt as error:
        console.print(f"[bold red]error:[/] {error}")
        raise typer.Exit(code=1) from None
    console.print(f"[bold]{name}[/]: {audience.audience.description}")
    console.print(Syntax(result.sql, "sql", word_wrap=True))
    console.print(f"rule matches {result.rule_matches:,}; members after exclusions and "
                  f"priorities {result.members:,}")
    console.print(table("arms", ["arm", "members"], result.arms))
    console.print(table(f"sample of {len(result.sample)} members", result.sample_columns,
                        result.sample))


@app.command("compile")
def compile_command(
    check: Annotated[bool, typer.Option(help="Only check the generated macro is current")] = False,
    folder: Folder = None,
) -> None:
    """Write the validated, transpiled definitions into the dbt macro the models read."""
    from cdp.audiences.compile import MACRO_PATH, is_current, render_macro, write_macro

    compiled = _compiled(folder, strict=True)  # clear errors before anything is written
    source = folder or settings.audiences_dir()
    if check:
        if not is_current(render_macro(compiled)):
            console.print(f"[bold red]stale:[/] {MACRO_PATH} does not match {source}; "
                          "run `cdp audiences compile`")
            raise typer.Exit(code=1)
        console.print(f"[green]up to date:[/] {MACRO_PATH}")
        return
    changed = write_macro(source, compiled)
    console.print(f"[green]{'wrote' if changed else 'unchanged'}:[/] {MACRO_PATH}")

"""Terminal output of `cdp explain` and `cdp evaluate identity`."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from cdp.identity import explain as ex
from cdp.identity.evaluate import IdentityScores


def _step(duckdb_path: Path, link: ex.Link) -> str:
    where = ex.record_location(duckdb_path, link.source_table, link.record_key)
    origin = f"{where[0]}:{where[1]}" if where else link.record_key
    evidence = (f"fuzzy match {link.score:.3f}" if link.link_type == "fuzzy"
                else f"{link.records:,} record(s)")
    return f"[dim]{evidence}, first {link.source_table} {origin}[/]"


def print_path(console: Console, duckdb_path: Path, start: str, path: list[ex.Link]) -> None:
    """One line per link: `a  ─ evidence ─  b`, from `start` to the path's end."""
    key = start
    console.print(f"[bold]{start}[/] → [bold]{_end(start, path)}[/]")
    for link in path:
        other = link.other(key)
        console.print(f"    {key}  ─ {_step(duckdb_path, link)} ─  {other}")
        key = other


def _end(start: str, path: list[ex.Link]) -> str:
    key = start
    for link in path:
        key = link.other(key)
    return key


def print_explanation(console: Console, duckdb_path: Path, text: str, id_type: str | None,
                      to_text: str | None) -> bool:
    """Print the explanation; False when the identifier is unknown."""
    found = ex.find_identifiers(duckdb_path, text, id_type)
    if not found:
        console.print(f"[yellow]no identifier matches {text!r}[/]")
        return False
    for start in found:
        console.rule(f"{start.key}")
        if start.person_id is None:
            console.print(f"[red]{start.status}[/]: never used for matching")
            continue
        identifiers = ex.person_identifiers(duckdb_path, start.person_id)
        console.print(f"person [bold]{start.person_id}[/] with {len(identifiers)} identifier(s)")
        table = Table("identifier", "status", "records", "first seen", "last seen")
        for item in identifiers:
            table.add_row(item.key, item.status, f"{item.records:,}",
                          f"{item.first_seen_at:%Y-%m-%d}", f"{item.last_seen_at:%Y-%m-%d}")
        console.print(table)
        paths = ex.shortest_paths(ex.person_links(duckdb_path, start.person_id), start.key)
        targets = [i.key for i in identifiers if i.key != start.key]
        if to_text:
            wanted = {i.key for i in ex.find_identifiers(duckdb_path, to_text)}
            targets = [key for key in targets if key in wanted]
            if not targets:
                console.print(f"[yellow]{to_text!r} is not an identifier of this person[/]")
        console.print("how they are linked:")
        for target in targets:
            print_path(console, duckdb_path, start.key, paths.get(target, []))
    return True


def print_scores(console: Console, scores: IdentityScores) -> None:
    table = Table("metric", "value", title="identity resolution vs ground truth (pairwise)",
                  title_justify="left")
    for name, value in (("records", f"{scores.records:,}"),
                        ("unresolved records", f"{scores.unresolved_records:,}"),
                        ("true persons", f"{scores.true_persons:,}"),
                        ("resolved persons", f"{scores.resolved_persons:,}"),
                        ("precision", f"{scores.precision:.5f}"),
                        ("recall", f"{scores.recall:.5f}"), ("F1", f"{scores.f1:.5f}")):
        table.add_row(name, value)
    console.print(table)
    for title, rows, columns in (
        ("worst over-merged persons", scores.over_merged,
         ("resolved person", "true persons", "records")),
        ("worst split persons", scores.split, ("true person", "resolved persons", "records")),
    ):
        worst = Table(*columns, title=title, title_justify="left")
        for row in rows:
            worst.add_row(*(f"{v:,}" if isinstance(v, int) else str(v) for v in row))
        console.print(worst)

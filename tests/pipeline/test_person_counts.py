"""The person counts the summary and `cdp evaluate identity` print add up, and add up to the
persons in the warehouse as counted here from the identity models and the generator's truth."""

from __future__ import annotations

import re

import duckdb
from rich.console import Console

from cdp.identity.evaluate import evaluate_identity
from cdp.identity.report import print_scores
from cdp.summary import print_pipeline_summary
from tests.pipeline.conftest import PERSONS


def printed(print_function, *args) -> str:
    console = Console(record=True, width=400)  # wide: a printed line stays one line
    print_function(console, *args)
    return console.export_text()


def number(text: str) -> int:
    return int(text.replace(",", ""))


def independent_counts(warehouse) -> dict[str, int]:
    """From the person map (every current person id), its nodes and the record → person
    table: not from the marts the summary reads."""
    [row] = warehouse.rows("""
        with persons as (
            select person_id, bool_and(nodes.is_shared) as only_shared
            from intermediate.int_identity__person_map as map
            inner join intermediate.int_identity__nodes as nodes using (node_key)
            where map.is_current group by person_id
        ),
        with_records as (
            select distinct person_id from intermediate.int_identity__record_persons
            where person_id is not null
        )
        select
            (select count(*) from persons),
            (select count(*) from with_records),
            (select count(*) from persons where only_shared
                and person_id not in (select person_id from with_records)),
            (select count(*) from intermediate.int_identity__record_persons
                where person_id is null)""")
    return dict(zip(["everyone", "with_records", "shared_no_record", "no_person"], row,
                    strict=True))


def test_summary_person_counts_add_up_to_the_persons_in_the_warehouse(warehouse, monkeypatch):
    monkeypatch.setenv("CDP_DUCKDB_PATH", str(warehouse.duckdb_path))
    out = printed(print_pipeline_summary)
    expected = independent_counts(warehouse)
    [graph] = re.findall(r"identity graph: ([\d,]+) persons", out)
    lifecycle = out[out.index("golden records by lifecycle stage"):out.index("totals sum")]
    stages = {stage: number(n) for stage, n in
              re.findall(r"│ (\w+(?: stages)?) +│ +([\d,]+) │", lifecycle)}
    line = re.search(
        r"persons: ([\d,]+) in the identity graph = ([\d,]+) golden records \(([\d,]+) known"
        r" \+ ([\d,]+) anonymous: the lifecycle table\) \+ ([\d,]+) shared identifiers with a"
        r" profile but no record(?: \((.*?)\))?(?: \+ ([\d,]+) without any record)?; ([\d,]+)"
        r" records have only blocked identifiers and no person", out)
    assert line, out
    in_graph, golden, known, anonymous, shared, kinds, other, no_person = line.groups()
    assert number(in_graph) == number(graph) == expected["everyone"]
    assert number(golden) == stages.pop("all stages") == sum(stages.values())
    assert number(golden) == expected["with_records"]
    assert number(anonymous) == stages["anonymous_visitor"]
    assert number(known) + number(anonymous) == number(golden)
    assert number(shared) == expected["shared_no_record"]
    assert sum(number(n) for n in re.findall(r"(\d[\d,]*) \w+", kinds or "")) == number(shared)
    assert number(golden) + number(shared) + number(other or "0") == number(in_graph)
    assert number(no_person) == expected["no_person"]


def test_lifecycle_table_says_which_columns_are_totals_and_which_are_means(warehouse,
                                                                          monkeypatch):
    monkeypatch.setenv("CDP_DUCKDB_PATH", str(warehouse.duckdb_path))
    out = printed(print_pipeline_summary)
    for header in ["total orders", "total net revenue", "total predicted CLV", "mean P(alive)",
                   "mean predicted CLV"]:
        assert header in out
    assert "means are per buyer" in out


def test_evaluate_says_what_its_person_counts_are(warehouse, monkeypatch):
    monkeypatch.setenv("CDP_DUCKDB_PATH", str(warehouse.duckdb_path))
    scores = evaluate_identity(warehouse.raw_dir)
    out = printed(print_scores, scores)
    truth = warehouse.raw_dir / "_truth"
    with duckdb.connect() as con:
        [(generated,)] = con.execute(
            f"select count(*) from read_parquet('{truth / 'persons.parquet'}')").fetchall()
        [(with_rows, only_rejected)] = con.execute(f"""
            select count(*), count(*) filter (where clean = 0) from (
                select person_id, count(*) filter (where defect is null) as clean
                from read_parquet('{truth / 'records.parquet'}') group by person_id)""").fetchall()
    expected = independent_counts(warehouse)
    assert generated == PERSONS
    [(true_persons, of_generated, no_row, rejected_only)] = re.findall(
        r"true persons +│ +([\d,]+) │ generated persons with one of these records; of ([\d,]+)"
        r" generated, ([\d,]+) left no row in any export and ([\d,]+) only rows staging rejects",
        out)
    assert number(of_generated) == generated
    assert number(no_row) == generated - with_rows
    assert number(rejected_only) == only_rejected
    assert number(true_persons) + number(no_row) + number(rejected_only) == generated
    [(resolved, persons, unresolved, golden)] = re.findall(
        r"resolved persons +│ +([\d,]+) │ ([\d,]+) person ids holding these records \+ ([\d,]+)"
        r" unresolved records \(marts.dim_customers: ([\d,]+) golden records\)", out)
    assert number(persons) == number(golden) == expected["with_records"]
    assert number(unresolved) == expected["no_person"]
    assert number(persons) + number(unresolved) == number(resolved)

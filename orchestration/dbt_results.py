"""What a dbt build tells Dagster beyond dagster-dbt's defaults: the row count of every table it
built, and on failure which nodes failed and which downstream assets that holds back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import dagster as dg
from dagster import AssetExecutionContext
from dagster_dbt.core.dbt_cli_invocation import DbtCliInvocation

from cdp.dbt import FAILED_STATUSES

if TYPE_CHECKING:
    from orchestration.resources import WarehouseResource

ROW_COUNT = "dagster/row_count"  # the key Dagster's UI shows as the table's row count


def with_row_counts(invocation: DbtCliInvocation, warehouse: WarehouseResource) -> Iterator:
    """dbt's events, each built table's with `dagster/row_count` metadata. Counted once dbt
    exited, through the warehouse layer: dbt's process holds the DuckDB file (or Spark's
    metastore) while it runs, and dagster-dbt's own counting names relations by the database
    the manifest was parsed for, which need not be the active target's."""
    events = list(invocation.stream())
    nodes = invocation.manifest["nodes"]
    tables = {}
    for event in events:
        node = nodes.get(_unique_id(event))
        if isinstance(event, dg.Output | dg.AssetMaterialization) and node and \
                node["config"]["materialized"] != "view":  # a view's count runs its query
            tables[node["unique_id"]] = f'"{node["schema"]}"."{node["alias"]}"'
    counts = _count_rows(warehouse, tables)
    for event in events:
        count = counts.get(_unique_id(event))
        yield event if count is None else event.with_metadata(
            {**event.metadata, ROW_COUNT: dg.MetadataValue.int(count)})


def _count_rows(warehouse: WarehouseResource, tables: dict[str, str]) -> dict[str, int]:
    if not tables:
        return {}
    ids = list(tables)  # one statement: a query per table costs a job each on Spark
    counts = " union all ".join(f"select {number} as node, count(*) from {tables[unique_id]}"
                                for number, unique_id in enumerate(ids))
    with warehouse.reading("row counts") as wh:
        return {ids[number]: count for number, count in wh.query(counts)}


def _unique_id(event) -> str | None:
    value = getattr(event, "metadata", {}).get("unique_id")
    return value.value if value is not None else None


def describe_failures(context: AssetExecutionContext, invocation: DbtCliInvocation,
                      built: set[dg.AssetKey]) -> str:
    """Which dbt nodes failed, and the assets downstream of dbt (syncs) left without input."""
    results = invocation.get_artifact("run_results.json")["results"]
    nodes = invocation.manifest["nodes"]
    failed = [_describe(nodes.get(result["unique_id"], {}), result)
              for result in results if result["status"] in FAILED_STATUSES]
    skipped = sum(result["status"] == "skipped" for result in results)
    from orchestration.assets.build import BUILD_STEPS

    graph = context.job_def.asset_layer.asset_graph
    downstream, todo = set(), list(set(context.selected_asset_keys) - built)
    while todo:  # through the CLV step and the second half of the build to the syncs
        for child in graph.get(todo.pop()).child_keys - downstream:
            downstream.add(child)
            todo.append(child)
    held_back = sorted(key.to_user_string() for key in downstream
                       if not any(key in step.keys for step in BUILD_STEPS))
    lines = [f"dbt build failed: {len(failed)} node(s) failed, {skipped} skipped downstream:",
             *(f"  - {line}" for line in failed)]
    if held_back:
        lines.append("Held back, a model they read was not built: " + ", ".join(held_back))
    return "\n".join(lines)


def _describe(node: dict, result: dict) -> str:
    name = node.get("name") or result["unique_id"]
    model = (node.get("attached_node") or "").split(".")[-1]
    message = f" ({result['message']})" if result.get("message") else ""
    return f"{name}{f' on {model}' if model else ''}: {result['status']}{message}"

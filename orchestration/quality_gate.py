"""Syncs never ship data that failed its tests: find the failing dbt tests upstream of a model.

Within one run Dagster already holds back a sync whose model dbt did not build (dbt skips
everything downstream of a failing test). This gate covers the rest: a test failing on the
sync's own model, and a sync launched on its own after a build whose tests failed. It reads
the latest evaluation of every blocking check (error-severity dbt test) on the model and on
everything the model is built from, so the verdict is the same whichever run recorded it.
"""

from __future__ import annotations

from dataclasses import dataclass

import dagster as dg
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus


@dataclass(frozen=True)
class FailedCheck:
    check: dg.AssetCheckKey
    run_id: str

    def __str__(self) -> str:
        return f"{self.check.name} on {self.check.asset_key.to_user_string()} (run {self.run_id})"


def upstream_blocking_checks(assets_def: dg.AssetsDefinition,
                             key: dg.AssetKey) -> list[dg.AssetCheckKey]:
    """Blocking checks of `key` and of everything it is built from, up to the raw sources."""
    lineage, todo = {key}, [key]
    while todo:
        for parent in assets_def.asset_deps.get(todo.pop(), ()):
            if parent not in lineage:
                lineage.add(parent)
                if parent in assets_def.keys:  # a source has no parents in the dbt graph
                    todo.append(parent)
    return sorted((spec.key for spec in assets_def.check_specs
                   if spec.blocking and spec.asset_key in lineage),
                  key=lambda check: check.to_user_string())


def failed_checks(instance: dg.DagsterInstance,
                  checks: list[dg.AssetCheckKey]) -> list[FailedCheck]:
    """The checks whose latest evaluation failed (never-evaluated checks do not block)."""
    latest = instance.event_log_storage.get_latest_asset_check_execution_by_key(checks)
    return [FailedCheck(check, record.run_id) for check, record in sorted(
        latest.items(), key=lambda item: item[0].to_user_string())
        if record.status == AssetCheckExecutionRecordStatus.FAILED]

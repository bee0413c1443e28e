"""Syncs never ship data that failed its tests: find the failing dbt tests upstream of a model.

Within one run Dagster already holds back a sync whose model dbt did not build (dbt skips
everything downstream of a failing test). This gate covers the rest: a test failing on the
sync's own model, and a sync launched on its own after a build whose tests failed. It reads
the latest evaluation of every blocking check (error-severity dbt test) on the model and on
everything the model is built from, so the verdict is the same whichever run recorded it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import dagster as dg


@dataclass(frozen=True)
class FailedCheck:
    check: dg.AssetCheckKey
    run_id: str

    def __str__(self) -> str:
        return f"{self.check.name} on {self.check.asset_key.to_user_string()} (run {self.run_id})"


def upstream_blocking_checks(assets_defs: Sequence[dg.AssetsDefinition],
                             key: dg.AssetKey) -> list[dg.AssetCheckKey]:
    """Blocking checks of `key` and of everything it is built from, up to the raw sources,
    across the build's asset definitions (dbt, the CLV step, dbt again)."""
    parents = {child: deps for assets_def in assets_defs
               for child, deps in assets_def.asset_deps.items() if child in assets_def.keys}
    lineage, todo = {key}, [key]
    while todo:
        for parent in parents.get(todo.pop(), ()):
            if parent not in lineage:
                lineage.add(parent)
                todo.append(parent)  # a source has no parents here: the walk ends there
    return sorted((spec.key for assets_def in assets_defs for spec in assets_def.check_specs
                   if spec.blocking and spec.asset_key in lineage),
                  key=lambda check: check.to_user_string())


def failed_checks(instance: dg.DagsterInstance,
                  checks: list[dg.AssetCheckKey]) -> list[FailedCheck]:
    """The checks whose latest evaluation failed (never-evaluated checks do not block, nor do
    ones only planned by a run that has not evaluated them: their record has no evaluation)."""
    failed = []
    for check in sorted(checks, key=lambda key: key.to_user_string()):
        record = instance.get_latest_asset_check_evaluation_record(check)
        evaluation = record.evaluation if record else None  # or only planned, never run
        if isinstance(evaluation, dg.AssetCheckEvaluation) and not evaluation.passed:
            failed.append(FailedCheck(check, record.run_id))
    return failed

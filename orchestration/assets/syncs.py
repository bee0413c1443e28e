"""One asset per sync definition, downstream of the dbt model it reads, held back by its tests."""

import dagster as dg
from dagster import AssetExecutionContext

from cdp import settings
from cdp.warehouse import WarehouseLocked
from cdp.warehouse.schemas import SYNC_STATE
from cdp.warehouse_lock import WarehouseBusy
from orchestration.assets.build import BUILD_STEPS, dbt_model_key
from orchestration.quality_gate import failed_checks, upstream_blocking_checks
from orchestration.resources import WarehouseResource
from reverse_etl.config import SyncSpec, load_syncs
from reverse_etl.destinations.base import ConfigError
from reverse_etl.engine import UNSUCCESSFUL, SyncResult, run_sync
from reverse_etl.errors import SyncError
from reverse_etl.redact import redact


class SyncRunConfig(dg.Config):
    dry_run: bool = False
    full_resync: bool = False
    force: bool = False


def source_model(spec: SyncSpec) -> str:
    return "fct_audience_members" if spec.source_kind == "audience" else spec.source_name


def model_key(spec: SyncSpec) -> dg.AssetKey:
    return dbt_model_key(source_model(spec))


def blocked_reason(spec: SyncSpec, instance: dg.DagsterInstance) -> str | None:
    """Why the sync must not run now (failed tests upstream, as last recorded), or None."""
    model = model_key(spec)
    failing = failed_checks(instance, upstream_blocking_checks(BUILD_STEPS, model))
    if not failing:
        return None
    return (f"sync {spec.name} blocked: {len(failing)} dbt test(s) upstream of "
            f"{model.to_user_string()} failed, nothing was sent:\n"
            + "\n".join(f"  - {check}" for check in failing[:20]))


def build_sync_asset(spec: SyncSpec) -> dg.AssetsDefinition:
    @dg.asset(name=f"sync__{spec.name}", group_name="activation", deps=[model_key(spec)],
              kinds={"python", spec.destination_type}, pool="warehouse_writer",
              description=spec.description or None)
    def _sync(context: AssetExecutionContext, warehouse: WarehouseResource,
              config: SyncRunConfig) -> dg.MaterializeResult:
        # The engine syncs on the active target, which `warehouse` pinned for this run.
        blocked = blocked_reason(spec, context.instance)
        if blocked:
            raise dg.Failure(description=blocked)
        try:
            result = run_sync(spec, dry_run=config.dry_run,
                              full_resync=config.full_resync, force=config.force,
                              triggered_by=f"dagster:{context.run.run_id}")
        except (SyncError, ConfigError, WarehouseBusy, WarehouseLocked) as error:
            # `from None`: Dagster would also keep the cause's text, which nobody redacted.
            details = getattr(error, "details", None)  # SyncCrashed: its redacted traceback
            raise dg.Failure(description=f"sync {spec.name}: {redact(str(error))}",
                             metadata={"traceback": dg.MetadataValue.text(details)}
                             if details else None) from None
        context.log.info(f"sync {spec.name}: {result.status}")
        if result.status in UNSUCCESSFUL:
            reasons = "; ".join(result.failure_summary(top=3))
            raise dg.Failure(description=f"sync {spec.name}: {result.status}: {reasons}",
                             metadata=sync_metadata(result))
        return dg.MaterializeResult(metadata=sync_metadata(result))

    return _sync


def sync_metadata(result: SyncResult) -> dict:
    """Delivered counts, and where the run's record-level detail lives in the warehouse."""
    counts = result.counts
    failed = sum(counts.get(f"failed_{op}", 0) for op in ("adds", "changes", "removes"))
    return {
        "status": result.status, "source_rows": result.plan.source_rows,
        "invalid_rows": len(result.plan.invalid),
        "added": counts.get("succeeded_adds", 0), "changed": counts.get("succeeded_changes", 0),
        "removed": counts.get("succeeded_removes", 0), "failed": failed,
        **{name: value for name, value in counts.items() if name.startswith("planned_")},
        "sync_run_id": result.run_id,
        "sync_run": dg.MetadataValue.md(
            f"`select * from {SYNC_STATE}.sync_runs where run_id = '{result.run_id}'`  \n"
            f"`select * from {SYNC_STATE}.sync_changelog where run_id = '{result.run_id}'`"),
    }


def sync_assets() -> list[dg.AssetsDefinition]:
    """One asset per definition in the syncs folder (CDP_SYNCS_DIR), read when called."""
    return [build_sync_asset(spec) for spec in load_syncs(settings.syncs_dir())]

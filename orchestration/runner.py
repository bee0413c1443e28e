"""Run the CDP job in this process, as `cdp run` does: the same assets, checks, gates and run
history as a run launched from `dagster dev` on the same DAGSTER_HOME."""

from __future__ import annotations

from dataclasses import dataclass, field

import dagster as dg

from cdp import settings
from orchestration.assets.freshness import CHECK_NAME
from orchestration.assets.report import REPORT_STEP
from orchestration.jobs import run_config
from reverse_etl.config import load_syncs
from reverse_etl.validate import missing_secrets


def cdp_full_job() -> dg.JobDefinition:
    """The job as the environment defines it now (Dagster rebuilds it from this function)."""
    from orchestration.definitions import build_definitions

    return build_definitions().resolve_job_def("cdp_full")


@dataclass
class JobOutcome:
    run_id: str
    success: bool
    failures: dict[str, str] = field(default_factory=dict)  # step -> why it failed
    succeeded: list[str] = field(default_factory=list)
    not_run: list[str] = field(default_factory=list)  # selected, held back by a failure
    unconfigured: dict[str, list[str]] = field(default_factory=dict)  # sync -> missing vars
    stale_sources: list[str] = field(default_factory=list)  # failed freshness checks


def run_cdp_job(instance: dg.DagsterInstance, *, incremental_load: bool = False,
                full_refresh: bool = False, log_level: str = "WARNING") -> JobOutcome:
    """Load -> dbt build -> every sync whose destination secrets are set."""
    specs = load_syncs(settings.syncs_dir())
    unconfigured = {spec.name: missing for spec in specs if (missing := missing_secrets(spec))}
    job = cdp_full_job()
    skipped_keys = {dg.AssetKey(f"sync__{name}") for name in unconfigured}
    selection = [key for key in job.asset_layer.executable_asset_keys
                 if key not in skipped_keys]
    steps = ["raw_exports", "raw_freshness", "cdp_dbt_assets", "clv_step",
             "cdp_dbt_after_clv_assets",
             *(f"sync__{spec.name}" for spec in specs if spec.name not in unconfigured),
             REPORT_STEP]
    config = {**run_config(incremental_load=incremental_load, full_refresh=full_refresh),
              "loggers": {"console": {"config": {"log_level": log_level}}}}
    result = dg.execute_job(dg.reconstructable(cdp_full_job), instance=instance,
                            run_config=config, asset_selection=selection,
                            raise_on_error=False, tags={"cdp/run": "cdp run"})
    outcome = JobOutcome(result.run_id, result.success, unconfigured=unconfigured)
    started = set()
    for event in result.all_events:
        if event.is_step_start:
            started.add(event.step_key)
        elif event.is_step_success:
            outcome.succeeded.append(event.step_key)
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            check = event.asset_check_evaluation_data
            if check.check_name == CHECK_NAME and not check.passed:
                outcome.stale_sources.append(check.description or check.asset_key.to_string())
        elif event.is_step_failure:
            failure = event.step_failure_data
            user = failure.user_failure_data
            outcome.failures[event.step_key] = (user.description if user and user.description
                                                else failure.error.message.strip())
    outcome.not_run = [step for step in steps if step not in started]
    return outcome

"""One engine's whole run for the equivalence test: the main Dagster job (load, dbt, the CLV
step, dbt), then a file sync, a webhook sync and a mirror through faults; each engine selected
the way users select it (CDP_TARGET and the profile's settings in the environment)."""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import dagster as dg
import pandas as pd
import pyarrow.parquet as pq
import pytest

from cdp.build import build_project
from cdp.warehouse import reading
from orchestration.runner import run_cdp_job
from reverse_etl.config import SyncSpec
from reverse_etl.destinations.dummy import SimulatedCrash
from reverse_etl.engine import DestinationUnavailable, GuardTripped, run_sync
from tests.reverse_etl.fakes.webhook import WebhookReceiver
from tests.reverse_etl.loopback import LoopbackServer

HOOK_SECRET = "equivalence-secret"
# Every kind of value a payload carries: text, numbers (integer, decimal, float), dates,
# timestamps, booleans, nulls; through an audience with arms and a consent filter.
FIELDS = {"email": "email", "first_name": "first_name", "country_code": "country_code",
          "plan": "subscription_plan", "orders": "orders", "net_revenue": "net_revenue",
          "predicted_clv": "predicted_clv", "p_alive": "p_alive",
          "date_of_birth": "date_of_birth", "last_seen_at": "last_seen_at",
          "is_known": "is_known", "lifecycle": "lifecycle_stage"}


@dataclass
class EngineRun:
    engine: str
    file_rows: dict[str, dict]  # record key -> the row of its last part (hash left out)
    webhook_rows: dict[str, dict]
    converged_rows: dict[str, dict]  # a faulty destination once runs converged, then after
    # its mirror switched audience
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def fetch(self, sql: str) -> pd.DataFrame:
        with reading("equivalence check") as warehouse:
            return warehouse.execute(sql).df()


def _spec(name: str, destination_type: str, config: dict, audience: str,
          consent=None, batch_size: int = 200) -> SyncSpec:
    return SyncSpec(name=name, description="", source_kind="audience", source_name=audience,
                    primary_key="person_id", destination_type=destination_type,
                    destination_config=config, mode="mirror", fields=FIELDS,
                    purpose=consent[0] if consent else "service", consent=consent,
                    batch_size=batch_size)


def run_engine(engine: str, raw_dir: Path, root: Path) -> EngineRun:
    """The main Dagster job as `cdp run` runs it (load, freshness, dbt, CLV step, dbt), then
    syncs, on the active target (the caller set its environment)."""
    (root / "dagster").mkdir()
    (root / "syncs").mkdir()  # the job's own syncs stay out: these below are the subject
    with pytest.MonkeyPatch.context() as patch:
        for name, value in (("CDP_RAW_DIR", raw_dir), ("CDP_SYNCS_DIR", root / "syncs"),
                            ("DAGSTER_HOME", root / "dagster")):
            patch.setenv(name, str(value))
        with dg.DagsterInstance.from_config(str(root / "dagster")) as instance:
            outcome = run_cdp_job(instance)
    assert outcome.success and not outcome.not_run, (engine, outcome.failures)
    # A second build takes the incremental path of the history-keeping models (person map,
    # person changes, audience memberships; nothing changed, so nothing is added) and of
    # connected components (the kept edge list is diffed; the marts compared below follow).
    history = _history_counts()
    build_project(["--select", "config.materialized:incremental",
                   "config.materialized:connected_components"])
    assert _history_counts() == history, engine
    exports = root / "exports"
    run_sync(_spec("equivalence_file", "file", {"path": str(exports), "format": "parquet"},
                   "paid_subscribers"))
    receiver = WebhookReceiver(HOOK_SECRET)
    with LoopbackServer(receiver) as server:
        result = run_sync(_spec("equivalence_webhook", "webhook",
                                {"url": f"{server.url}/hook", "secret_env": "HOOK_SECRET"},
                                "inactive_users", consent=("marketing", "email")))
    assert result.status == "success", (engine, result.status)
    # The row hash is of each engine's own JSON text (spacing differs): not a payload.
    rows = {row["record_key"]: {k: v for k, v in row.items() if k != "row_hash"}
            for part in sorted((exports / "equivalence_file").glob("part-*.parquet"))
            for row in pq.read_table(part).to_pylist()}
    return EngineRun(engine, rows, {key: json.loads(json.dumps(value, sort_keys=True))
                                    for key, value in receiver.store.items()},
                     _converged_through_faults(root / "remote.json"))


def _history_counts() -> list[tuple]:
    with reading("history counts") as warehouse:
        return warehouse.query(
            "select (select count(*) from intermediate.int_identity__person_map),"
            " (select count(*) from intermediate.int_identity__person_changes),"
            " (select count(*) from marts.fct_audience_memberships)")


def _converged_through_faults(remote: Path) -> dict[str, dict]:
    """A mirror whose destination loses answers after applying batches and whose process
    dies mid-run; later runs must converge from the state the engine kept, and a run after
    that must find nothing to do."""
    faulty = _spec("equivalence_faults", "dummy", {"path": str(remote), "seed": 3,
                                                   "lost_ack_rate": 0.3,
                                                   "crash_after_batches": 3},
                   "paid_subscribers", batch_size=25)
    with pytest.raises((SimulatedCrash, DestinationUnavailable)):  # dead, or lost 3 in a row
        run_sync(faulty)
    calm = replace(faulty, destination_config={"path": str(remote)})
    assert run_sync(calm).status == "success"
    again = run_sync(calm).plan
    assert (again.adds, again.changes, again.removes, again.in_doubt) == (0, 0, 0, 0)
    with reading("fault check") as warehouse:
        [(held, in_doubt)] = warehouse.query(
            "select count(*), count(in_doubt) from cdp_sync.snapshots where sync_name = ?",
            [faulty.name])
        statuses = [s for (s,) in warehouse.query(
            "select status from cdp_sync.sync_runs where sync_name = ? order by started_at",
            [faulty.name])]
    stored = json.loads(remote.read_text())
    assert held == len(stored) > 25 and in_doubt == 0
    assert statuses == ["failed", "success", "success"], statuses
    # Another audience behind the same mirror: most records would be removed. The guard
    # refuses, a dry run only plans, and a forced run removes them and adds the others.
    other = replace(calm, source_name="inactive_users")
    with pytest.raises(GuardTripped, match="max_remove_share"):
        run_sync(other)
    planned = run_sync(other, dry_run=True, force=True)
    assert planned.status == "planned" and json.loads(remote.read_text()) == stored
    switched = run_sync(other, force=True)
    assert switched.status == "success" and switched.plan.removes > 0
    assert (planned.plan.adds, planned.plan.removes) == (switched.plan.adds,
                                                         switched.plan.removes)
    with reading("fault check") as warehouse:
        [(held,)] = warehouse.query("select count(*) from cdp_sync.snapshots"
                                    " where sync_name = ?", [faulty.name])
    assert held == len(json.loads(remote.read_text()))
    return {"converged": stored, "switched": json.loads(remote.read_text())}


@contextmanager
def engine_environment(engine: str, root: Path, postgres=None):
    """CDP_TARGET and the settings of `engine` for the duration (a pytest MonkeyPatch)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CDP_TARGET", engine)
        patch.setenv("CDP_EXPORT_ROOT", str(root / "exports"))
        patch.setenv("HOOK_SECRET", HOOK_SECRET)
        patch.setenv("CDP_DUCKDB_PATH", str(root / "cdp.duckdb"))
        if engine == "postgres":
            for name, value in (("HOST", postgres.host), ("PORT", str(postgres.port)),
                                ("USER", postgres.user), ("PASSWORD", postgres.password),
                                ("DATABASE", postgres.dbname)):
                patch.setenv(f"CDP_PG_{name}", value)
        if engine == "spark":
            patch.setenv("CDP_SPARK_DIR", str(root / "spark"))
        yield

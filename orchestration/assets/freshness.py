"""`dbt source freshness` as asset checks on the raw assets, run after every raw load.

One check per dbt source that declares `freshness:` (models/staging/*/_*__sources.yml): how
long ago its newest export file arrived, against the source's `warn_after` / `error_after`.
A stale source is a failed check (severity WARN or ERROR) with one line naming it, and a
warning or error in the run's log. The checks are not blocking: the build and the syncs go
ahead on the data that is there (stale is not wrong); the alert is the point (DECISIONLOG).
"""

import json
from datetime import datetime

import dagster as dg
from dagster_dbt import DbtCliResource

from cdp.settings import PROJECT_DIR
from orchestration.project import dbt_project
from orchestration.resources import WarehouseResource

CHECK_NAME = "freshness"
TARGET_PATH = PROJECT_DIR / "target" / "dagster"  # the dbt build's folder: runs take turns
# dbt's stand-in for "no row at all": max() of nothing.
NEVER = datetime(1, 1, 1).date()


def _fresh_sources() -> dict[str, dg.AssetKey]:
    """unique_id -> asset key ([source, table], dagster-dbt's default) of every source with a
    freshness criterion."""
    sources = json.loads(dbt_project.manifest_path.read_text())["sources"].values()
    return {s["unique_id"]: dg.AssetKey([s["source_name"], s["name"]]) for s in sources
            if s.get("freshness") and any((s["freshness"].get(level) or {}).get("count")
                                          for level in ("warn_after", "error_after"))}


FRESH_SOURCES = _fresh_sources()


def _period(criterion: dict | None) -> str:
    if not criterion or not criterion.get("count"):
        return "none"
    count = criterion["count"]
    return f"{count} {criterion['period']}{'' if count == 1 else 's'}"


def _age(seconds: float) -> str:
    hours = seconds / 3600
    return f"{hours:.1f} hours" if hours < 72 else f"{hours / 24:.1f} days"


def describe(name: str, result: dict) -> str:
    """One line: the source, its state, and the threshold it passed."""
    status, criteria = result["status"], result.get("criteria") or {}
    if status == "runtime error":
        error = str(result.get("error") or result.get("message") or "unknown error")
        return f"{name}: freshness not measured: {error.strip().splitlines()[0]}"
    if datetime.fromisoformat(result["max_loaded_at"]).date() == NEVER:
        return f"{name}: stale ({status}): no export file loaded"
    age = _age(result["max_loaded_at_time_ago_in_s"])
    if status == "pass":
        warn_after = _period(criteria.get("warn_after"))
        return f"{name}: fresh, newest data {age} old (warn after {warn_after})"
    level = "warn_after" if status == "warn" else "error_after"
    return (f"{name}: stale ({status}): newest data {age} old, past {level}"
            f" {_period(criteria.get(level))}")


def _result(key: dg.AssetKey, result: dict | None) -> dg.AssetCheckResult:
    name = ".".join(key.path)
    if result is None:  # a source dbt did not report on: never silently green
        return dg.AssetCheckResult(asset_key=key, check_name=CHECK_NAME, passed=False,
                                   description=f"{name}: freshness not reported by dbt")
    metadata = {"status": result["status"]}
    if result.get("max_loaded_at"):
        metadata |= {"max_loaded_at": result["max_loaded_at"],
                     "age_hours": round(result["max_loaded_at_time_ago_in_s"] / 3600, 2)}
    severity = (dg.AssetCheckSeverity.WARN if result["status"] == "warn"
                else dg.AssetCheckSeverity.ERROR)
    return dg.AssetCheckResult(asset_key=key, check_name=CHECK_NAME, severity=severity,
                               passed=result["status"] == "pass",
                               description=describe(name, result), metadata=metadata)


@dg.multi_asset_check(
    specs=[dg.AssetCheckSpec(CHECK_NAME, asset=key, description="dbt source freshness: age of"
                             " the newest export against warn_after / error_after")
           for key in FRESH_SOURCES.values()],
    pool="warehouse_writer")
def raw_freshness(context: dg.AssetCheckExecutionContext, dbt: DbtCliResource,
                  warehouse: WarehouseResource):
    """`dbt source freshness` on the raw tables the load just published."""
    (TARGET_PATH / "sources.json").unlink(missing_ok=True)  # never an earlier run's answer
    # dbt-duckdb opens the file read-write: queue as a writer like every step.
    with warehouse.writing(f"Dagster run {context.run.run_id[:8]}: source freshness",
                           on_wait=lambda holder: context.log.info(f"waiting for {holder}")):
        warehouse.hand_over()
        invocation = dbt.cli(["source", "freshness"], raise_on_error=False,
                             manifest=dbt_project.manifest_path, target_path=TARGET_PATH)
        invocation.wait()
    try:  # exit code 1 also means "a source is past error_after": the artifact tells
        results = {r["unique_id"]: r for r in invocation.get_artifact("sources.json")["results"]}
    except FileNotFoundError:
        raise dg.Failure(description="dbt source freshness could not run: "
                                     f"{invocation.get_error() or 'no sources.json'}") from None
    for unique_id, key in FRESH_SOURCES.items():
        check = _result(key, results.get(unique_id))
        if not check.passed:
            log = context.log.warning if check.severity == dg.AssetCheckSeverity.WARN \
                else context.log.error
            log(check.description)
        yield check

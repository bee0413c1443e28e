"""A sensor that starts an incremental run when new export files land in the raw folder."""

import hashlib
import json
import time

import dagster as dg

from cdp import settings
from cdp.load.tables import RAW_TABLES
from orchestration.jobs import cdp_full_job, run_config

# A file modified this recently may still be being written: wait for the next tick.
SETTLE_SECONDS = 30


def raw_files(settle_seconds: float = SETTLE_SECONDS) -> dict[str, str]:
    """Export files the loader would read: relative path -> size and modification time (the
    identity `cdp load --incremental` uses to tell a new or rewritten file)."""
    folder, now, found = settings.raw_data_dir(), time.time(), {}
    for table in RAW_TABLES:
        for path in folder.glob(table.pattern):
            stat = path.stat()
            if now - stat.st_mtime >= settle_seconds:
                found[path.relative_to(folder).as_posix()] = f"{stat.st_size}:{stat.st_mtime_ns}"
    return found


@dg.sensor(name="new_raw_files", job=cdp_full_job, minimum_interval_seconds=60,
           description="Incremental run when export files are added to (or rewritten in) "
                       "CDP_RAW_DIR.")
def new_raw_files(context: dg.SensorEvaluationContext):
    seen = json.loads(context.cursor) if context.cursor else {}
    current = raw_files()
    new = sorted(path for path, version in current.items() if seen.get(path) != version)
    if not new:
        return dg.SkipReason(f"no new files in {settings.raw_data_dir()}")
    context.update_cursor(json.dumps(current))
    batch = json.dumps({path: current[path] for path in new})
    return dg.RunRequest(run_key=hashlib.sha1(batch.encode()).hexdigest(),
                         run_config=run_config(incremental_load=True),
                         tags={"cdp/run": "incremental", "cdp/new_files": str(len(new))})

"""Reverse-ETL throughput: N rows synced to a loopback webhook, then an unchanged re-sync.

    python bench/bench_sync.py --rows 1000000

The receiver runs in its own process (so it does not share our interpreter lock) and parses
every batch; the sync is the real engine: hashing and diff in DuckDB, HMAC-signed batches,
per-batch commits of the snapshot. Targets: >= 20k records/s, unchanged re-sync <= 10 s with
0 records sent.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import duckdb

from cdp.bench.loopback import loopback_webhook
from reverse_etl.config import SyncSpec
from reverse_etl.engine import run_sync


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--batch-size", type=int, default=5_000)
    args = parser.parse_args()
    with loopback_webhook() as webhook, tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.duckdb"
        with duckdb.connect(str(db)) as con:
            con.execute("create schema marts")
            con.execute("create table marts.bench_source as select 'p' || i as person_id,"
                        " 'user' || i || '@example.org' as email, i % 1000 as score"
                        f" from range({args.rows}) as t(i)")
        spec = SyncSpec(
            name="bench", description="", source_kind="model", source_name="bench_source",
            primary_key="person_id", destination_type="webhook",
            destination_config={**webhook, "batch_size": args.batch_size},
            mode="upsert", fields={"email": "email", "score": "score"}, purpose="service")
        timings = []
        for label in ("initial sync", "unchanged re-sync"):
            started = time.perf_counter()
            result = run_sync(spec, db)
            seconds = time.perf_counter() - started
            sent = result.counts.get("attempted_adds", 0) + result.counts.get(
                "attempted_changes", 0)
            timings.append((label, seconds, sent, result.status))
    print(f"{'run':<20} {'seconds':>8} {'records sent':>13} {'records/s':>10} status")
    for label, seconds, sent, status in timings:
        rate = f"{sent / seconds:,.0f}" if sent else "-"
        print(f"{label:<20} {seconds:8.2f} {sent:13,} {rate:>10} {status}")
    print(json.dumps({"rows": args.rows, "initial_s": round(timings[0][1], 2),
                      "records_per_s": round(timings[0][2] / timings[0][1]),
                      "resync_s": round(timings[1][1], 2), "resync_sent": timings[1][2]}))


if __name__ == "__main__":
    main()

"""The bench's sync step: every known person's golden record and value scores, upserted to a
loopback webhook by the real sync engine (diff against the last delivery, signed batches).

    python -m cdp.bench.sync_step   # on CDP_DUCKDB_PATH; prints one JSON line of counts

After the full build it sends everyone; after the incremental build only what changed.
"""

from __future__ import annotations

import json

from cdp import settings
from cdp.bench.loopback import loopback_webhook
from reverse_etl.config import SyncSpec
from reverse_etl.engine import run_sync

FIELDS = {"email": "email", "lifecycle_stage": "lifecycle_stage", "rfm_segment": "rfm_segment",
          "clv": "predicted_clv", "p_alive": "p_alive"}


def main() -> None:
    with loopback_webhook() as webhook:
        spec = SyncSpec(
            name="bench_customers", description="", source_kind="model",
            source_name="dim_customers", primary_key="person_id", destination_type="webhook",
            destination_config={**webhook, "batch_size": 5_000},
            mode="upsert", fields=FIELDS, purpose="service")
        result = run_sync(spec, settings.duckdb_path())
    sent = result.counts.get("attempted_adds", 0) + result.counts.get("attempted_changes", 0)
    print(json.dumps({"status": result.status, "records_sent": sent}))
    raise SystemExit(0 if result.status == "success" else 1)


if __name__ == "__main__":
    main()

"""Generic webhook: JSON batches POSTed to a URL, signed with HMAC-SHA256.

Request body: {"sync": NAME, "op": "upsert" | "remove", "records": [{"key", "fields",
"idempotency_key"}]}; header `X-CDP-Signature: sha256=<hex HMAC of the body>` with the secret
from the environment variable `secret_env`. A 2xx answer accepts every record except those it
lists as `{"rejected": [{"key": ..., "reason": ...}]}`; a 4xx refusing the whole batch is split
in halves until the bad records are isolated. `idempotency_key` (sync, key, row hash) lets the
receiver drop a batch it already applied when a lost acknowledgement makes us send it again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import replace

from reverse_etl.destinations.base import (
    MODES,
    BatchResult,
    Capabilities,
    Destination,
    Record,
    require_keys,
)
from reverse_etl.destinations.secrets import secret_from_env
from reverse_etl.transport import HttpTransport, send_with_bisection

SIGNATURE_HEADER = "X-CDP-Signature"


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookDestination(Destination):
    kind = "webhook"
    # A generic receiver has no documented limits: 500 per request and no throttle unless the
    # sync's config says otherwise (`batch_size`, `rate_limit_per_second`).
    capabilities = Capabilities(batch_size=500, modes=MODES, personal_data=True)

    def __init__(self, sync_name: str, mode: str, config: dict) -> None:
        super().__init__(sync_name, mode)
        require_keys(self.kind, config, {"url", "secret_env"},
                     {"batch_size", "rate_limit_per_second", "timeout_seconds"})
        self.secret = secret_from_env(self.kind, config["secret_env"])
        if "batch_size" in config:
            self.capabilities = replace(self.capabilities, batch_size=int(config["batch_size"]))
        rate = config.get("rate_limit_per_second", self.capabilities.rate_limit_per_second)
        timeout = float(config.get("timeout_seconds", 30))
        self.http = HttpTransport(config["url"], account_key=f"webhook:{config['url']}",
                                  rate_per_second=rate, burst=max(1, int(rate or 1)),
                                  timeout=(5.0, timeout))

    def upsert(self, records: list[Record]) -> BatchResult:
        return self._send("upsert", records)

    def remove(self, records: list[Record]) -> BatchResult:
        return self._send("remove", records)

    def close(self) -> None:
        self.http.close()

    def _send(self, op: str, records: list[Record]) -> BatchResult:
        result = BatchResult()

        def post(batch: list[Record]) -> dict:
            body = json.dumps({"sync": self.sync_name, "op": op, "records": [
                {"key": r.key, "fields": dict(r.fields),
                 "idempotency_key": f"{self.sync_name}:{r.key}:{r.row_hash}"}
                for r in batch]}, default=str).encode()
            response = self.http.request(
                "POST", "", data=body,
                headers={"Content-Type": "application/json",
                         SIGNATURE_HEADER: signature(self.secret, body)})
            return response.json() if response.content else {}

        def reject(record: Record, reason: str) -> None:
            result.rejected[record.key] = reason

        for sent in send_with_bisection(records, post, on_rejected=reject):
            refused = {item["key"]: item.get("reason", "rejected")
                       for item in (sent.result or {}).get("rejected", [])}
            result.rejected.update({k: v for k, v in refused.items()
                                    if k in {r.key for r in sent.items}})
            result.accepted.extend(r.key for r in sent.items if r.key not in refused)
        return result

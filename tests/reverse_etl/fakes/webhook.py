"""A webhook receiver implementing our webhook contract: verifies the HMAC signature (401 when
wrong), refuses batches over its limit (413) and malformed records (422, the whole batch, as
many receivers do), rejects single records it cannot store (200 with `rejected`), and keeps
the records it holds so tests can compare them with the source."""

from __future__ import annotations

import hmac
import threading

from reverse_etl.destinations.webhook import SIGNATURE_HEADER, signature
from tests.reverse_etl.loopback import Reply, Request


class WebhookReceiver:
    def __init__(self, secret: str, *, max_batch: int = 500, reject_keys=(),
                 malformed_keys=()) -> None:
        self.secret = secret
        self.max_batch = max_batch
        self.reject_keys = set(reject_keys)  # refused one by one in a 200 answer
        self.malformed_keys = set(malformed_keys)  # make the whole batch a 422
        self.store: dict[str, dict] = {}
        self.lock = threading.Lock()

    def __call__(self, request: Request) -> Reply:
        sent = request.headers.get(SIGNATURE_HEADER, "")
        if not hmac.compare_digest(sent, signature(self.secret, request.raw)):
            return 401, {}, {"error": "bad signature"}
        records = (request.json or {}).get("records", [])
        if len(records) > self.max_batch:
            return 413, {}, {"error": f"at most {self.max_batch} records per request"}
        if any(r["key"] in self.malformed_keys for r in records):
            return 422, {}, {"error": "malformed record in batch"}
        rejected = []
        with self.lock:
            for record in records:
                if record["key"] in self.reject_keys:
                    rejected.append({"key": record["key"], "reason": "email domain refused"})
                elif request.json["op"] == "remove":
                    self.store.pop(record["key"], None)
                else:
                    self.store[record["key"]] = record["fields"]
        return 200, {}, {"rejected": rejected}

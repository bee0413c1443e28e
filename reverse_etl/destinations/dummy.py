"""A fault-injecting destination for tests and demos: a JSON file plays the remote system.

It accepts upserts and removes into `path` (key -> fields), and on request misbehaves the way
real APIs do: some calls fail transiently (as after exhausted retries), some apply the batch and
then lose the answer (a timeout after the write), some keys are rejected per record, and the
process can "crash" after a number of batches, so the engine's convergence can be proven.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from reverse_etl.destinations.base import (
    MODES,
    BatchResult,
    Capabilities,
    Destination,
    Record,
    require_keys,
)
from reverse_etl.errors import TransientError


class SimulatedCrash(BaseException):
    """Stands for a kill -9 between two batches (BaseException: nothing may catch it)."""


class DummyDestination(Destination):
    kind = "dummy"
    # Personal data: it stands in for real destinations in tests, and writes what it receives
    # to a file, so it is held to the same purpose rules.
    capabilities = Capabilities(batch_size=100, modes=MODES, personal_data=True)
    instances = 0

    def __init__(self, sync_name: str, mode: str, config: dict) -> None:
        super().__init__(sync_name, mode)
        require_keys(self.kind, config, {"path"},
                     {"reject_keys", "transient_rate", "reject_rate", "seed",
                      "crash_after_batches", "lost_ack_rate"})
        self.path = Path(config["path"])
        self.reject_keys = set(config.get("reject_keys", []))
        self.transient_rate = float(config.get("transient_rate", 0))
        self.reject_rate = float(config.get("reject_rate", 0))
        self.lost_ack_rate = float(config.get("lost_ack_rate", 0))
        self.crash_after = config.get("crash_after_batches")
        # Seeded, yet different for each run of the process, as real outages are: one seed for
        # every run would fail the same batch forever.
        DummyDestination.instances += 1
        self.rng = random.Random(f"{config.get('seed', 0)}:{DummyDestination.instances}")
        self.batches = 0
        self.store: dict[str, dict] = (json.loads(self.path.read_text())
                                       if self.path.exists() else {})

    def upsert(self, records: list[Record]) -> BatchResult:
        return self._apply(records, remove=False)

    def remove(self, records: list[Record]) -> BatchResult:
        return self._apply(records, remove=True)

    def _apply(self, records: list[Record], *, remove: bool) -> BatchResult:
        self._maybe_fail()
        result = BatchResult()
        for record in records:
            if record.key in self.reject_keys or self.rng.random() < self.reject_rate:
                result.rejected[record.key] = "rejected by destination: invalid record"
                continue
            if remove:
                self.store.pop(record.key, None)
            elif self.mode == "insert" and record.key in self.store:
                result.rejected[record.key] = "already exists (insert mode)"
                continue
            elif self.mode == "update" and record.key not in self.store:
                result.rejected[record.key] = "not found (update mode)"
                continue
            else:
                self.store[record.key] = dict(record.fields)
            result.accepted.append(record.key)
        self.path.write_text(json.dumps(self.store, sort_keys=True, default=str))
        if self.rng.random() < self.lost_ack_rate:
            raise TransientError("simulated timeout after the write was applied", status=504)
        return result

    def _maybe_fail(self) -> None:
        self.batches += 1
        if self.crash_after is not None and self.batches > self.crash_after:
            raise SimulatedCrash(f"simulated crash after {self.crash_after} batches")
        if self.rng.random() < self.transient_rate:
            raise TransientError("simulated 503 from dummy destination", status=503)

"""Braze user profiles via `POST /users/track` attributes, keyed by `external_id` (record key).

Up to 75 attribute objects per request (the stricter of Braze's two documented limits). A
success answer may still list `errors[]` items `{type, input_array, index}`; the index points
into the `attributes` array we sent and is mapped back to the record key. A 400 refusing the
whole batch is split in halves to isolate the bad objects.

Mirror removal deliberately does NOT call `/users/delete`: deleting a profile erases history
and data other sources wrote, irreversibly, just because a row left one sync's model. Instead
removal sets the attributes this sync last sent to null, which Braze documents as removing
them from the profile: the sync's footprint disappears and the user stays.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any

from reverse_etl.destinations.base import (
    BatchResult,
    Capabilities,
    Destination,
    Record,
    require_keys,
)
from reverse_etl.destinations.secrets import secret_from_env
from reverse_etl.transport import HttpTransport, send_with_bisection

TRACK_PATH = "/users/track"


class BrazeUsersDestination(Destination):
    kind = "braze_users"
    # Braze allows 3,000 /users/track requests per 3 s per workspace (older docs 50,000/min).
    capabilities = Capabilities(batch_size=75, modes=frozenset({"upsert", "mirror"}),
                                personal_data=True, rate_limit_per_second=800.0)

    def __init__(self, sync_name: str, mode: str, config: dict) -> None:
        super().__init__(sync_name, mode)
        require_keys(self.kind, config, {"api_key_env", "rest_endpoint"}, set())
        api_key = secret_from_env(self.kind, config["api_key_env"])
        endpoint = config["rest_endpoint"]
        account = hashlib.sha256(f"{endpoint}:{api_key}".encode()).hexdigest()[:16]
        self.http = HttpTransport(endpoint, account_key=f"braze:{account}",
                                  rate_per_second=self.capabilities.rate_limit_per_second,
                                  burst=75, headers={"Authorization": f"Bearer {api_key}"})

    def upsert(self, records: list[Record]) -> BatchResult:
        return self._track(records, lambda r: {**r.fields, "external_id": r.key})

    def remove(self, records: list[Record]) -> BatchResult:
        """Unset the attributes last sent (null removes a custom attribute); no deletion."""
        return self._track(records, lambda r: {**dict.fromkeys(r.fields), "external_id": r.key})

    def removal_fields(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        """Only the attribute names: removal unsets them, their values are not needed."""
        return dict.fromkeys(fields)

    def close(self) -> None:
        self.http.close()

    def _track(self, records: list[Record],
               attributes: Callable[[Record], dict[str, Any]]) -> BatchResult:
        result = BatchResult()

        def post(batch: list[Record]) -> dict:
            response = self.http.request(
                "POST", TRACK_PATH, json={"attributes": [attributes(r) for r in batch]})
            return response.json() if response.content else {}

        def reject(record: Record, reason: str) -> None:
            result.rejected[record.key] = reason

        size = self.capabilities.batch_size  # the engine chunks too; be safe alone
        chunks = [records[i:i + size] for i in range(0, len(records), size)]
        for sent in (s for chunk in chunks
                     for s in send_with_bisection(chunk, post, on_rejected=reject)):
            failed: dict[int, str] = {}
            for error in sent.result.get("errors", []):
                if error.get("input_array", "attributes") == "attributes" and "index" in error:
                    failed[int(error["index"])] = str(error.get("type", "rejected"))
            for index, record in enumerate(sent.items):
                if index in failed:
                    result.rejected[record.key] = failed[index]
                else:
                    result.accepted.append(record.key)
        return result

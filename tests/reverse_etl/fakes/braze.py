"""A Braze `/users/track` endpoint: Bearer auth (401), at most 75 attribute objects (400
beyond), whole-batch 400 for configured malformed external ids, 201-style success answers
listing `errors[]` `{type, input_array, index}` for configured refused ids, and null values
removing attributes. Profiles are held by external_id."""

from __future__ import annotations

import threading

from tests.reverse_etl.loopback import Reply, Request


class BrazeFake:
    def __init__(self, api_key: str, *, max_batch: int = 75, reject_ids=(),
                 malformed_ids=()) -> None:
        self.api_key = api_key
        self.max_batch = max_batch
        self.reject_ids = set(reject_ids)
        self.malformed_ids = set(malformed_ids)
        self.store: dict[str, dict] = {}  # external_id -> custom attributes
        self.lock = threading.Lock()

    def __call__(self, request: Request) -> Reply:
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return 401, {}, {"message": "Invalid API key: "}
        if request.method != "POST" or request.path != "/users/track":
            return 404, {}, {"message": "Not found"}
        attributes = (request.json or {}).get("attributes", [])
        if len(attributes) > self.max_batch:
            return 400, {}, {"message": f"Received '{len(attributes)}' attribute objects; "
                             f"maximum is {self.max_batch}"}
        if any(a.get("external_id") in self.malformed_ids for a in attributes):
            return 400, {}, {"message": "Valid data must be provided in the 'attributes', "
                             "'events', or 'purchases' fields."}
        errors = []
        with self.lock:
            for index, attribute in enumerate(attributes):
                external_id = attribute.get("external_id")
                if external_id in self.reject_ids:
                    errors.append({"type": "'external_id' is invalid",
                                   "input_array": "attributes", "index": index})
                    continue
                held = self.store.setdefault(external_id, {})
                for name, value in attribute.items():
                    if name == "external_id":
                        continue
                    if value is None:
                        held.pop(name, None)
                    else:
                        held[name] = value
        body = {"message": "success", "attributes_processed": len(attributes) - len(errors)}
        if errors:
            body["errors"] = errors
        return 201, {}, body

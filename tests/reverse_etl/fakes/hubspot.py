"""A HubSpot CRM v3 contacts batch API: Bearer auth (401), 100 inputs per call (400 beyond),
whole-batch 400 for configured malformed ids, 207 multi-status `errors[]` with `context.ids`
for configured rejected ids, `/batch/update` refusing unknown contacts (OBJECT_NOT_FOUND), and
`POST .../gdpr-delete` ({objectId, idProperty}: 204, no body; an unknown email is blocklisted,
also 204). Contacts are held by id-property value so tests can read back what landed."""

from __future__ import annotations

import threading

from tests.reverse_etl.loopback import Reply, Request

PREFIX = "/crm/v3/objects/contacts/batch/"
GDPR_DELETE = "/crm/v3/objects/contacts/gdpr-delete"


def _error(category: str, message: str, ids: list[str] | None = None) -> dict:
    error = {"status": "error", "category": category, "message": message}
    if ids is not None:
        error["context"] = {"ids": ids}
    return error


class HubSpotFake:
    def __init__(self, token: str, *, max_batch: int = 100, reject_ids=(),
                 malformed_ids=()) -> None:
        self.token = token
        self.max_batch = max_batch
        self.reject_ids = set(reject_ids)
        self.malformed_ids = set(malformed_ids)
        self.store: dict[str, dict] = {}  # id-property value -> properties
        self.gdpr_deleted: list[str] = []  # objectIds erased, in order
        self.lock = threading.Lock()

    def __call__(self, request: Request) -> Reply:
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return 401, {}, _error("INVALID_AUTHENTICATION", "Authentication credentials "
                                   "not found.")
        if request.method == "POST" and request.path == GDPR_DELETE:
            return self._gdpr_delete(request.json or {})
        op = request.path.removeprefix(PREFIX)
        if request.method != "POST" or op not in {"upsert", "update"}:
            return 404, {}, _error("OBJECT_NOT_FOUND", f"no route {request.path}")
        inputs = (request.json or {}).get("inputs", [])
        if len(inputs) > self.max_batch:
            return 400, {}, _error("VALIDATION_ERROR", f"Batch input limit is {self.max_batch}")
        if any(str(i.get("id")) in self.malformed_ids for i in inputs):
            return 400, {}, _error("VALIDATION_ERROR", "Property values were not valid")
        results, errors = [], []
        with self.lock:
            for item in inputs:
                record_id = str(item["id"])
                if record_id in self.reject_ids:
                    errors.append(_error("VALIDATION_ERROR", "INVALID_EMAIL", [record_id]))
                elif op == "update" and record_id not in self.store:
                    errors.append(_error("OBJECT_NOT_FOUND", "Contact not found", [record_id]))
                else:
                    held = self.store.setdefault(record_id, {})
                    held.update(item.get("properties", {}))
                    results.append({"id": str(abs(hash(record_id))), "properties": dict(held)})
        body = {"status": "COMPLETE", "results": results}
        if errors:
            body.update(numErrors=len(errors), errors=errors)
        return (207 if errors else 200), {}, body

    def _gdpr_delete(self, body: dict) -> Reply:
        object_id = body.get("objectId")
        if not isinstance(object_id, str) or not object_id:
            return 400, {}, _error("VALIDATION_ERROR", "objectId is required")
        with self.lock:
            self.store.pop(object_id, None)
            self.gdpr_deleted.append(object_id)
        return 204, {}, None

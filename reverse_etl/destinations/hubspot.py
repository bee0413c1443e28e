"""HubSpot CRM contacts: batch upsert (or update) keyed by a unique property, `email` by default.

HubSpot takes 100 inputs per CRM batch call and limits requests per account, shared by every
private app, so one limiter is keyed by the account's API base and token. A 200/207 answer
lists per-input failures in `errors[]` whose `context.ids` are id-property values; they are
mapped back to record keys. A 400 for the whole batch is split in halves to isolate the bad
input. Contacts are never deleted by a sync (`can_remove=False`): a row leaving a model says
nothing about whether the person should vanish from the CRM. A forget request does: `erase`
calls the GDPR delete endpoint, one contact per call, by the id property kept for it.

`update` mode posts the same `{idProperty, id, properties}` inputs to `/batch/update`, so ids
are resolved by the unique property exactly like upserts, but unknown contacts are reported
as rejects instead of being created.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from reverse_etl.destinations.base import (
    BatchResult,
    Capabilities,
    Destination,
    Record,
    require_keys,
)
from reverse_etl.destinations.secrets import secret_from_env
from reverse_etl.errors import PermanentError
from reverse_etl.pii import normalize_email
from reverse_etl.transport import HttpTransport, send_with_bisection

API_BASE = "https://api.hubapi.com"
BATCH_PATH = "/crm/v3/objects/contacts/batch/{op}"
GDPR_DELETE_PATH = "/crm/v3/objects/contacts/gdpr-delete"


class HubSpotContactsDestination(Destination):
    kind = "hubspot_contacts"
    capabilities = Capabilities(batch_size=100, modes=frozenset({"upsert", "update"}),
                                personal_data=True, rate_limit_per_second=10.0,
                                can_remove=False)
    keeps_removal_fields = True  # the id property, to erase a forgotten contact

    def __init__(self, sync_name: str, mode: str, config: dict) -> None:
        super().__init__(sync_name, mode)
        require_keys(self.kind, config, {"access_token_env"}, {"id_property", "api_base"})
        token = secret_from_env(self.kind, config["access_token_env"])
        self.id_property = config.get("id_property", "email")
        api_base = config.get("api_base", API_BASE)
        account = hashlib.sha256(f"{api_base}:{token}".encode()).hexdigest()[:16]
        rate = self.capabilities.rate_limit_per_second
        self.http = HttpTransport(api_base, account_key=f"hubspot:{account}",
                                  rate_per_second=rate, burst=10,
                                  headers={"Authorization": f"Bearer {token}"})

    def upsert(self, records: list[Record]) -> BatchResult:
        return self._send("update" if self.mode == "update" else "upsert", records)

    def removal_fields(self, fields) -> dict:
        return {self.id_property: fields.get(self.id_property)}

    def erase(self, records: list[Record]) -> BatchResult:
        """GDPR delete: the contact and its associations go for good (HubSpot blocklists an
        email it does not know, so a 204 means the address is gone either way)."""
        result = BatchResult()
        for record in records:
            record_id = self._id_of(record)
            if record_id is None:
                result.rejected[record.key] = f"no {self.id_property} kept to erase by"
                continue
            try:  # a 404: nothing left to delete
                self.http.request("POST", GDPR_DELETE_PATH, ok_statuses=(404,),
                                  json={"objectId": record_id, "idProperty": self.id_property})
            except PermanentError as error:
                if error.status in (401, 403):
                    raise  # the token, not the contact: every other one would fail too
                result.rejected[record.key] = str(error)
                continue
            result.accepted.append(record.key)
        return result

    def close(self) -> None:
        self.http.close()

    def _id_of(self, record: Record) -> str | None:
        """The id-property value; emails are normalised as HubSpot matches them case-blind."""
        value = record.fields.get(self.id_property)
        if self.id_property == "email":
            return normalize_email(value)
        text = "" if value is None else str(value).strip()
        return text or None

    def _send(self, op: str, records: list[Record]) -> BatchResult:
        result = BatchResult()
        ready: list[tuple[Record, str]] = []
        for record in records:
            record_id = self._id_of(record)
            if record_id is None:
                result.rejected[record.key] = f"missing or invalid {self.id_property}"
            else:
                ready.append((record, record_id))

        def post(batch: list[tuple[Record, str]]) -> dict:
            inputs = [{"idProperty": self.id_property, "id": record_id,
                       "properties": {k: _property(v) for k, v in record.fields.items()}}
                      for record, record_id in batch]
            response = self.http.request("POST", BATCH_PATH.format(op=op),
                                         json={"inputs": inputs})
            return response.json() if response.content else {}

        def reject(item: tuple[Record, str], reason: str) -> None:
            result.rejected[item[0].key] = reason

        size = self.capabilities.batch_size  # the engine chunks too; be safe alone
        chunks = [ready[i:i + size] for i in range(0, len(ready), size)]
        for sent in (s for chunk in chunks
                     for s in send_with_bisection(chunk, post, on_rejected=reject)):
            failed = _failed_ids(sent.result.get("errors", []))
            for record, record_id in sent.items:
                reason = failed.get(record_id) or failed.get(record_id.lower())
                if reason:
                    result.rejected[record.key] = reason
                else:
                    result.accepted.append(record.key)
        return result


def _property(value: object) -> object:
    """HubSpot clears a property sent as an empty string; JSON null is refused."""
    return "" if value is None else value


def _failed_ids(errors: Iterable[dict]) -> dict[str, str]:
    """id-property value -> "CATEGORY: message" from a multi-status `errors[]`."""
    failed: dict[str, str] = {}
    for error in errors:
        reason = f"{error.get('category', 'ERROR')}: {error.get('message', 'rejected')}"
        for record_id in (error.get("context") or {}).get("ids", []):
            failed[str(record_id)] = reason
            failed.setdefault(str(record_id).lower(), reason)
    return failed

"""Mailchimp audience members: batch subscribe/update, archive on removal.

Upserts go to `POST /3.0/lists/{list_id}` (≤ 500 members, `update_existing`); the answer
lists refused members in `errors[]` by `email_address`, mapped back to record keys. The
member's email comes from the `email` field; every other field is a merge field (use the
audience's merge tags, e.g. FNAME). Removal archives each member with
`DELETE /3.0/lists/{list_id}/members/{subscriber_hash}` (MD5 of the lower-cased email); a
404 means it is already gone, which is what a removal wants. Archiving, not permanent
deletion, keeps the member's history and can be undone by the next upsert.

Mailchimp limits an account to 10 simultaneous connections rather than a rate; the limiter
(10 requests/s per account) is a conservative stand-in. Auth is HTTP Basic `anystring:<key>`.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from reverse_etl.destinations.base import (
    BatchResult,
    Capabilities,
    ConfigError,
    Destination,
    Record,
    require_keys,
)
from reverse_etl.destinations.secrets import secret_from_env
from reverse_etl.errors import PermanentError
from reverse_etl.pii import is_hashed, mailchimp_subscriber_hash, normalize_email
from reverse_etl.transport import HttpTransport, is_request_level, send_with_bisection

EMAIL_FIELD = "email"
HASH_FIELD = "subscriber_hash"  # what a mirror keeps to remove a member later


class MailchimpAudienceDestination(Destination):
    kind = "mailchimp_audience"
    capabilities = Capabilities(batch_size=500, modes=frozenset({"upsert", "mirror"}),
                                personal_data=True, rate_limit_per_second=10.0)

    def __init__(self, sync_name: str, mode: str, config: dict) -> None:
        super().__init__(sync_name, mode)
        require_keys(self.kind, config, {"api_key_env", "list_id"},
                     {"server_prefix", "api_base", "status"})
        api_key = secret_from_env(self.kind, config["api_key_env"]) or ""
        prefix = config.get("server_prefix") or (  # API keys end in "-<dc>", e.g. "-us21"
            api_key.rpartition("-")[2] if "-" in api_key else None)
        api_base = config.get("api_base") or (prefix and f"https://{prefix}.api.mailchimp.com")
        if not api_base:
            raise ConfigError(f"{self.kind} destination: set server_prefix (e.g. us21)")
        self.list_path = f"/3.0/lists/{config['list_id']}"
        self.status = config.get("status", "subscribed")
        auth = base64.b64encode(f"anystring:{api_key}".encode()).decode()
        self.http = HttpTransport(api_base, account_key=f"mailchimp:{api_base}:{api_key[-6:]}",
                                  rate_per_second=self.capabilities.rate_limit_per_second,
                                  burst=10, headers={"Authorization": f"Basic {auth}"})

    def close(self) -> None:
        self.http.close()

    def _split(self, records: list[Record], result: BatchResult) -> list[tuple[Record, str]]:
        """(record, normalised email); records without a valid email are rejected here."""
        ready = []
        for record in records:
            email = normalize_email(record.fields.get(EMAIL_FIELD))
            if email is None:
                result.rejected[record.key] = f"missing or invalid {EMAIL_FIELD}"
            else:
                ready.append((record, email))
        return ready

    def upsert(self, records: list[Record]) -> BatchResult:
        result = BatchResult()

        def post(batch: list[tuple[Record, str]]) -> dict:
            members = [{"email_address": email, "status_if_new": self.status,
                        "merge_fields": {k: "" if v is None else v
                                         for k, v in record.fields.items() if k != EMAIL_FIELD}}
                       for record, email in batch]
            response = self.http.request("POST", self.list_path,
                                         json={"members": members, "update_existing": True})
            return response.json() if response.content else {}

        def reject(item: tuple[Record, str], reason: str) -> None:
            result.rejected[item[0].key] = reason

        ready = self._split(records, result)
        size = self.capabilities.batch_size  # the engine chunks too; be safe alone
        chunks = [ready[i:i + size] for i in range(0, len(ready), size)]
        for sent in (s for chunk in chunks
                     for s in send_with_bisection(chunk, post, on_rejected=reject)):
            failed = {str(e.get("email_address", "")).lower(): e.get("error", "rejected")
                      for e in sent.result.get("errors", [])}
            for record, email in sent.items:
                if email in failed:
                    result.rejected[record.key] = failed[email]
                else:
                    result.accepted.append(record.key)
        return result

    def removal_fields(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        """The member's subscriber hash (MD5 of the lower-cased email): all a removal needs."""
        if is_hashed(fields.get(HASH_FIELD)):
            return {HASH_FIELD: str(fields[HASH_FIELD]).lower()}
        email = normalize_email(fields.get(EMAIL_FIELD))
        return {HASH_FIELD: mailchimp_subscriber_hash(email)} if email else {}

    def remove(self, records: list[Record]) -> BatchResult:
        result = BatchResult()
        for record in records:
            member = self.removal_fields(record.fields).get(HASH_FIELD)
            if member is None:
                result.rejected[record.key] = f"missing or invalid {EMAIL_FIELD}"
                continue
            try:  # 404: never subscribed or already archived, which is what removal wants
                self.http.request("DELETE", f"{self.list_path}/members/{member}",
                                  ok_statuses={404})
            except PermanentError as error:
                if is_request_level(error):
                    raise
                result.rejected[record.key] = str(error)
                continue
            result.accepted.append(record.key)
        return result

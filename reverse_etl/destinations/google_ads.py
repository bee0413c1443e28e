"""Google Ads Customer Match through `OfflineUserDataJobService` (REST).

Per destination instance (one sync run): a CUSTOMER_MATCH_USER_LIST job is created on first use
(one for adds, one for removes, so a job never mixes them), every batch is appended with
`:addOperations` (`enablePartialFailure: true`), and `close()` starts each job with `:run`.
Rows accepted by `:addOperations` only reach the list once that run succeeds, hours later;
if `close()` raises, the run's rows were reported accepted but the job never ran.

Identifiers follow Google's rules (`pii.hash_for_google`): SHA-256 of the trimmed lower-case
email, of the E.164 phone *with* `+`, of first/last name; country and postal code in plain text
and the address only when all four parts are known. Limits: 20 identifiers per user (more is
refused before sending) and 100,000 per request (requests are cut to fit).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reverse_etl.destinations.base import (
    BatchResult,
    Capabilities,
    Destination,
    Record,
    require_keys,
)
from reverse_etl.destinations.secrets import secret_from_env
from reverse_etl.errors import PermanentError
from reverse_etl.pii import hash_for_google
from reverse_etl.transport import HttpTransport, send_with_bisection

DEFAULT_API_BASE = "https://googleads.googleapis.com/v19"
MAX_IDS_PER_USER = 20
MAX_IDS_PER_REQUEST = 100_000
ADDRESS = {"hashedFirstName": "first_name", "hashedLastName": "last_name",
           "countryCode": "country_code", "postalCode": "postal_code"}
NO_IDENTIFIER = "no identifier Google can match"


def _values(value: Any) -> list[Any]:
    """A field may hold one value or a list of them (several emails of one person)."""
    items = value if isinstance(value, list | tuple) else [value]
    return [v for v in items if v not in (None, "")]


def _hashed(field: str, value: Any, calling_code: str | None) -> str | None:
    out = hash_for_google(field, value, calling_code)
    return out.lower() if out and field not in ("country_code", "postal_code") else out


def user_identifiers(fields: Mapping[str, Any], calling_code: str | None = None) -> list[dict]:
    """Customer Match `userIdentifiers` for one record; unusable values are left out."""
    ids: list[dict] = []
    for field, name in (("email", "hashedEmail"), ("phone", "hashedPhoneNumber")):
        for value in _values(fields.get(field)):
            if hashed := _hashed(field, value, calling_code):
                ids.append({name: hashed})
    address = {name: _hashed(field, fields.get(field), calling_code)
               for name, field in ADDRESS.items() if fields.get(field) not in (None, "")}
    if len(address) == len(ADDRESS) and all(address.values()):
        ids.append({"addressInfo": address})
    return ids


def failed_operations(answer: Mapping[str, Any]) -> dict[int, str]:
    """Operation index -> message from a `partialFailureError` (GoogleAdsFailure details)."""
    failed: dict[int, str] = {}
    for detail in (answer.get("partialFailureError") or {}).get("details", []):
        for error in detail.get("errors", []):
            for element in error.get("location", {}).get("fieldPathElements", []):
                if element.get("fieldName") == "operations" and "index" in element:
                    failed[int(element["index"])] = f"Google Ads: {error.get('message', error)}"
                    break
    return failed


class GoogleAdsCustomerMatchDestination(Destination):
    kind = "google_ads_customer_match"
    # Google recommends ~10k identifiers per call; the hard cap (100k) is enforced in _send.
    capabilities = Capabilities(batch_size=10_000, modes=frozenset({"upsert", "mirror"}),
                                personal_data=True, rate_limit_per_second=5.0)

    def __init__(self, sync_name: str, mode: str, config: dict) -> None:
        super().__init__(sync_name, mode)
        require_keys(self.kind, config,
                     {"customer_id", "user_list_id", "developer_token_env", "access_token_env"},
                     {"login_customer_id", "api_base", "default_country_calling_code",
                      "consent", "rate_limit_per_second", "timeout_seconds"})
        developer_token = secret_from_env(self.kind, config["developer_token_env"])
        access_token = secret_from_env(self.kind, config["access_token_env"])
        self.customer_id = str(config["customer_id"]).replace("-", "")
        self.user_list = f"customers/{self.customer_id}/userLists/{config['user_list_id']}"
        self.consent = config.get("consent")  # e.g. {"adUserData": "GRANTED", ...}
        self.calling_code = config.get("default_country_calling_code")
        headers = {"developer-token": developer_token, "Authorization": f"Bearer {access_token}"}
        if config.get("login_customer_id"):
            headers["login-customer-id"] = str(config["login_customer_id"]).replace("-", "")
        rate = config.get("rate_limit_per_second", self.capabilities.rate_limit_per_second)
        self.http = HttpTransport(
            config.get("api_base", DEFAULT_API_BASE), account_key=f"google_ads:{self.customer_id}",
            rate_per_second=rate, burst=5, headers=headers,
            timeout=(5.0, float(config.get("timeout_seconds", 60))))
        self.jobs: dict[str, str] = {}  # "create" | "remove" -> job resource name

    def upsert(self, records: list[Record]) -> BatchResult:
        return self._send("create", records)

    def removal_fields(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        """Identifiers hashed as Google matches them (SHA-256 hex passes through on removal);
        country and postal code stay plain, as Google takes them."""
        kept: dict[str, Any] = {}
        for field in ("email", "phone"):
            hashes = [h for v in _values(fields.get(field))
                      if (h := _hashed(field, v, self.calling_code))]
            if hashes:
                kept[field] = hashes
        for field in ADDRESS.values():
            if fields.get(field) not in (None, ""):
                kept[field] = _hashed(field, fields[field], self.calling_code)
        return kept

    def remove(self, records: list[Record]) -> BatchResult:
        return self._send("remove", records)

    def close(self) -> None:
        """Run every job this instance filled; Google processes them asynchronously."""
        try:
            for job in self.jobs.values():
                self.http.request("POST", f"{job}:run", json={})
            self.jobs.clear()
        finally:
            self.http.close()

    def _job(self, op: str) -> str:
        if op not in self.jobs:
            metadata: dict[str, Any] = {"userList": self.user_list}
            if self.consent:
                metadata["consent"] = self.consent
            answer = self.http.request(
                "POST", f"customers/{self.customer_id}/offlineUserDataJobs:create",
                json={"job": {"type": "CUSTOMER_MATCH_USER_LIST",
                              "customerMatchUserListMetadata": metadata}}).json()
            self.jobs[op] = answer["resourceName"]
        return self.jobs[op]

    def _send(self, op: str, records: list[Record]) -> BatchResult:
        result = BatchResult()
        ids: dict[str, list[dict]] = {}
        for record in records:
            found = user_identifiers(record.fields, self.calling_code)
            if not found:
                result.rejected[record.key] = NO_IDENTIFIER
            elif len(found) > MAX_IDS_PER_USER:
                result.rejected[record.key] = (f"{len(found)} identifiers, Google allows "
                                               f"{MAX_IDS_PER_USER} per user")
            else:
                ids[record.key] = found

        def send(batch: list[Record]) -> dict[str, str]:
            operations = [{op: {"userIdentifiers": ids[r.key]}} for r in batch]
            answer = self.http.request("POST", f"{self._job(op)}:addOperations", json={
                "enablePartialFailure": True, "operations": operations}).json()
            failed = failed_operations(answer)
            if answer.get("partialFailureError") and not failed:
                if len(batch) > 1:  # a failure Google did not locate: split until it is
                    raise PermanentError("Google Ads partial failure without an operation index",
                                         status=400)
                failed[0] = f"Google Ads: {answer['partialFailureError'].get('message')}"
            return {batch[i].key: reason for i, reason in failed.items() if i < len(batch)}

        def reject(record: Record, reason: str) -> None:
            result.rejected[record.key] = reason

        for chunk in self._chunks([r for r in records if r.key in ids], ids):
            for sent in send_with_bisection(chunk, send, on_rejected=reject):
                result.rejected.update(sent.result)
                result.accepted.extend(r.key for r in sent.items if r.key not in sent.result)
        return result

    def _chunks(self, records: list[Record], ids: dict[str, list[dict]]) -> list[list[Record]]:
        """Requests of at most `batch_size` users and 100,000 identifiers."""
        chunks: list[list[Record]] = [[]]
        count = 0
        for record in records:
            n = len(ids[record.key])
            if chunks[-1] and (count + n > MAX_IDS_PER_REQUEST
                               or len(chunks[-1]) >= self.capabilities.batch_size):
                chunks.append([])
                count = 0
            chunks[-1].append(record)
            count += n
        return [c for c in chunks if c]

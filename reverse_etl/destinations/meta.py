"""Meta Custom Audiences: add (`POST /{audience_id}/users`) and remove (`DELETE`, same edge).

Rows go out as Meta's multi-key payload `{"schema": [...], "data": [[...], ...]}`, hashed per
Meta's rules (`pii.hash_for_meta`; existing hashes pass through), unknown values blank. Meta
"add" is idempotent, so upsert and mirror may resend. The token is a form field, not in the URL.

Session: one `session_id` per instance and operation; `batch_seq` counts every request.
`last_batch_flag` stays false: the engine never says which batch is last, and for add/remove
(unlike `usersreplace`) an open session only expires. `estimated_num_total` is the running count.

Rows named by `invalid_entry_samples` (by hashed value or row index) are rejected with Meta's
reason; invalid rows Meta did not sample are isolated by split retries. Meta's throttling codes
arrive as 400/403 with a JSON error: those are retried like a 429.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import requests

from reverse_etl.destinations.base import (
    BatchResult,
    Capabilities,
    ConfigError,
    Destination,
    Record,
    require_keys,
)
from reverse_etl.destinations.secrets import secret_from_env
from reverse_etl.errors import PermanentError, TransientError
from reverse_etl.pii import hash_for_meta
from reverse_etl.transport import HttpTransport, send_with_bisection

DEFAULT_API_BASE = "https://graph.facebook.com/v21.0"
DEFAULT_SCHEMA = ("EMAIL", "PHONE", "FN", "LN", "ZIP", "CT", "ST", "COUNTRY")
# Record field names accepted for each Meta key (besides the key itself, any case).
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "EMAIL": ("email",), "PHONE": ("phone", "phone_number"), "FN": ("first_name",),
    "LN": ("last_name",), "ZIP": ("postal_code", "zip"), "CT": ("city",), "ST": ("state",),
    "COUNTRY": ("country_code", "country"), "GEN": ("gender",), "FI": ("first_initial",),
    "DOBY": ("birth_year",), "DOBM": ("birth_month",), "DOBD": ("birth_day",),
    "MADID": ("madid",), "EXTERN_ID": ("external_id",),
}
# Meta throttling: 4 app, 17 user, 32 page, 613 custom rate, 80000-80014 business use case.
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, *range(80000, 80015)})
NO_IDENTIFIER = "no identifier Meta can match"
PLAIN_KEYS = frozenset({"MADID", "EXTERN_ID"})  # sent as they are, not hashed


def error_code(text: str) -> int | None:
    """`error.code` of a Graph API error body, if it is one."""
    try:
        code = json.loads(text).get("error", {}).get("code")
    except (ValueError, AttributeError):
        return None
    return code if isinstance(code, int) else None


class MetaTransport(HttpTransport):
    """Graph API throttling is a 400/403 with a rate-limit code: retry it, don't split on it."""

    def _check(self, method: str, path: str, response: requests.Response) -> requests.Response:
        if response.status_code in (400, 403) and error_code(response.text) in RATE_LIMIT_CODES:
            self.stats["throttled"] += 1
            raise TransientError(f"Meta rate limit on {method} {path}: {response.text[:500]}",
                                 status=response.status_code)
        return super()._check(method, path, response)


def has_identifier(row: Mapping[str, str]) -> bool:
    """Meta matches on email, phone, device or external id, or a full name with a ZIP."""
    if any(row.get(k) for k in ("EMAIL", "PHONE", "MADID", "EXTERN_ID")):
        return True
    return all(row.get(k) for k in ("FN", "LN", "ZIP"))


class MetaCustomAudienceDestination(Destination):
    kind = "meta_custom_audience"
    # Dev tier allows 5,000 custom_audience calls per hour (~1.4/s); 10,000 rows per call.
    capabilities = Capabilities(batch_size=10_000, modes=frozenset({"upsert", "mirror"}),
                                personal_data=True, rate_limit_per_second=1.0)

    def __init__(self, sync_name: str, mode: str, config: dict) -> None:
        super().__init__(sync_name, mode)
        require_keys(self.kind, config, {"audience_id", "access_token_env"},
                     {"api_base", "schema", "default_country_calling_code",
                      "rate_limit_per_second", "timeout_seconds"})
        self.token = secret_from_env(self.kind, config["access_token_env"])
        self.audience_id = str(config["audience_id"])
        self.schema = [str(k).upper() for k in config.get("schema") or ()]
        unknown = sorted(set(self.schema) - set(KEY_FIELDS))
        if unknown:
            raise ConfigError(f"{self.kind} destination: unknown schema key '{unknown[0]}' "
                              f"(allowed: {', '.join(KEY_FIELDS)})")
        self.calling_code = config.get("default_country_calling_code")
        rate = config.get("rate_limit_per_second", self.capabilities.rate_limit_per_second)
        self.http = MetaTransport(
            config.get("api_base", DEFAULT_API_BASE), account_key=f"meta:{self.audience_id}",
            rate_per_second=rate, burst=10, timeout=(5.0, float(config.get("timeout_seconds", 60))))
        first = random.SystemRandom().randrange(1, 2**52)
        self.sessions = {op: {"session_id": first + i, "batch_seq": 0, "sent": 0}
                         for i, op in enumerate(("POST", "DELETE"))}

    def upsert(self, records: list[Record]) -> BatchResult:
        return self._send("POST", records)

    def remove(self, records: list[Record]) -> BatchResult:
        return self._send("DELETE", records)

    def removal_fields(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        """The record's Meta keys, hashed as Meta matches them (hashes pass through `_row`)."""
        record = Record("", fields, "")
        schema = self._schema_for([record])
        return {key: cell for key, cell in zip(schema, self._row(record, schema), strict=True)
                if cell}

    def close(self) -> None:
        self.http.close()

    def _schema_for(self, records: list[Record]) -> list[str]:
        if self.schema:
            return self.schema
        present = {k for r in records for k in KEY_FIELDS if self._raw(r.fields, k) is not None}
        ordered = dict.fromkeys((*DEFAULT_SCHEMA, *KEY_FIELDS))
        return [k for k in ordered if k in present] or ["EMAIL"]

    @staticmethod
    def _raw(fields: Mapping[str, Any], key: str) -> Any:
        for name in (key, key.lower(), *KEY_FIELDS[key]):
            if fields.get(name) not in (None, ""):
                return fields[name]
        return None

    def _row(self, record: Record, schema: list[str]) -> list[str]:
        """Cells in schema order, hashes lower-case hex; blank where unknown or unusable."""
        row = []
        for key in schema:
            value = self._raw(record.fields, key)
            cell = "" if value is None else hash_for_meta(key, value, self.calling_code) or ""
            row.append(cell if key in PLAIN_KEYS else cell.lower())  # upper-case hex passed in
        return row

    def _send(self, method: str, records: list[Record]) -> BatchResult:
        result = BatchResult()
        schema = self._schema_for(records)
        rows: dict[str, list[str]] = {}
        for record in records:
            row = self._row(record, schema)
            if has_identifier(dict(zip(schema, row, strict=True))):
                rows[record.key] = row
            else:
                result.rejected[record.key] = NO_IDENTIFIER
        sendable = [r for r in records if r.key in rows]

        def send(batch: list[Record]) -> dict[str, str]:
            """One request; returns key -> reason for the rows Meta called invalid."""
            data = [rows[r.key] for r in batch]
            session = self.sessions[method]
            session["batch_seq"] += 1
            session["sent"] += len(batch)
            form = {"payload": json.dumps({"schema": schema, "data": data}),
                    "session": json.dumps({
                        "session_id": session["session_id"], "batch_seq": session["batch_seq"],
                        "last_batch_flag": False, "estimated_num_total": session["sent"]}),
                    "access_token": self.token}
            answer = self.http.request(
                method, f"{self.audience_id}/users", data=urlencode(form).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"}).json()
            invalid = _invalid_rows(answer.get("invalid_entry_samples"), data)
            unexplained = int(answer.get("num_invalid_entries") or 0) - len(invalid)
            if unexplained > 0 and len(batch) > 1:  # split until each invalid row is named
                raise PermanentError(f"Meta found {unexplained} invalid rows it did not sample",
                                     status=400)
            if unexplained > 0:
                invalid[0] = "invalid entry (Meta num_invalid_entries)"
            return {batch[i].key: reason for i, reason in invalid.items()}

        def reject(record: Record, reason: str) -> None:
            result.rejected[record.key] = reason

        size = self.capabilities.batch_size  # Meta's hard limit, whatever the caller passes
        for start in range(0, len(sendable), size):
            for sent in send_with_bisection(sendable[start:start + size], send,
                                            on_rejected=reject):
                result.rejected.update(sent.result)
                result.accepted.extend(r.key for r in sent.items if r.key not in sent.result)
        return result


def _invalid_rows(samples: Any, data: list[list[str]]) -> dict[int, str]:
    """Row index -> reason from `invalid_entry_samples`, keyed by a cell value or a row index."""
    if isinstance(samples, list):
        samples = dict.fromkeys(map(str, samples), "invalid entry")
    invalid: dict[int, str] = {}
    for sample, reason in (samples or {}).items():
        text = str(sample)
        matches = [i for i, row in enumerate(data) if text in row]
        if not matches and text.isdigit() and int(text) < len(data):
            matches = [int(text)]
        invalid.update(dict.fromkeys(matches, f"Meta: {reason}"))
    return invalid

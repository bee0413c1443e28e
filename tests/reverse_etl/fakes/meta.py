"""A Meta Custom Audience `/{audience_id}/users` edge: checks the token, the payload shape, the
10,000-row limit (Meta's error JSON), that hashed cells are 64-hex lower-case and that a known
test person's phone was normalised Meta's way (digits, no `+`); answers with `num_received`,
`num_invalid_entries` and `invalid_entry_samples` for configured bad values; keeps members."""

from __future__ import annotations

import json
import re
import threading
from urllib.parse import parse_qs

from reverse_etl.pii import sha256_hex
from tests.reverse_etl.loopback import Reply, Request

MAX_ROWS = 10_000
HEX64 = re.compile(r"[0-9a-f]{64}")
PLAIN_KEYS = {"MADID", "EXTERN_ID"}
SESSION_KEYS = {"session_id", "batch_seq", "last_batch_flag", "estimated_num_total"}
# The §2.3 test person: this email's row must carry Meta's phone hash of 16505551212.
KNOWN_EMAIL = sha256_hex("john_smith@gmail.com")
KNOWN_PHONE = sha256_hex("16505551212")


def meta_error(code: int, message: str, status: int = 400) -> Reply:
    return status, {}, {"error": {"message": f"(#{code}) {message}", "type": "OAuthException",
                                  "code": code, "fbtrace_id": "AbCdEf"}}


class MetaAudience:
    def __init__(self, audience_id: str, token: str, *, bad_values=(), sample_limit: int = 100):
        self.audience_id = audience_id
        self.token = token
        self.bad_values = set(bad_values)  # hashed cells Meta will call invalid
        self.sample_limit = sample_limit  # Meta only samples some invalid entries
        self.members: set[frozenset[tuple[str, str]]] = set()
        self.sessions: list[dict] = []
        self.lock = threading.Lock()

    def hashes(self, key: str = "EMAIL") -> set[str]:
        return {v for m in self.members for k, v in m if k == key}

    def __call__(self, request: Request) -> Reply:
        if request.path != f"/{self.audience_id}/users" or request.method not in ("POST",
                                                                                  "DELETE"):
            return meta_error(803, "Unknown path components", 404)
        form = {k: v[0] for k, v in parse_qs(request.raw.decode()).items()}
        if form.get("access_token") != self.token:
            return meta_error(190, "Invalid OAuth access token")
        try:
            payload, session = json.loads(form["payload"]), json.loads(form["session"])
            schema, data = payload["schema"], payload["data"]
        except (KeyError, ValueError, TypeError):
            return meta_error(100, "Invalid parameter: payload")
        if len(data) > MAX_ROWS:
            return meta_error(100, f"Too many users in a single request (max {MAX_ROWS})")
        if any(len(row) != len(schema) for row in data) or not set(session) >= SESSION_KEYS:
            return meta_error(100, "Invalid parameter: data rows must match schema")
        invalid: dict[str, str] = {}
        with self.lock:
            self.sessions.append(session)
            for row in data:
                cells = dict(zip(schema, row, strict=True))
                reason = self._invalid(cells)
                if reason:
                    invalid[next(v for v in row if v) if any(row) else ""] = reason
                    continue
                member = frozenset((k, v) for k, v in cells.items() if v)
                if request.method == "POST":
                    self.members.add(member)
                else:
                    self.members.discard(member)
        samples = dict(list(invalid.items())[:self.sample_limit])
        return 200, {}, {"audience_id": self.audience_id, "session_id": session["session_id"],
                         "num_received": len(data), "num_invalid_entries": len(invalid),
                         "invalid_entry_samples": samples}

    def _invalid(self, cells: dict[str, str]) -> str | None:
        for key, value in cells.items():
            if value and key not in PLAIN_KEYS and not HEX64.fullmatch(value):
                return f"{key} is not a lower-case SHA-256 hex"
            if value in self.bad_values:
                return f"{key} value refused"
        if cells.get("EMAIL") == KNOWN_EMAIL and cells.get("PHONE") not in (None, "", KNOWN_PHONE):
            return "PHONE not normalised as digits with country code"
        return None

"""Google Ads `OfflineUserDataJobService` for one Customer Match list: checks the headers, the
job type and list, at most 100,000 identifiers per request (400 INVALID_ARGUMENT) and 20 per
user (partial failure TOO_MANY_USER_IDENTIFIERS), 64-hex lower-case hashes, plain country and
postal codes, and that a known test person's phone was hashed as E.164 with `+`. Configured bad
values fail their operation (partial failure with its index); `:run` applies a job's operations."""

from __future__ import annotations

import re
import threading

from reverse_etl.pii import sha256_hex
from tests.reverse_etl.loopback import Reply, Request

MAX_IDS_PER_REQUEST = 100_000
MAX_IDS_PER_USER = 20
HEX64 = re.compile(r"[0-9a-f]{64}")
KNOWN_EMAIL = sha256_hex("john_smith@gmail.com")
KNOWN_PHONE = sha256_hex("+16505551212")  # Google: E.164 with the plus


def google_error(status: int, code: str, message: str) -> Reply:
    return status, {}, {"error": {"code": status, "message": message, "status": code}}


class CustomerMatchList:
    def __init__(self, customer_id: str, user_list_id: str, *, developer_token: str,
                 access_token: str, login_customer_id: str | None = None, bad_values=()):
        self.customer_id = customer_id
        self.user_list = f"customers/{customer_id}/userLists/{user_list_id}"
        self.headers = {"developer-token": developer_token,
                        "authorization": f"Bearer {access_token}"}
        if login_customer_id:
            self.headers["login-customer-id"] = login_customer_id
        self.bad_values = set(bad_values)
        self.jobs: dict[str, dict] = {}  # resource name -> {"ran": bool}
        self.log: list[tuple[str, str, frozenset]] = []  # (job, op, user) in arrival order
        self.lock = threading.Lock()

    def members(self, include_pending: bool = False) -> set[frozenset]:
        """Users on the list; `include_pending` also applies jobs not yet run."""
        held: set[frozenset] = set()
        for job, op, user in self.log:
            if include_pending or self.jobs[job]["ran"]:
                (held.add if op == "create" else held.discard)(user)
        return held

    def hashes(self, name: str = "hashedEmail", include_pending: bool = False) -> set[str]:
        return {v for user in self.members(include_pending) for k, v in user if k == name}

    def __call__(self, request: Request) -> Reply:
        sent = {k.lower(): v for k, v in request.headers.items()}
        if any(sent.get(k) != v for k, v in self.headers.items()):
            return google_error(401, "UNAUTHENTICATED", "bad credentials or developer token")
        prefix = f"/customers/{self.customer_id}/offlineUserDataJobs"
        body = request.json or {}
        with self.lock:
            if request.path == f"{prefix}:create":
                return self._create(body)
            job, _, verb = request.path.lstrip("/").rpartition(":")
            if job not in self.jobs:
                return google_error(404, "NOT_FOUND", f"no job {job}")
            if self.jobs[job]["ran"]:
                return google_error(400, "FAILED_PRECONDITION", "job already running")
            if verb == "run":
                self.jobs[job]["ran"] = True
                return 200, {}, {"name": f"{job.replace('offlineUserDataJobs', 'operations')}"}
            if verb == "addOperations":
                return self._add(job, body)
        return google_error(404, "NOT_FOUND", request.path)

    def _create(self, body: dict) -> Reply:
        job = body.get("job", {})
        metadata = job.get("customerMatchUserListMetadata", {})
        if (job.get("type"), metadata.get("userList")) != ("CUSTOMER_MATCH_USER_LIST",
                                                           self.user_list):
            return google_error(400, "INVALID_ARGUMENT", "wrong job type or user list")
        name = f"customers/{self.customer_id}/offlineUserDataJobs/{len(self.jobs) + 1}"
        self.jobs[name] = {"ran": False}
        return 200, {}, {"resourceName": name}

    def _add(self, job: str, body: dict) -> Reply:
        operations = body.get("operations") or []
        total = sum(len(next(iter(o.values()), {}).get("userIdentifiers", [])) for o in operations)
        if total > MAX_IDS_PER_REQUEST or body.get("enablePartialFailure") is not True:
            return google_error(400, "INVALID_ARGUMENT",
                                f"{total} identifiers; at most {MAX_IDS_PER_REQUEST} per request")
        errors = []
        for index, operation in enumerate(operations):
            (op, user), = operation.items()
            reason = self._invalid(user.get("userIdentifiers", []))
            if reason:
                errors.append({"errorCode": {"offlineUserDataJobError": reason[0]},
                               "message": reason[1], "location": {"fieldPathElements": [
                                   {"fieldName": "operations", "index": index}]}})
            else:
                identity = frozenset((k, v) for i in user["userIdentifiers"] for k, v in
                                     (i.items() if "addressInfo" not in i else
                                      [("addressInfo", tuple(sorted(i["addressInfo"].items())))]))
                self.log.append((job, op, identity))
        if not errors:
            return 200, {}, {}
        return 200, {}, {"partialFailureError": {"code": 3, "message": "partial failure",
                         "details": [{"@type": "GoogleAdsFailure", "errors": errors}]}}

    def _invalid(self, ids: list[dict]) -> tuple[str, str] | None:
        if len(ids) > MAX_IDS_PER_USER:
            return "TOO_MANY_USER_IDENTIFIERS", "too many identifiers for one user"
        flat = {k: v for i in ids for k, v in i.items() if k != "addressInfo"}
        for identifier in ids:
            for key, value in identifier.items():
                values = value if key == "addressInfo" else {key: value}
                for name, text in values.items():
                    plain = name in ("countryCode", "postalCode")
                    if not plain and not HEX64.fullmatch(text):
                        return "INVALID_SHA256_FORMAT", f"{name} is not lower-case SHA-256 hex"
                    if plain and (HEX64.fullmatch(text) or not text):
                        return "INVALID_ADDRESS", f"{name} must be sent in plain text"
                    if text in self.bad_values:
                        return "INVALID_USER_IDENTIFIER", f"{name} refused"
        if flat.get("hashedEmail") == KNOWN_EMAIL and flat.get("hashedPhoneNumber", KNOWN_PHONE
                                                               ) != KNOWN_PHONE:
            return "INVALID_USER_IDENTIFIER", "phone not hashed as E.164 with +"
        return None

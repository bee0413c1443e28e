"""A Mailchimp Marketing audience: Basic `anystring:<key>` auth (401), batch subscribe on
`POST /3.0/lists/{id}` with 500 members at most (400 beyond), per-member `errors[]` for
configured refused emails, whole-batch 400 for configured malformed emails, and
`DELETE .../members/{subscriber_hash}` archiving a member (404 when not a member)."""

from __future__ import annotations

import base64
import hashlib
import threading

from tests.reverse_etl.loopback import Reply, Request


def _problem(status: int, title: str, detail: str) -> Reply:
    return status, {"Content-Type": "application/problem+json"}, {
        "type": "https://mailchimp.com/developer/marketing/docs/errors/", "title": title,
        "status": status, "detail": detail, "instance": ""}


class MailchimpFake:
    def __init__(self, api_key: str, list_id: str, *, max_batch: int = 500, reject_emails=(),
                 malformed_emails=()) -> None:
        self.api_key = api_key
        self.list_path = f"/3.0/lists/{list_id}"
        self.max_batch = max_batch
        self.reject_emails = set(reject_emails)
        self.malformed_emails = set(malformed_emails)
        self.store: dict[str, dict] = {}  # subscriber_hash -> member
        self.lock = threading.Lock()

    def __call__(self, request: Request) -> Reply:
        expected = base64.b64encode(f"anystring:{self.api_key}".encode()).decode()
        if request.headers.get("Authorization") != f"Basic {expected}":
            return _problem(401, "API Key Invalid", "Your API key may be invalid.")
        if request.method == "POST" and request.path == self.list_path:
            return self._batch(request.json or {})
        prefix = f"{self.list_path}/members/"
        if request.method == "DELETE" and request.path.startswith(prefix):
            with self.lock:
                member = self.store.pop(request.path.removeprefix(prefix), None)
            if member is None:
                return _problem(404, "Resource Not Found", "The requested resource could "
                                "not be found.")
            return 204, {}, None
        return _problem(404, "Resource Not Found", f"no route {request.path}")

    def _batch(self, body: dict) -> Reply:
        members = body.get("members", [])
        if len(members) > self.max_batch:
            return _problem(400, "Invalid Resource",
                            f"Maximum of {self.max_batch} members per request")
        if any(m.get("email_address") in self.malformed_emails for m in members):
            return _problem(400, "Invalid Resource", "The resource submitted could not be "
                            "validated.")
        created, updated, errors = [], [], []
        with self.lock:
            for member in members:
                email = member["email_address"]
                if email in self.reject_emails:
                    errors.append({"email_address": email, "error_code": "ERROR_GENERIC",
                                   "error": f"{email} looks fake or invalid"})
                    continue
                subscriber_hash = hashlib.md5(email.lower().encode()).hexdigest()
                held = self.store.get(subscriber_hash)
                if held is not None and not body.get("update_existing"):
                    errors.append({"email_address": email, "error_code": "ERROR_CONTACT_EXISTS",
                                   "error": f"{email} is already a list member"})
                    continue
                if held is None:
                    held = self.store[subscriber_hash] = {
                        "email_address": email, "status": member.get("status_if_new"),
                        "merge_fields": {}}
                    created.append({"id": subscriber_hash, "email_address": email})
                else:
                    updated.append({"id": subscriber_hash, "email_address": email})
                held["merge_fields"].update(member.get("merge_fields", {}))
        return 200, {}, {"new_members": created, "updated_members": updated, "errors": errors,
                         "total_created": len(created), "total_updated": len(updated),
                         "error_count": len(errors)}
